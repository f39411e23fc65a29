"""The PDF of a sealed version: readable and printable, and complete evidence on its own.

The sealed XML travels inside the PDF as its source (an associated file), and the PDF itself
carries the service seal as a PAdES signature (pyHanko) added as an incremental update, so a PDF
alone shows what was signed, by whom, and that nothing changed since. The layout is the
application's (`app.certificates.pdf`): this module reads the document, has it rendered as an
archival PDF/A-3 file, and seals that file without changing its PDF version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from typing import Final, NamedTuple, cast

from asn1crypto import cms  # type: ignore[import-untyped]  # pyHanko's CMS library, unannotated
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.decode_limits import DecodeLimits, StreamDecodeLimits
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers import constants
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.document import SIGNATURES, CertificateDocument, read_document
from signing.seal import DS, ServiceSeal, parse_xml

ATTACHMENT_NAME: Final = "arbetsgivarintyg.xml"
DEFAULT_MAX_BYTES: Final = 20_000_000
SEAL_FIELD: Final = "IntygaStampel"
_PADES: Final = "/ETSI.CAdES.detached"

Renderer = Callable[[CertificateDocument, bytes], bytes]
"""Lays a document out as an archival PDF with the sealed XML (the second argument) attached as
its source: /AF in the catalog, /AFRelationship /Source."""


class PdfSealVerification(NamedTuple):
    """`attachment` is the embedded sealed XML, when the PDF seal holds."""

    ok: bool
    detail: str
    attachment: bytes | None


class _RefusedError(Exception):
    """A check failed; its text is the report's detail."""


def sealed_pdf(sealed_xml: bytes, seal: ServiceSeal, render: Renderer) -> bytes:
    """The PDF of the version in `sealed_xml` (the output of `seal_xml`), with that XML attached
    and the whole file sealed. Rendered from the sealed XML itself, so the two cannot differ.
    Raises ValueError if `render` leaves out the XML or attaches it as anything but the source."""
    root = parse_xml(sealed_xml)
    for signature in root.findall(f"{{{DS}}}Signature"):
        root.remove(signature)
    if root.find(SIGNATURES) is None:
        raise ValueError("expected a sealed evidence document")
    rendered = render(read_document(root), sealed_xml)
    reader = PdfFileReader(BytesIO(rendered), strict=True)
    try:
        attached = _attachment(reader, len(sealed_xml))
        _check_source(reader)
    except _RefusedError as exc:
        raise ValueError(f"the rendered PDF does not carry the sealed XML: {exc}") from exc
    if attached != sealed_xml:
        raise ValueError("the rendered PDF carries another XML than the one sealed")
    writer = IncrementalPdfFileWriter(BytesIO(rendered))
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Intygas elektroniska stämpel",
    )
    certificate = list(load_certs_from_pemder_data(seal.certificate_pem))
    # pyhanko-certvalidator leaves this constructor unannotated. It stays empty: the signing
    # certificate goes into the CMS anyway, and only once.
    registry = cast(Callable[[], SimpleCertificateStore], SimpleCertificateStore)()
    signer = signers.SimpleSigner(
        signing_cert=certificate[0],
        signing_key=load_private_key_from_pemder_data(seal.private_key_pem, None),
        cert_registry=registry,
    )
    output = _SamePdfVersionSigner(metadata, signer).sign_pdf(writer)
    return cast(BytesIO, output).getvalue()


class _SamePdfVersionSigner(signers.PdfSigner):
    """Seals without raising the file's PDF version. pyHanko declares PDF 2.0 (ISO/TS 32002) for
    ECDSA on the NIST curves, but PDF/A-3 is PDF 1.7, where PAdES with ECDSA is declared by the
    ESIC extension alone: a 1.7 header beside a 2.0 catalog would be two versions in one file."""

    def register_extensions(self, pdf_out: BasePdfFileWriter, *, md_algorithm: str) -> None:
        # pyHanko leaves this method unannotated.
        cast(Callable[..., None], pdf_out.ensure_output_version)(version=(1, 7))
        if pdf_out.output_version < (2, 0):
            pdf_out.register_extension(constants.ESIC_EXTENSION_1)


