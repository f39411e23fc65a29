"""The service's electronic seal: a XAdES-BES enveloped signature over a whole certificate document.

The seal shows that Intyga issued exactly these bytes: the content and every eID signature in it.
Verification pins the seal certificate (never the system store), expects exactly the references
XAdES makes, and accepts only the bytes `seal_xml` writes: anything a parser would read the same
but spell differently (a tab inside a tag, another quote character) fails like any other change.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final, NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.algorithms import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConstructionMethod,
    SignatureMethod,
)
from signxml.xades.xades import (
    XAdESDataObjectFormat,
    XAdESSignatureConfiguration,
    XAdESSigner,
    XAdESVerifier,
)

from signing.document import ROOT
from signing.longterm import (
    LongTerm,
    LongTermError,
    add_long_term,
    bankid_material,
    verify_long_term,
)
from signing.longterm import add_archive_timestamp as add_archive_timestamp_to

KEY_FILE: Final = "seal-key.pem"
CERT_FILE: Final = "seal-cert.pem"
DEFAULT_COMMON_NAME: Final = "Intyga elektronisk stämpel"
DEFAULT_MAX_BYTES: Final = 5_000_000
SEAL_VALIDITY: Final = timedelta(days=10 * 366)

DS: Final = "http://www.w3.org/2000/09/xmldsig#"
XADES: Final = "http://uri.etsi.org/01903/v1.3.2#"
# Inclusive C14N 1.0 throughout: XML-DSig digests a reference without transforms (XAdES'
# SignedProperties and KeyInfo) with it, so other XAdES validators compute the same digests.
# Every element of ours is namespaced, so lxml's C14N adds no xmlns="" and signxml's
# excise_empty_xmlns_declarations stays off.
_C14N: Final = CanonicalizationMethod.CANONICAL_XML_1_0
_ENVELOPED: Final = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_SIGNATURE_METHODS: Final = frozenset(
    {SignatureMethod.ECDSA_SHA256, SignatureMethod.ECDSA_SHA384, SignatureMethod.RSA_SHA256}
)
_SIGNATURE_SHAPE: Final = [
    f"{{{DS}}}{name}" for name in ("SignedInfo", "SignatureValue", "KeyInfo", "Object")
]

SealKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class SealVerification(NamedTuple):
    """`root` is the sealed document as the signature covers it (the seal removed), or None;
    `evidence` what the seal's long-term properties prove (its level, its timestamps)."""

    ok: bool
    detail: str
    root: etree._Element | None
    evidence: LongTerm | None = None


class XmlRefused(ValueError):  # noqa: N818 - reads as what happened to the input
    """The input is not XML we accept: too large, malformed, or carrying a DTD or entities."""


