"""The PDF of a sealed version: readable and printable, and complete evidence on its own.

The sealed XML travels inside the PDF as its source (an associated file), and the PDF itself
carries the service seal as a PAdES signature (pyHanko) added as an incremental update, so a PDF
alone shows what was signed, by whom, and that nothing changed since. The layout is the
application's (`app.certificates.pdf`): this module reads the document, has it rendered as an
archival PDF/A-3 file, and seals that file without changing its PDF version.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from typing import Final, NamedTuple, cast

# pyHanko's ASN.1 library, unannotated
from asn1crypto import cms, ocsp  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.decode_limits import DecodeLimits, StreamDecodeLimits
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers import constants
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.document import SIGNATURES, CertificateDocument, read_document
from signing.pades import (
    SEAL_DSS,
    TIMESTAMP_FIELD,
    Evidence,
    EvidenceRefused,
    LongTerm,
    asn1,
    judge,
)
from signing.seal import DS, ServiceSeal, parse_xml

ATTACHMENT_NAME: Final = "arbetsgivarintyg.xml"
DEFAULT_MAX_BYTES: Final = 20_000_000
SEAL_FIELD: Final = "IntygaStampel"
# Hex digits reserved for the seal's CMS with its signature timestamp: the seal and its CA,
# the TSA's token and certificate come to about 5 KB of DER (10 K digits); twice that for a
# longer chain or RSA keys.
SEAL_ROOM: Final = 24_000

Renderer = Callable[[CertificateDocument, bytes], bytes]
"""Lays a document out as an archival PDF with the sealed XML (the second argument) attached as
its source: /AF in the catalog, /AFRelationship /Source."""


class PdfSealVerification(NamedTuple):
    """`attachment` is the embedded sealed XML and `evidence` what the PDF proves, when the
    PDF seal holds."""

    ok: bool
    detail: str
    attachment: bytes | None
    evidence: Evidence | None = None


class _RefusedError(Exception):
    """A check failed; its text is the report's detail."""


def sealed_pdf(
    sealed_xml: bytes, seal: ServiceSeal, render: Renderer, *, long_term: LongTerm | None = None
) -> bytes:
    """The PDF of the version in `sealed_xml` (the output of `seal_xml`), with that XML attached
    and the whole file sealed: PAdES B-LTA with `long_term`, by default the seal's own TSA and
    roots (the BankID signers' chains and OCSP responses in the /DSS beside the seal's and the
    TSA's), B-B without. Rendered from the sealed XML itself, so the two cannot differ. Raises
    ValueError if `render` leaves out the XML or attaches it as anything but the source,
    SigningError if the TSA or an OCSP responder fails."""
    root = parse_xml(sealed_xml)
    for signature in root.findall(f"{{{DS}}}Signature"):
        root.remove(signature)
    if root.find(SIGNATURES) is None:
        raise ValueError("expected a sealed evidence document")
    document = read_document(root)
    rendered = render(document, sealed_xml)
    reader = PdfFileReader(BytesIO(rendered), strict=True)
    try:
        attached = _attachment(reader, len(sealed_xml))
        _check_source(reader)
    except (_RefusedError, EvidenceRefused) as exc:
        raise ValueError(f"the rendered PDF does not carry the sealed XML: {exc}") from exc
    if attached != sealed_xml:
        raise ValueError("the rendered PDF carries another XML than the one sealed")
    writer = IncrementalPdfFileWriter(BytesIO(rendered))
    certificate = list(load_certs_from_pemder_data(seal.certificate_pem))
    long_term = long_term or LongTerm.of(seal)
    intermediates = [] if long_term is None else asn1(long_term.intermediates)
    # pyhanko-certvalidator leaves this constructor unannotated. The signing certificate goes
    # into the CMS anyway, and only once; the intermediates join it for B-T and better.
    registry = cast(Callable[..., SimpleCertificateStore], SimpleCertificateStore.from_certs)(
        intermediates
    )
    signer = signers.SimpleSigner(
        signing_cert=certificate[0],
        signing_key=load_private_key_from_pemder_data(seal.private_key_pem, None),
        cert_registry=registry,
    )
    if long_term is None:
        metadata = _metadata()
        output = _SamePdfVersionSigner(metadata, signer).sign_pdf(writer)
        return cast(BytesIO, output).getvalue()
    certificates, responses = bankid_material(document)
    DocumentSecurityStore.supply_dss_in_writer(writer, None, certs=certificates, ocsps=responses)
    metadata = _metadata(
        embed_validation_info=True,
        use_pades_lta=True,
        validation_context=long_term.context(),
        timestamp_field_name=TIMESTAMP_FIELD,
        dss_settings=SEAL_DSS,
    )
    sealer = _SamePdfVersionSigner(metadata, signer, timestamper=long_term.timestamper())
    # Room for the seal's CMS fixed rather than estimated: pyHanko's estimate signs and
    # timestamps a dry run and DER-encodes it, which took asn1crypto seconds at times.
    return cast(BytesIO, sealer.sign_pdf(writer, bytes_reserved=SEAL_ROOM)).getvalue()


def _metadata(**long_term: object) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Intygas elektroniska stämpel",
        **long_term,  # type: ignore[arg-type]
    )


