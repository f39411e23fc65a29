"""SMTP with STARTTLS or implicit TLS and a login, against aiosmtpd with a certificate of its own;
the mailer trusts that certificate through SMTP_CA_FILE and checks the host name."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword
from aiosmtpd.smtp import Session as SmtpSession
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.notifications.channels import SmtpMailer, SmtpSettings, senders_from_config
from app.outbox.sending import Outgoing, SendFailed
from tests.notifications.conftest import Inbox, free_port

LOGIN = (b"intyga", b"hemligt")
PASSWORD = LOGIN[1].decode()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smtp.intyga.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _authenticate(
    _server: SMTP, _session: SmtpSession, _envelope: Envelope, _mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == LOGIN
    return AuthResult(success=ok, handled=False)  # let aiosmtpd answer 535 itself


@pytest.fixture(params=["starttls", "ssl"])
def tls_server(
    request: pytest.FixtureRequest, certificate: tuple[Path, Path]
) -> Iterator[tuple[str, int, Inbox]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    inbox, port, mode = Inbox(), free_port(), str(request.param)
    options: dict[str, Any] = {"authenticator": _authenticate}
    if mode == "starttls":
        options |= {"tls_context": context, "require_starttls": True, "auth_required": True}
    else:
        # aiosmtpd cannot tell that an implicit-TLS session is encrypted: offer AUTH anyway.
        options |= {"ssl_context": context, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    yield mode, port, inbox
    controller.stop()


def _mailer(mode: str, port: int, ca: Path, password: str = PASSWORD) -> SmtpMailer:
    sender = senders_from_config(
        {
            "MAIL_BACKEND": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(port),
            "SMTP_TLS": mode,
            "SMTP_USERNAME": "intyga",
            "SMTP_PASSWORD": password,
            "SMTP_CA_FILE": str(ca),
            "MAIL_FROM": "Intyga <noreply@intyga.test>",
        }
    )["email"]
    assert isinstance(sender, SmtpMailer)
    return sender


MAIL = Outgoing("email", "tolvan@example.test", "Ämne", "Text åäö", "key:email")


def test_tls_and_login(tls_server: tuple[str, int, Inbox], certificate: tuple[Path, Path]) -> None:
    mode, port, inbox = tls_server
    _mailer(mode, port, certificate[0]).send(MAIL)
    [(rcpt, message)] = inbox.received
    assert rcpt == ["tolvan@example.test"]
    assert message["Subject"] == "Ämne"
    assert message.get_content().strip() == "Text åäö"


def test_a_wrong_password_is_retried_not_given_up(
    tls_server: tuple[str, int, Inbox], certificate: tuple[Path, Path]
) -> None:
    mode, port, inbox = tls_server
    with pytest.raises(SendFailed) as failed:
        _mailer(mode, port, certificate[0], password="fel").send(MAIL)
    # Our configuration is wrong, not the message: it waits for a retry.
    assert failed.value.reason == "smtp: SMTPAuthenticationError 535"
    assert not failed.value.permanent
    assert inbox.received == []


def test_an_untrusted_server_certificate_is_refused(
    tls_server: tuple[str, int, Inbox], tmp_path: Path
) -> None:
    mode, port, inbox = tls_server
    mailer = SmtpMailer(
        SmtpSettings("127.0.0.1", port, mode, "intyga", PASSWORD, "noreply@intyga.test")
    )
    with pytest.raises(SendFailed, match="SSLCertVerificationError"):
        mailer.send(MAIL)
    assert inbox.received == []
