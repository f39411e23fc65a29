"""Mutual TLS: the client presents its RP certificate and trusts only the pinned CA."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from signing.bankid.client import BankIDClient
from signing.bankid.testserver import BankIDTestServer
from signing.eid import TransportError
from tests.signing.conftest import Serve


def issue(
    name: str,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None = None,
    *,
    usage: x509.ObjectIdentifier | None = None,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[0].subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=usage is None, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                issuer[1].public_key() if issuer else key.public_key()
            ),
            critical=False,
        )
    )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if usage == ExtendedKeyUsageOID.SERVER_AUTH:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False
        )
    return builder.sign(issuer[1] if issuer else key, hashes.SHA256()), key


def write(path: Path, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey | None = None) -> str:
    data = cert.public_bytes(serialization.Encoding.PEM)
    if key is not None:
        data += key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    path.write_bytes(data)
    return str(path)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Files: BankID's CA and server certificate, our RP CA and client certificate, an impostor."""
    folder = tmp_path_factory.mktemp("tls")
    server_ca = issue("Test BankID server CA")
    client_ca = issue("Test RP CA")
    server = issue("appapi2.test", server_ca, usage=ExtendedKeyUsageOID.SERVER_AUTH)
    rp = issue("Intyga RP", client_ca, usage=ExtendedKeyUsageOID.CLIENT_AUTH)
    return {
        "server_ca": write(folder / "server-ca.pem", server_ca[0]),
        "client_ca": write(folder / "client-ca.pem", client_ca[0]),
        "server": write(folder / "server.pem", *server),
        "rp": write(folder / "rp.pem", *rp),
        "impostor_ca": write(folder / "impostor-ca.pem", issue("Impostor")[0]),
    }


@pytest.fixture
def tls_base(pki: dict[str, str], server: BankIDTestServer, serve: Serve) -> str:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki["server"])
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(pki["client_ca"])
    return serve(server, ssl_context=context) + "/rp/v6.0/"


def test_client_certificate_and_pinned_ca_connect(pki: dict[str, str], tls_base: str) -> None:
    client = BankIDClient(
        tls_base, client_cert=(pki["rp"], pki["rp"]), ca_cert=pki["server_ca"], timeout=5
    )
    with client:
        order = client.start_auth(end_user_ip="192.0.2.10")
        assert client.collect(order.order_ref).status == "pending"


@pytest.mark.parametrize(
    ("client_cert", "ca_cert"),
    [
        pytest.param(None, "server_ca", id="no client certificate"),
        pytest.param("rp", "impostor_ca", id="another CA pinned"),
        pytest.param("rp", None, id="system trust store instead of the pin"),
    ],
)
def test_without_both_the_connection_fails(
    pki: dict[str, str], tls_base: str, client_cert: str | None, ca_cert: str | None
) -> None:
    client = BankIDClient(
        tls_base,
        client_cert=(pki[client_cert], pki[client_cert]) if client_cert else None,
        ca_cert=pki[ca_cert] if ca_cert else True,
        timeout=5,
    )
    with client, pytest.raises(TransportError, match="BankID svarar inte"):
        client.start_auth(end_user_ip="192.0.2.10")