def bankid_material(
    document: CertificateDocument,
) -> tuple[list[asn1_x509.Certificate], list[ocsp.OCSPResponse]]:
    """The certificates in the BankID signatures' KeyInfo and BankID's OCSP responses, as the
    evidence document carries them: in the /DSS they serve readers that know PAdES, not XML."""
    certificates: dict[bytes, asn1_x509.Certificate] = {}
    responses = []
    for evidence in document.evidence:
        signed = parse_xml(base64.b64decode(evidence.signature, validate=True))
        for element in signed.iterfind(f".//{{{DS}}}X509Certificate"):
            der = base64.b64decode("".join((element.text or "").split()), validate=True)
            certificates[der] = asn1_x509.Certificate.load(der)
        responses.append(ocsp.OCSPResponse.load(base64.b64decode(evidence.ocsp_response)))
    return list(certificates.values()), responses


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
    """Check the PDF's seal, judge its PAdES level offline and take out the attached XML.
    Never raises.

    `trusted` are the roots (or pinned seal certificates) the seal and the TSAs must chain to.
    The seal is the PDF's first signature; only document timestamps and /DSS updates may follow
    it, and the last signature covers the whole file: nothing may be added after it.
    """
    try:
        if len(data) > max_bytes:
            raise _RefusedError(f"larger than the limit of {max_bytes} bytes")
        limits = DecodeLimits(per_stream=StreamDecodeLimits(max_output_size=max_bytes))
        reader = PdfFileReader(BytesIO(data), strict=True, decode_limits=limits)
        judged = judge(reader, trusted, verification_time)
        _check_unsigned_parts(data, judged.last, judged.last_paths)
        attachment = _attachment(reader, max_bytes)
    except (_RefusedError, EvidenceRefused) as exc:
        return PdfSealVerification(False, str(exc), None)
    except Exception as exc:  # noqa: BLE001 - untrusted input can fail anywhere inside pyHanko
        error = f"{type(exc).__name__}: {exc!s}".rstrip(": ")
        return PdfSealVerification(False, f"the PDF changed or is damaged ({error})", None)
    seal = reader.embedded_signatures[0]
    sealed_by = seal.signer_cert.subject.human_friendly
    evidence = judged.evidence
    when = evidence.timestamped_at or seal.self_reported_timestamp
    at = when.astimezone(UTC).isoformat() if when else "an unknown time"
    detail = f"{evidence.describe()}: seal by {sealed_by} at {at}"
    return PdfSealVerification(True, detail, attachment, evidence)


def _check_unsigned_parts(
    data: bytes, signature: EmbeddedPdfSignature, allowed: frozenset[bytes]
) -> None:
    """The last signature's value is the one part of the file no digest covers, and only part
    of it is covered by the signature itself: the rest (certificates, algorithm lists,
    versions, unsigned attributes, padding) must be exactly what sealing writes, rebuilt here
    around the covered parts, carrying only certificates its validation used."""
    _, end_of_first, start_of_second, _ = (int(n) for n in signature.byte_range)
    contents = signature.pkcs7_content
    if data[end_of_first:start_of_second] != b"<" + contents.hex().upper().encode() + b">":
        raise _RefusedError("the signature value is not written in the sealed form")
    length = _der_length(contents)
    if any(contents[length:]):
        raise _RefusedError("the signature value carries data after its end")
    found = cms.ContentInfo.load(contents[:length])
    if _rebuilt(found, allowed).dump() != contents[:length]:
        raise _RefusedError("the signature's unsigned parts are not what sealing writes")


def _rebuilt(found: cms.ContentInfo, allowed: frozenset[bytes]) -> cms.ContentInfo:
    """`found` as RFC 5652 and our sealing write it: computed versions, the one digest
    algorithm, certificates from the validation paths only, no CRLs, and no unsigned
    attribute but a signature timestamp, itself rebuilt."""
    if found["content_type"].native != "signed_data":
        raise _RefusedError("the signature value is not CMS signed data")
    signed = found["content"]
    (info,) = signed["signer_infos"]
    certificates = []
    for choice in signed["certificates"]:
        if choice.name != "certificate" or choice.chosen.dump() not in allowed:
            raise _RefusedError("the signature carries a certificate its validation does not use")
        certificates.append(choice.chosen)
    issuer_and_serial = info["sid"].name == "issuer_and_serial_number"
    rebuilt_info = {
        "version": "v1" if issuer_and_serial else "v3",
        "sid": info["sid"],
        "digest_algorithm": info["digest_algorithm"],
        "signed_attrs": info["signed_attrs"],
        "signature_algorithm": info["signature_algorithm"],
        "signature": info["signature"],
    }
    unsigned = info["unsigned_attrs"]
    if unsigned.native is not None:
        rebuilt_info["unsigned_attrs"] = [
            {"type": "signature_time_stamp_token", "values": [_rebuilt(token, allowed)]}
            for token in _timestamp_tokens(unsigned)
        ]
    content = {
        "version": "v1" if signed["encap_content_info"]["content_type"].native == "data" else "v3",
        "digest_algorithms": [info["digest_algorithm"]],
        "encap_content_info": signed["encap_content_info"],
        "signer_infos": [rebuilt_info],
    }
    if certificates:
        content["certificates"] = certificates
    return cms.ContentInfo({"content_type": "signed_data", "content": content})


def _timestamp_tokens(unsigned: cms.CMSAttributes) -> list[cms.ContentInfo]:
    if len(unsigned) != 1 or unsigned[0]["type"].native != "signature_time_stamp_token":
        raise _RefusedError("the seal carries unsigned attributes besides its timestamp")
    values = unsigned[0]["values"]
    if len(values) != 1:
        raise _RefusedError("the seal carries more than one timestamp")
    return [values[0]]


def _der_length(value: bytes) -> int:
    """Length of the DER value at the start of `value`, header included."""
    first = value[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    return 2 + count + int.from_bytes(value[2 : 2 + count], "big")


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