@dataclass(frozen=True)
class ServiceSeal:
    """The seal's private key, certificate and the CA certificates above it, leaf side first and
    without the root (ECDSA P-256 by default; RSA keys work too)."""

    private_key: SealKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    # The time-stamping authority that makes each seal long-term (XAdES B-LT); None seals at B-B.
    tsa_url: str | None = None
    tsa_timeout: float = 10.0
    # Trust anchors: the issuer of the TSA's certificate may be one, and OCSP asks about it.
    roots: tuple[x509.Certificate, ...] = ()

    @classmethod
    def load_or_create(
        cls, directory: Path, *, common_name: str = DEFAULT_COMMON_NAME
    ) -> ServiceSeal:
        """The seal kept in `directory`, made there on first use (a self-signed certificate, the
        key file readable by its owner only)."""
        key_path, cert_path = directory / KEY_FILE, directory / CERT_FILE
        if not key_path.exists():
            directory.mkdir(parents=True, exist_ok=True)
            key = ec.generate_private_key(ec.SECP256R1())
            certificate = _self_signed(key, common_name)
            # The key is written last: its presence means the pair is complete.
            _write_atomically(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
            _write_atomically(key_path, _pkcs8_pem(key), mode=0o600)
        return cls.from_files(key_path, cert_path)

    @classmethod
    def from_files(
        cls, key_path: Path, cert_path: Path, *, password: bytes | None = None
    ) -> ServiceSeal:
        """A seal from PEM files made elsewhere (production keys); `cert_path` holds the seal's
        certificate first, then the CA certificates above it. Raises ValueError if the
        certificate is not for the key, or the key is neither EC nor RSA."""
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=password)
        certificates = x509.load_pem_x509_certificates(cert_path.read_bytes())
        return cls._checked(key, certificates[0], certificates[1:], f"{cert_path}")

    @classmethod
    def from_pkcs12(cls, path: Path, *, password: bytes | None = None) -> ServiceSeal:
        """A seal from a PKCS#12 file as a trust service delivers one: key, certificate and the
        CA certificates. Raises ValueError."""
        bundle = pkcs12.load_pkcs12(path.read_bytes(), password)
        if bundle.key is None or bundle.cert is None:
            raise ValueError(f"{path} holds no key with its certificate")
        chain = [c.certificate for c in bundle.additional_certs]
        return cls._checked(bundle.key, bundle.cert.certificate, chain, f"{path}")

    @classmethod
    def _checked(
        cls, key: object, certificate: x509.Certificate, chain: list[x509.Certificate], where: str
    ) -> ServiceSeal:
        if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise ValueError("the seal key must be an EC or RSA private key")
        if certificate.public_key() != key.public_key():
            raise ValueError(f"{where} is not the certificate of the key")
        # The root is the verifier's trust anchor, not part of what the seal carries.
        return cls(key, certificate, tuple(c for c in chain if c.issuer != c.subject))

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def pkcs12(self, password: bytes) -> bytes:
        """Key, certificate and chain as PKCS#12 (for SEAL_PKCS12, and for pyHanko's signer)."""
        return pkcs12.serialize_key_and_certificates(
            b"Intyga seal",
            self.private_key,
            self.certificate,
            list(self.chain) or None,
            serialization.BestAvailableEncryption(password),
        )

    @property
    def private_key_pem(self) -> bytes:
        """Unencrypted PKCS#8: for libraries that take a key only as bytes (pyHanko)."""
        return _pkcs8_pem(self.private_key)

    @property
    def signature_method(self) -> SignatureMethod:
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return SignatureMethod.RSA_SHA256
        return SignatureMethod.ECDSA_SHA256


def seal_xml(document: bytes, seal: ServiceSeal) -> bytes:
    """`document` (an evidence document) with the seal as its last child: XAdES B-LT when the
    seal has a TSA (timestamp, chains and OCSP answers over HTTP), else B-B. Never pretty-print
    the result: every byte counts. Raises LongTermError when the TSA or an OCSP responder fails."""
    root = parse_xml(document)
    bankid = bankid_material(root) if seal.tsa_url else None
    signer = XAdESSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=seal.signature_method,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=_C14N,
        data_object_format=XAdESDataObjectFormat(
            Description="Arbetsgivarintyg med underskrifter", MimeType="application/xml"
        ),
    )
    sealed = signer.sign(root, key=seal.private_key, cert=[seal.certificate, *seal.chain])
    if seal.tsa_url:
        add_long_term(sealed[-1], seal, bankid)
    return _serialise(sealed)


def add_archive_timestamp(data: bytes, seal: ServiceSeal) -> bytes:
    """A sealed document at B-LT or above with an archive timestamp from the seal's TSA added
    (B-LTA), or renewed before what the last one rests on expires. The seal's key is not used.
    Raises LongTermError, or XmlRefused for bytes not in the sealed form."""
    root = parse_xml(data)
    if _serialise(root) != data:
        raise XmlRefused("the bytes are not in the sealed form")
    _seal_certificates(root)
    add_archive_timestamp_to(root[-1], seal)
    return _serialise(root)


