"""Keys and certificates of the local test authorities: the BankID test server's CA and the seal's
test PKI. Both issue as a CA would and keep each set of credentials in one PEM file, published
atomically, so that every process of a development server or a test run shares the same ones."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

K = TypeVar("K", ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)

_PEM_KEY: Final = re.compile(
    rb"-----BEGIN PRIVATE KEY-----.+?-----END PRIVATE KEY-----\n?", re.DOTALL
)


@dataclass(frozen=True)
class Credential(Generic[K]):
    key: K
    certificate: x509.Certificate

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def issue(
    key: K,
    subject: x509.Name,
    issuer: Credential[K] | None,
    now: datetime,
    *,
    years: int,
    ca: bool = False,
    path_length: int | None = None,
    signing: bool = False,
    leaf_constraints: bool = True,
    extra: list[tuple[x509.ExtensionType, bool]] | None = None,
) -> Credential[K]:
    """`key`'s certificate; self-signed when `issuer` is None. `signing`: the key makes signatures
    that stand as evidence (nonRepudiation beside digitalSignature). `leaf_constraints`: an
    end-entity certificate says so in BasicConstraints (BankID's user certificates do not)."""
    signer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=signing,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if ca or leaf_constraints:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length), critical=True
        )
    for extension, critical in extra or []:
        builder = builder.add_extension(extension, critical=critical)
    return Credential(key, builder.sign(signer_key, hashes.SHA256()))


def load_or_create(
    path: Path | None, create: Callable[[], list[Credential[K]]], key_type: type[Any]
) -> list[Credential[K]]:
    """Credentials from `path`, or new ones published there with an atomic link: another process
    may win the race, and whoever loses reads the winner's file. A file whose keys are not of
    `key_type` is refused."""
    if path is None:
        return create()
    if path.exists():
        return _read(path, key_type)
    credentials = create()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(b"".join(_pem(credential) for credential in credentials))
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read(path, key_type)
    finally:
        Path(temporary).unlink()
    return credentials


def _pem(credential: Credential[K]) -> bytes:
    key = credential.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key + credential.certificate_pem


def _read(path: Path, key_type: type[Any]) -> list[Credential[Any]]:
    data = path.read_bytes()
    # Our own files: skipping RSA key validation makes a restart ~100 ms faster.
    keys = [
        serialization.load_pem_private_key(m.group(0), None, unsafe_skip_rsa_key_validation=True)
        for m in _PEM_KEY.finditer(data)
    ]
    certificates = x509.load_pem_x509_certificates(data) if keys else []
    if not keys or len(keys) != len(certificates):
        raise ValueError(f"{path} is not a test credential file")
    credentials: list[Credential[Any]] = []
    for key, certificate in zip(keys, certificates, strict=True):
        if not isinstance(key, key_type):
            raise ValueError(f"{path} holds a key that is not {key_type.__name__}")
        credentials.append(Credential(key, certificate))
    return credentials
