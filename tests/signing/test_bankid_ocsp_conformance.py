"""BankID conformance of OCSP: the nonce encoded as BankID's responders encode it (and both
encodings accepted), the answer fresh at the signing time, and the chain's path constraints."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID, OCSPExtensionOID

from signing.bankid.testserver import BankIDTestServer
from signing.bankid.testserver.ca import _issue, _name
from signing.bankid.verify import verify_signature
from tests.signing.test_bankid_verify import (
    DOCUMENT_HASH,
    VISIBLE,
    first_failure,
    sign_with,
    signed,
    verify_test,
)

__all__ = ["signed"]

# id-pkix-ocsp-nonce (1.3.6.1.5.5.7.48.1.2) as DER: tag, length, value.
NONCE_OID = bytes.fromhex("06092b0601050507300102")


def _nonce(signed: dict[str, str]) -> bytes:
    return hashlib.sha1(signed["signature"].encode()).digest()  # noqa: S324 - BankID's nonce


def _leaf(signed: dict[str, str]) -> x509.Certificate:
    document = base64.b64decode(signed["signature"])
    return x509.load_der_x509_certificate(
        base64.b64decode(document.split(b"<X509Certificate>")[1].split(b"<")[0])
    )


def ocsp_for(
    server: BankIDTestServer,
    signed: dict[str, str],
    *,
    nonce: bytes,
    this_update: timedelta = timedelta(0),
    next_update: timedelta | None = None,
    extension: x509.ExtensionType | None = None,
) -> str:
    """An OCSP answer about the signer from the test bank's responder, produced now; `nonce`
    is extnValue, the status dated `this_update` from now (and `next_update`)."""
    now = datetime.now(UTC)
    responder = server.ca.responder
    response = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=_leaf(signed),
            issuer=server.ca.issuing.certificate,
            algorithm=hashes.SHA256(),
            cert_status=ocsp.OCSPCertStatus.GOOD,
            this_update=now + this_update,
            next_update=None if next_update is None else now + next_update,
            revocation_time=None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, responder.certificate)
        .certificates([responder.certificate])
        .add_extension(extension or x509.OCSPNonce(nonce), critical=False)
        .sign(responder.key, hashes.SHA256())
    )
    return base64.b64encode(response.public_bytes(serialization.Encoding.DER)).decode()


def test_the_test_server_encodes_the_nonce_as_bankid_does(signed: dict[str, str]) -> None:
    """The nonce extension as pybankid's verifier reads BankID's: critical, and extnValue is the
    SHA-1 over the base64 signature itself, at a fixed offset after the OID and the flag."""
    der = base64.b64decode(signed["ocspResponse"])
    at = der.index(NONCE_OID) + len(NONCE_OID)
    assert der[at : at + 5] == b"\x01\x01\xff\x04\x14"  # critical TRUE, OCTET STRING of 20
    assert der[at + 5 : at + 25] == _nonce(signed)
    response = ocsp.load_der_ocsp_response(der)
    extension = response.extensions.get_extension_for_class(x509.OCSPNonce)
    assert extension.critical
    assert extension.value.nonce == _nonce(signed)


@pytest.mark.parametrize("encoding", ["bankid", "rfc8954"])
def test_the_verifier_accepts_both_nonce_encodings(
    server: BankIDTestServer, signed: dict[str, str], encoding: str
) -> None:
    nonce = _nonce(signed)
    extension: x509.ExtensionType = (
        x509.UnrecognizedExtension(OCSPExtensionOID.NONCE, nonce)
        if encoding == "bankid"
        else x509.OCSPNonce(nonce)
    )
    response = ocsp_for(server, signed, nonce=nonce, extension=extension)
    assert verify_test(server, dict(signed, ocspResponse=response)).complete


@pytest.mark.parametrize(
    "value",
    [b"\x00" * 21, b"\x00" * 20, b"\x04\x14" + b"\x00" * 20],
    ids=["wrong-length", "other-hash", "twice-wrapped"],
)
def test_a_nonce_of_another_shape_or_hash_fails(
    server: BankIDTestServer, signed: dict[str, str], value: bytes
) -> None:
    response = ocsp_for(server, signed, nonce=value)
    assert first_failure(verify_test(server, dict(signed, ocspResponse=response))) == (
        "ocsp",
        "the OCSP nonce does not match the signature (SHA-1 of its base64 text)",
    )


@pytest.mark.parametrize(
    ("times", "detail"),
    [
        ({"this_update": timedelta(minutes=-30)}, "old at the signing time"),
        ({"this_update": timedelta(hours=1)}, "dated after the response"),
        (
            {"this_update": timedelta(minutes=-2), "next_update": timedelta(minutes=-1)},
            "had expired (nextUpdate)",
        ),
    ],
    ids=["stale", "future-status", "expired"],
)
def test_the_ocsp_answer_must_be_fresh_at_the_signing_time(
    server: BankIDTestServer, signed: dict[str, str], times: dict[str, timedelta], detail: str
) -> None:
    response = ocsp_for(
        server,
        signed,
        nonce=_nonce(signed),
        this_update=times["this_update"],
        next_update=times.get("next_update"),
    )
    name, found = first_failure(verify_test(server, dict(signed, ocspResponse=response)))
    assert name == "ocsp"
    assert detail in found


def test_an_answer_produced_after_the_verification_time_fails(
    server: BankIDTestServer, signed: dict[str, str]
) -> None:
    """Verifying as of a moment before BankID produced the answer: it cannot prove that moment."""
    result = verify_test(server, signed, verification_time=datetime.now(UTC) - timedelta(hours=12))
    name, found = first_failure(result)
    assert name == "ocsp"
    assert "produced after the verification time" in found


def test_a_ca_below_a_path_length_of_zero_fails(server: BankIDTestServer) -> None:
    """The test bank's issuing CA allows no CA below it; a sub-CA it signed cannot issue BankIDs."""
    sub_ca = _issue(
        _name((NameOID.COMMON_NAME, "Underliggande CA")),
        server.ca.issuing,
        datetime.now(UTC),
        years=1,
        ca=True,
    )
    user = _issue(
        _name((NameOID.COMMON_NAME, "Tolvan Tolvansson")), sub_ca, datetime.now(UTC), years=1
    )
    document = sign_with(
        user.key, [user.certificate, sub_ca.certificate, server.ca.issuing.certificate]
    )
    result = verify_signature(
        document,
        visible_data=VISIBLE,
        non_visible_data=DOCUMENT_HASH,
        func_id="Signing",
        trusted_roots=[server.root_certificate],
    )
    name, detail = first_failure(result)
    assert name == "certificate_chain"
    assert "allows 0 CA certificates below it, the chain has 1" in detail
