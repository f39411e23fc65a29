"""The test server's own certificate authority: root -> issuing CA -> users, plus an OCSP responder.

It mirrors BankID's shape (a bank's issuing CA under a root, a delegated OCSP responder, the
personal number as the subject's serialNumber) so that one verifier serves test and production. Keys
and certificates are kept in `state_dir` so the root, which relying parties pin, survives restarts.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import ocsp as asn1_ocsp  # type: ignore[import-untyped]  # pyHanko's, unannotated
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, OCSPExtensionOID

from signing import testcredentials
from signing.testcredentials import issue

KEY_SIZE = 2048
# BankID's policy for Mobile BankID in its test environment.
TEST_MOBILE_BANKID_POLICY = "1.2.3.4.25"
_ORG = "Intyga Testbank AB"
# X.520 "name": BankID puts a label with the issue time and the kind of BankID here.
_X520_NAME = x509.ObjectIdentifier("2.5.4.41")
# The CA is valid from this long before it is made, so that signatures dated in the past (demo
# data, tests at a fixed date) are answered by a CA that existed then, as BankID's test CA did.
AUTHORITY_HISTORY = timedelta(days=400)


Credential = testcredentials.Credential[rsa.RSAPrivateKey]


class CertificateAuthority:
    """Issues user certificates and answers OCSP for them. Thread-safe."""

    def __init__(self, state_dir: Path | None, *, clock: Callable[[], float] = time.time) -> None:
        self._state_dir = state_dir
        self._clock = clock
        self._lock = threading.Lock()
        self._users: dict[str, Credential] = {}
        self.root, self.issuing, self.responder = _credentials(
            state_dir / "ca.pem" if state_dir else None, self._create_authorities
        )

    @property
    def root_pem(self) -> bytes:
        return self.root.certificate.public_bytes(serialization.Encoding.PEM)

    def user(self, personal_number: str, given_name: str, surname: str) -> Credential:
        """The user's BankID: one key and certificate per person and name, created on first use."""
        name_hash = hashlib.sha256(f"{given_name}\n{surname}".encode()).hexdigest()[:12]
        slot = f"{personal_number}-{name_hash}"
        path = self._state_dir / "users" / f"{slot}.pem" if self._state_dir else None
        with self._lock:
            credential = self._users.get(slot)
            if credential is None or not self._valid_now(credential):
                (credential,) = _credentials(
                    path, lambda: [self._issue_user(personal_number, given_name, surname)]
                )
            if not self._valid_now(credential) and path is not None:
                # A test BankID is renewed when it has expired, and issued anew when the clock
                # is set before it (the demo signs at past dates): signing with a certificate
                # that did not yet exist would state a time its evidence contradicts.
                path.unlink()
                (credential,) = _credentials(
                    path, lambda: [self._issue_user(personal_number, given_name, surname)]
                )
            self._users[slot] = credential
            return credential

    def known_name(self, personal_number: str) -> tuple[str, str] | None:
        """The name on this person's most recently issued test BankID, if any: like a real
        BankID, a person keeps their name from one order to the next."""
        issued = [
            c.certificate
            for slot, c in self._users.items()
            if slot.startswith(f"{personal_number}-")
        ]
        if self._state_dir is not None:
            files = sorted(
                (self._state_dir / "users").glob(f"{personal_number}-*.pem"),
                key=lambda path: path.stat().st_mtime,
            )
            issued += [x509.load_pem_x509_certificates(path.read_bytes())[0] for path in files]
        if not issued:
            return None
        subject = issued[-1].subject
        given = subject.get_attributes_for_oid(NameOID.GIVEN_NAME)
        surname = subject.get_attributes_for_oid(NameOID.SURNAME)
        if not given or not surname:
            return None
        return str(given[0].value), str(surname[0].value)

    def ocsp_response(self, certificate: x509.Certificate, nonce: bytes) -> bytes:
        """DER OCSP response, status good, carrying `nonce` (BankID: SHA-1 of the signature).

        The nonce is encoded as BankID's responders encode it: extnValue holds the 20 bytes
        themselves (not a DER OCTET STRING of them, as RFC 8954 asks) and the extension is marked
        critical. pybankid's verifier, written against BankID's responses, reads the hash at
        exactly those offsets, and a typed ASN.1 parser cannot read that extnValue at all.
        """
        now = self._now().replace(microsecond=0)
        response = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=certificate,
                issuer=self.issuing.certificate,
                algorithm=hashes.SHA256(),
                cert_status=ocsp.OCSPCertStatus.GOOD,
                this_update=now,
                next_update=None,
                revocation_time=None,
                revocation_reason=None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.responder.certificate)
            .certificates([self.responder.certificate])
            .add_extension(x509.UnrecognizedExtension(OCSPExtensionOID.NONCE, nonce), critical=True)
            .sign(self.responder.key, hashes.SHA256())
        )
        return _produced_at(response.public_bytes(serialization.Encoding.DER), now, self.responder)

    def _valid_now(self, credential: Credential) -> bool:
        certificate = credential.certificate
        return certificate.not_valid_before_utc <= self._now() < certificate.not_valid_after_utc

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def _create_authorities(self) -> list[Credential]:
        root_name = _name(
            (NameOID.COUNTRY_NAME, "SE"),
            (NameOID.ORGANIZATION_NAME, "Intyga (test)"),
            (NameOID.ORGANIZATIONAL_UNIT_NAME, "BankID-testserver"),
            (NameOID.COMMON_NAME, "Intyga BankID Test Root CA v1"),
        )
        since = self._now() - AUTHORITY_HISTORY
        root = _issue(root_name, None, since, years=20, ca=True)
        issuing = _issue(
            _name(
                (NameOID.COUNTRY_NAME, "SE"),
                (NameOID.ORGANIZATION_NAME, _ORG),
                (NameOID.COMMON_NAME, "Intyga Testbank Customer CA1 for BankID Test"),
            ),
            root,
            since,
            years=15,
            ca=True,
            path_length=0,
        )
        responder = _issue(
            _name(
                (NameOID.COUNTRY_NAME, "SE"),
                (NameOID.ORGANIZATION_NAME, _ORG),
                (NameOID.COMMON_NAME, "Intyga Testbank OCSP responder for BankID Test"),
            ),
            issuing,
            since,
            years=10,
            extra=[
                (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), False),
                (x509.OCSPNoCheck(), False),
            ],
        )
        return [root, issuing, responder]

    def _issue_user(self, personal_number: str, given_name: str, surname: str) -> Credential:
        now = self._now()
        full_name = f"{given_name} {surname}"
        label = f"({now:%y%m%d %H.%M}) {full_name} - Mobilt BankID"
        subject = _name(
            (NameOID.COUNTRY_NAME, "SE"),
            (NameOID.ORGANIZATION_NAME, _ORG),
            (NameOID.SURNAME, surname),
            (NameOID.GIVEN_NAME, given_name),
            (NameOID.SERIAL_NUMBER, personal_number),
            (_X520_NAME, label),
            (NameOID.COMMON_NAME, full_name),
        )
        policy = x509.PolicyInformation(x509.ObjectIdentifier(TEST_MOBILE_BANKID_POLICY), None)
        return _issue(
            subject,
            self.issuing,
            now,
            years=2,
            extra=[(x509.CertificatePolicies([policy]), False)],
        )


def _produced_at(der: bytes, at: datetime, responder: Credential) -> bytes:
    """The response dated `at` by the CA's clock: `cryptography` dates it by the real one, but a
    CA whose clock is set (demo data signed in the past) must answer at its own time. The
    response data is re-signed; every other byte, the nonce's included, stays as built."""
    response = asn1_ocsp.OCSPResponse.load(der)
    basic = response["response_bytes"]["response"].parsed
    tbs = basic["tbs_response_data"]
    tbs["produced_at"] = at
    basic["signature"] = responder.key.sign(tbs.dump(), padding.PKCS1v15(), hashes.SHA256())
    response["response_bytes"]["response"] = basic
    return bytes(response.dump())


def _name(*attributes: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])


def _issue(
    subject: x509.Name, issuer: Credential | None, now: datetime, **shape: Any
) -> Credential:
    """A new RSA key and its certificate, shaped as BankID's (no BasicConstraints on a user's)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    return issue(key, subject, issuer, now, leaf_constraints=False, **shape)


def _credentials(path: Path | None, create: Callable[[], list[Credential]]) -> list[Credential]:
    return testcredentials.load_or_create(path, create, rsa.RSAPrivateKey)
