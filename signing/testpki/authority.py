"""The test PKI of the seal: root -> seal CA -> seal, a TSA and OCSP responders, as a trust service
would issue them.

Everything here is for development and tests: the certificates say "test" in their names and carry
a test policy under the example arc 2.999, so no verifier can take them for a trust service's. The
shapes are the real ones (key usage, extended key usage, policy, QC type "eseal", AIA with the OCSP
address), so the code that seals and verifies is the code production runs. The root's key and
certificate are kept in `state_dir/root-credential.pem`; what is issued under it depends on the
address it is served at (AIA names it), so it is kept per address. Keys are ECDSA P-256: fast to
make and to sign with.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    ExtendedKeyUsageOID,
    NameOID,
    OCSPExtensionOID,
)

from signing import testcredentials
from signing.seal import ServiceSeal
from signing.testcredentials import issue

# The example arc (X.660): no real certificate carries it.
TEST_SEAL_POLICY: Final = x509.ObjectIdentifier("2.999.7521.1.1")
TEST_TSA_POLICY: Final = x509.ObjectIdentifier("2.999.7521.2.1")
# RFC 9336's id-kp-documentSigning: the seal signs documents, not TLS or e-mail.
DOCUMENT_SIGNING: Final = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
# ETSI EN 319 412-5: QCStatements with QcType id-etsi-qct-eseal, as on a seal certificate.
_QC_STATEMENTS: Final = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3")
_QC_TYPE_ESEAL_DER: Final = bytes.fromhex("30153013060604008e4601063009060704008e46010602")
OCSP_VALIDITY: Final = timedelta(days=7)
_ORGANISATION: Final = "Intyga AB (test)"


Credential = testcredentials.Credential[ec.EllipticCurvePrivateKey]


class TestPKI:
    """The test root and everything under it for the PKI served at `base_url`.

    `seal` signs documents (issued by `seal_ca`), `responder` answers OCSP for the seal CA's
    certificates, the root answers for its own (the seal CA and the TSA), `tsa` signs timestamps.
    """

    __test__ = False  # not a pytest class

    def __init__(
        self,
        state_dir: Path | None,
        base_url: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._clock = clock
        (self.root,) = _credentials(
            state_dir / "root-credential.pem" if state_dir else None, lambda: [self._root()]
        )
        slot = hashlib.sha256(self.base_url.encode()).hexdigest()[:16]
        issued = _credentials(
            state_dir / f"issued-{slot}.pem" if state_dir else None, self._issue_all
        )
        self.seal_ca, self.seal, self.responder, self.tsa = issued
        # Seal certificates issued for keys held elsewhere (an HSM), known to OCSP while served.
        self._issued_for_keys: list[x509.Certificate] = []

    @property
    def ocsp_url(self) -> str:
        return f"{self.base_url}/ocsp"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/tsa"

    @property
    def root_pem(self) -> bytes:
        return self.root.certificate_pem

    @property
    def seal_chain(self) -> list[x509.Certificate]:
        """The seal's certificate and the CA above it (not the root: the verifier has that)."""
        return [self.seal.certificate, self.seal_ca.certificate]

    def service_seal(self) -> ServiceSeal:
        """The seal to sign with, carrying its CA's certificate."""
        return ServiceSeal(self.seal.key, self.seal.certificate, (self.seal_ca.certificate,))

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def ocsp_response(self, request_der: bytes) -> bytes:
        """Answer an OCSP request (RFC 6960) about a certificate of ours: good if we issued it,
        unknown if not; unauthorized if the issuer is not one of our CAs. The nonce is echoed."""
        try:
            request = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        issuer, signer = self._authority_for(request)
        if issuer is None or signer is None:
            return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        certificate = next(
            (c for c in self._issued_by(issuer) if c.serial_number == request.serial_number), None
        )
        now = self.now()
        builder = ocsp.OCSPResponseBuilder()
        if certificate is None:
            builder = builder.add_response_by_hash(
                issuer_name_hash=request.issuer_name_hash,
                issuer_key_hash=request.issuer_key_hash,
                serial_number=request.serial_number,
                algorithm=request.hash_algorithm,
                cert_status=ocsp.OCSPCertStatus.UNKNOWN,
                this_update=now,
                next_update=now + OCSP_VALIDITY,
                revocation_time=None,
                revocation_reason=None,
            )
        else:
            builder = builder.add_response(
                cert=certificate,
                issuer=issuer.certificate,
                algorithm=request.hash_algorithm,
                cert_status=ocsp.OCSPCertStatus.GOOD,
                this_update=now,
                next_update=now + OCSP_VALIDITY,
                revocation_time=None,
                revocation_reason=None,
            )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer.certificate)
        if signer is not issuer:
            builder = builder.certificates([signer.certificate])
        for extension in request.extensions:
            if extension.oid == OCSPExtensionOID.NONCE:
                builder = builder.add_extension(extension.value, critical=False)
        response = builder.sign(signer.key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    def _authority_for(
        self, request: ocsp.OCSPRequest
    ) -> tuple[Credential | None, Credential | None]:
        """The CA the request asks about, and who signs the answer."""
        for issuer, signer in ((self.seal_ca, self.responder), (self.root, self.root)):
            probe = (
                ocsp.OCSPRequestBuilder()
                .add_certificate(issuer.certificate, issuer.certificate, request.hash_algorithm)
                .build()
            )
            if (
                probe.issuer_key_hash == request.issuer_key_hash
                and _name_hash(issuer.certificate, request.hash_algorithm)
                == request.issuer_name_hash
            ):
                return issuer, signer
        return None, None

    def _issued_by(self, issuer: Credential) -> Iterable[x509.Certificate]:
        if issuer is self.root:
            return [self.seal_ca.certificate, self.tsa.certificate]
        return [self.seal.certificate, self.responder.certificate, *self._issued_for_keys]

    def issue_seal_certificate(self, public_key: ec.EllipticCurvePublicKey) -> x509.Certificate:
        """A seal certificate like `seal`'s for a key kept elsewhere (a trust service certifying
        a key generated in the customer's HSM); OCSP answers for it from now on."""
        template = self.seal.certificate
        now = self.now()
        builder = (
            x509.CertificateBuilder()
            .subject_name(template.subject)
            .issuer_name(self.seal_ca.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(template.not_valid_after_utc)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )
        for extension in template.extensions:
            if extension.oid != x509.SubjectKeyIdentifier.oid:
                builder = builder.add_extension(extension.value, critical=extension.critical)
        certificate = builder.sign(self.seal_ca.key, hashes.SHA256())
        self._issued_for_keys.append(certificate)
        return certificate

    def _root(self) -> Credential:
        name = _name("Intyga Test Root CA")
        return _issue(name, None, self.now(), years=25, ca=True)

    def _issue_all(self) -> list[Credential]:
        now = self.now()
        aia = x509.AuthorityInformationAccess(
            [
                x509.AccessDescription(
                    AuthorityInformationAccessOID.OCSP,
                    x509.UniformResourceIdentifier(self.ocsp_url),
                )
            ]
        )
        seal_ca = _issue(
            _name("Intyga Test Seal CA"),
            self.root,
            now,
            years=15,
            ca=True,
            path_length=0,
            extra=[(aia, False)],
        )
        seal = _issue(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANISATION),
                    # EN 319 412-1: the legal person's registration, as on an eIDAS seal.
                    x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, "NTRSE-5599999991"),
                    x509.NameAttribute(NameOID.COMMON_NAME, "Intyga elektronisk stämpel"),
                ]
            ),
            seal_ca,
            now,
            years=5,
            signing=True,
            extra=[
                (x509.ExtendedKeyUsage([DOCUMENT_SIGNING]), False),
                (
                    x509.CertificatePolicies([x509.PolicyInformation(TEST_SEAL_POLICY, None)]),
                    False,
                ),
                (x509.UnrecognizedExtension(_QC_STATEMENTS, _QC_TYPE_ESEAL_DER), False),
                (aia, False),
            ],
        )
        responder = _issue(
            _name("Intyga Test Seal CA OCSP"),
            seal_ca,
            now,
            years=5,
            extra=[
                (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), False),
                (x509.OCSPNoCheck(), False),
            ],
        )
        tsa = _issue(
            _name("Intyga Test TSA"),
            self.root,
            now,
            years=10,
            signing=True,
            extra=[
                # RFC 3161 2.3: the TSA's certificate has this one purpose, marked critical.
                (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
                (x509.CertificatePolicies([x509.PolicyInformation(TEST_TSA_POLICY, None)]), False),
                (aia, False),
            ],
        )
        return [seal_ca, seal, responder, tsa]


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _name_hash(certificate: x509.Certificate, algorithm: hashes.HashAlgorithm) -> bytes:
    digest = hashes.Hash(algorithm)
    digest.update(certificate.subject.public_bytes())
    return digest.finalize()


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )


def _issue(
    subject: x509.Name, issuer: Credential | None, now: datetime, **shape: Any
) -> Credential:
    """A new ECDSA P-256 key and its certificate (fast to make and to sign with)."""
    return issue(ec.generate_private_key(ec.SECP256R1()), subject, issuer, now, **shape)


def _credentials(path: Path | None, create: Callable[[], list[Credential]]) -> list[Credential]:
    return testcredentials.load_or_create(path, create, ec.EllipticCurvePrivateKey)