def verify_seal_xml(
    data: bytes,
    *,
    trusted: list[x509.Certificate],
    verification_time: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SealVerification:
    """Check the seal of a sealed document against the pinned seal certificates. Never raises."""
    try:
        root = parse_xml(data, max_bytes=max_bytes)
        if _serialise(root) != data:
            return _failed("the bytes are not in the sealed form (a change that XML ignores?)")
        carried = _seal_certificates(root)
        evidence = verify_long_term(
            root[-1], carried=carried, trusted=trusted, at=verification_time or datetime.now(UTC)
        )
        certificate = carried[0]
        config = XAdESSignatureConfiguration(
            location="./",
            expect_references=3,
            signature_methods=_SIGNATURE_METHODS,
            digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
            default_reference_c14n_method=_C14N,
            # A timestamp proves the seal was made while its certificate was valid.
            verification_time=evidence.timestamp.time
            if evidence.timestamp
            else verification_time or datetime.now(UTC),
        )
        results = XAdESVerifier().verify(
            data, x509_cert=certificate, parser=_parser(), expect_config=config
        )
        sealed = results[0].signed_xml
        if sealed is None or sealed.tag != ROOT:
            return _failed("the first reference is not the whole document")
    except (XmlRefused, LongTermError) as exc:
        return _failed(str(exc))
    except Exception as exc:  # noqa: BLE001 - untrusted input can fail anywhere inside signxml
        return _failed(f"{type(exc).__name__}: {exc!s}".rstrip(": "))
    name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    sealed_by = str(name[0].value) if name else certificate.subject.rfc4514_string()
    when = evidence.timestamp.time.isoformat() if evidence.timestamp else _signing_time(root)
    detail = f"sealed by {sealed_by} at {when} (XAdES {evidence.level})"
    return SealVerification(True, detail, sealed, evidence)


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network, no comments or processing
    instructions, bounded size. Raises XmlRefused."""
    if len(data) > max_bytes:
        raise XmlRefused(f"larger than the limit of {max_bytes} bytes")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise XmlRefused("a DOCTYPE or entity declaration is not allowed")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRefused(f"not well-formed XML ({exc!s})") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise XmlRefused("a DOCTYPE is not allowed")
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]
    if outside or any(True for _ in root.iter(etree.Comment, etree.ProcessingInstruction)):
        raise XmlRefused("comments and processing instructions are not allowed")
    return root


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8")


def _failed(detail: str) -> SealVerification:
    return SealVerification(False, detail, None)


def _seal_certificates(root: etree._Element) -> list[x509.Certificate]:
    """The one seal, last in the document, in the exact XAdES shape; KeyInfo's certificates,
    the seal's first.

    signxml verifies what the references cover; this checks the parts nothing covers (the
    Signature's own attributes, the Object wrapping SignedProperties, the SignatureValue text);
    `verify_long_term` checks the unsigned properties and the path to a trust anchor.
    """
    signatures = list(root.iter(f"{{{DS}}}Signature"))
    if len(signatures) != 1 or root[-1] is not signatures[0]:
        raise XmlRefused("expected exactly one seal, as the document's last element")
    signature = signatures[0]
    children = [child.tag for child in signature]
    if children != _SIGNATURE_SHAPE or set(signature.attrib) != {"Id"}:
        raise XmlRefused("the seal is not a XAdES enveloped signature")
    signed_info, value, key_info, wrapper = signature
    properties = wrapper.find(f"{{{XADES}}}QualifyingProperties")
    if (
        value.attrib
        or wrapper.attrib
        or len(wrapper) != 1
        or properties is None
        or len(properties.attrib) != 1
        or properties.get("Target") != f"#{signature.get('Id')}"
        or [child.tag for child in properties][:1] != [f"{{{XADES}}}SignedProperties"]
        or len(properties) > 2
    ):
        raise XmlRefused("the seal's qualifying properties are not in the XAdES shape")
    if not _canonical_base64(value.text):
        raise XmlRefused("the seal's SignatureValue is not canonical base64")
    references = signed_info.findall(f"{{{DS}}}Reference")
    transforms = [t.get("Algorithm") for t in references[0].iter(f"{{{DS}}}Transform")]
    if references[0].get("URI") != "" or transforms != [_ENVELOPED, _C14N.value]:
        raise XmlRefused("the seal's first reference is not the enveloped document")
    texts = [e.text for e in key_info.findall(f"{{{DS}}}X509Data/{{{DS}}}X509Certificate")]
    if not texts or not all(_canonical_base64(text) for text in texts):
        raise XmlRefused("the seal must carry its certificate, in canonical base64")
    try:
        return [
            x509.load_der_x509_certificate(base64.b64decode("".join((text or "").split())))
            for text in texts
        ]
    except ValueError as exc:
        raise XmlRefused(f"the seal's certificate cannot be read ({exc!s})") from exc


def _signing_time(root: etree._Element) -> str:
    found = root.find(f".//{{{XADES}}}SigningTime")
    return "an unknown time" if found is None else found.text or ""


def _canonical_base64(text: str | None) -> bool:
    """Whether decoding and encoding gives the text back: lenient decoders ignore stray bits."""
    compact = "".join((text or "").split())
    try:
        return base64.b64encode(base64.b64decode(compact, validate=True)).decode() == compact
    except (binascii.Error, ValueError):
        return False


def _self_signed(key: SealKey, common_name: str) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Intyga"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        ]
    )
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + SEAL_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _pkcs8_pem(key: SealKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_atomically(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    temporary.replace(path)