def verify_pdf_seal(
    data: bytes,
    *,
    trusted: list[x509.Certificate],
    verification_time: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PdfSealVerification:
    """Check the PDF's seal and take out the attached XML. Never raises.

    The seal must be the PDF's only signature, made with a pinned certificate, and cover the
    whole file: nothing may be added after sealing.
    """
    try:
        if len(data) > max_bytes:
            raise _RefusedError(f"larger than the limit of {max_bytes} bytes")
        limits = DecodeLimits(per_stream=StreamDecodeLimits(max_output_size=max_bytes))
        reader = PdfFileReader(BytesIO(data), strict=True, decode_limits=limits)
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            raise _RefusedError(f"expected one seal, found {len(signatures)} signatures")
        signature = signatures[0]
        certificate = _pinned_signer(signature, trusted)
        _check_unsigned_parts(data, signature, certificate)
        status = validate_pdf_signature(
            signature, signer_validation_context=_context(certificate, verification_time)
        )
        _check_status(status, signature)
        attachment = _attachment(reader, max_bytes)
    except _RefusedError as exc:
        return PdfSealVerification(False, str(exc), None)
    except Exception as exc:  # noqa: BLE001 - untrusted input can fail anywhere inside pyHanko
        return PdfSealVerification(False, f"{type(exc).__name__}: {exc!s}".rstrip(": "), None)
    when = status.signer_reported_dt
    at = when.astimezone(UTC).isoformat() if when else "an unknown time"
    sealed_by = certificate.subject.rfc4514_string()
    return PdfSealVerification(True, f"PAdES seal by {sealed_by} at {at}", attachment)


def _pinned_signer(
    signature: EmbeddedPdfSignature, trusted: list[x509.Certificate]
) -> x509.Certificate:
    der = cast(bytes, signature.signer_cert.dump())
    for candidate in trusted:
        if candidate.public_bytes(serialization.Encoding.DER) == der:
            return candidate
    fingerprint = hashlib.sha256(der).hexdigest()
    raise _RefusedError(f"sealed with a certificate that is not trusted (SHA-256 {fingerprint})")


def _check_unsigned_parts(
    data: bytes, signature: EmbeddedPdfSignature, certificate: x509.Certificate
) -> None:
    """The signature value is the one part of the file its digest cannot cover, and only part of
    it is covered by the signature itself: the rest (certificates, algorithm lists, versions,
    padding) must be exactly what sealing writes, rebuilt here around the covered parts."""
    _, end_of_first, start_of_second, _ = (int(n) for n in signature.byte_range)
    contents = signature.pkcs7_content
    if data[end_of_first:start_of_second] != b"<" + contents.hex().upper().encode() + b">":
        raise _RefusedError("the signature value is not written in the sealed form")
    if any(contents[_der_length(contents) :]):
        raise _RefusedError("the signature value carries data after its end")
    (pinned,) = load_certs_from_pemder_data(certificate.public_bytes(serialization.Encoding.PEM))
    found = signature.signer_info
    expected = cms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": {
                "version": "v1",
                "digest_algorithms": [{"algorithm": "sha256"}],
                "encap_content_info": {"content_type": "data"},
                "certificates": [pinned],
                "signer_infos": [
                    {
                        "version": "v1",
                        "sid": cms.SignerIdentifier(
                            name="issuer_and_serial_number",
                            value={"issuer": pinned.issuer, "serial_number": pinned.serial_number},
                        ),
                        "digest_algorithm": {"algorithm": "sha256"},
                        "signed_attrs": found["signed_attrs"],
                        "signature_algorithm": found["signature_algorithm"],
                        "signature": found["signature"],
                    }
                ],
            },
        }
    )
    if expected.dump() != contents[: _der_length(contents)]:
        raise _RefusedError("the signature's unsigned parts are not what sealing writes")


def _der_length(value: bytes) -> int:
    """Length of the DER value at the start of `value`, header included."""
    first = value[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    return 2 + count + int.from_bytes(value[2 : 2 + count], "big")


def _context(certificate: x509.Certificate, at: datetime | None) -> ValidationContext:
    """Trust the pinned seal certificate itself, and fetch nothing."""
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    return ValidationContext(
        trust_roots=list(load_certs_from_pemder_data(pem)),
        allow_fetching=False,
        moment=at,
    )


def _check_status(status: PdfSignatureStatus, signature: EmbeddedPdfSignature) -> None:
    """pyHanko's verdict, read strictly: intact, valid, trusted, PAdES, and the whole file."""
    if not status.intact:
        raise _RefusedError("the PDF changed after it was sealed (the digest does not match)")
    if not status.valid:
        raise _RefusedError("the seal's signature value is not valid")
    if not status.trusted:
        raise _RefusedError("the seal certificate is not valid at the verification time")
    if str(signature.sig_object.get("/SubFilter")) != _PADES:
        raise _RefusedError("the seal is not a PAdES signature")
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        raise _RefusedError(
            "the seal does not cover the whole file: something was added afterwards"
        )


def _check_source(reader: PdfFileReader) -> None:
    """The attached file is the PDF's source, as PDF/A-3 asks: listed in the catalog's /AF."""
    spec = reader.root["/Names"]["/EmbeddedFiles"]["/Names"].raw_get(1)
    related = reader.root.get("/AF", [])
    if str(spec.get_object().get("/AFRelationship")) != "/Source":
        raise _RefusedError("the attached file is not marked as the source (/AFRelationship)")
    if not any(entry.reference == spec.reference for entry in related):
        raise _RefusedError("the attached file is not in the catalog's /AF")


def _attachment(reader: PdfFileReader, max_bytes: int) -> bytes:
    try:
        files = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        raise _RefusedError(f"the PDF has no attached {ATTACHMENT_NAME}") from None
    if len(files) != 2 or str(files[0]) != ATTACHMENT_NAME:
        raise _RefusedError(f"expected exactly one attached file, {ATTACHMENT_NAME}")
    payload = cast(bytes, files[1]["/EF"]["/F"].data)
    if len(payload) > max_bytes:
        raise _RefusedError("the attached file is too large")
    return payload
