"""The PDF's evidence: the sealed XML attached as its source, and a PAdES seal over it all."""

from __future__ import annotations

from io import BytesIO

import pikepdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.certificates.pdf import render_pdf
from signing.bankid.verify import Outcome
from signing.document import CertificateDocument
from signing.pdf import ATTACHMENT_NAME, sealed_pdf, verify_pdf_seal
from signing.seal import ServiceSeal
from signing.sealed import verify_file
from tests.signing.conftest_seal import LiveBankID


def test_the_sealed_xml_is_attached(sealed_pdf_file: bytes, sealed_xml: bytes) -> None:
    reader = PdfFileReader(BytesIO(sealed_pdf_file))
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert str(names[0]) == ATTACHMENT_NAME
    assert names[1]["/EF"]["/F"].data == sealed_xml


def test_the_pades_seal_validates(
    sealed_pdf_file: bytes, sealed_xml: bytes, service_seal: ServiceSeal
) -> None:
    ok, detail, attachment, evidence = verify_pdf_seal(
        sealed_pdf_file, trusted=[service_seal.certificate]
    )
    assert ok, detail
    assert detail.startswith("PAdES B-B: seal by ")
    assert attachment == sealed_xml
    assert evidence is not None
    assert evidence.level == "B-B"
    reader = PdfFileReader(BytesIO(sealed_pdf_file))
    (signature,) = reader.embedded_signatures
    assert str(signature.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"


def test_a_pdf_alone_is_full_evidence(
    sealed_pdf_file: bytes,
    signed_document: CertificateDocument,
    service_seal: ServiceSeal,
    bankid: LiveBankID,
) -> None:
    report = verify_file(
        sealed_pdf_file, trusted_seals=[service_seal.certificate], bankid_roots=[bankid.root]
    )
    assert report.ok, report.checks
    assert report.kind == "pdf"
    assert [c.name for c in report.checks][:4] == ["input", "pdf_seal", "seal", "document"]
    assert report.document == signed_document
    assert [s.role for s in report.signers] == ["employer", "employee"]


def test_another_seal_is_not_trusted(sealed_pdf_file: bytes, other_seal: ServiceSeal) -> None:
    result = verify_pdf_seal(sealed_pdf_file, trusted=[other_seal.certificate])
    assert not result.ok
    assert "not trusted" in result.detail


def test_anything_added_after_sealing_fails(
    sealed_pdf_file: bytes, service_seal: ServiceSeal
) -> None:
    for changed in (sealed_pdf_file + b"\n", sealed_pdf_file + b"%%EOF\n"):
        result = verify_pdf_seal(changed, trusted=[service_seal.certificate])
        assert not result.ok, result.detail


def test_truncated_or_oversized_pdfs_fail(
    sealed_pdf_file: bytes, service_seal: ServiceSeal
) -> None:
    trusted = [service_seal.certificate]
    for end in (5, len(sealed_pdf_file) // 2, len(sealed_pdf_file) - 10):
        assert not verify_pdf_seal(sealed_pdf_file[:end], trusted=trusted).ok
    limit = len(sealed_pdf_file) - 1
    assert "limit" in verify_pdf_seal(sealed_pdf_file, trusted=trusted, max_bytes=limit).detail


def test_one_changed_byte_anywhere_fails(sealed_pdf_file: bytes, service_seal: ServiceSeal) -> None:
    data = sealed_pdf_file
    gap = data.index(b"/Contents <") + len(b"/Contents <")
    step = len(data) // 60
    positions = [*range(0, len(data), step), gap + 3, gap + 2000, len(data) - 600, len(data) - 1]
    trusted = [service_seal.certificate]
    for position in positions:
        changed = bytearray(data)
        changed[position] ^= 0x01 if chr(data[position]) not in "ABCDEF" else 0x20
        assert not verify_pdf_seal(bytes(changed), trusted=trusted).ok, position


def test_the_pdf_is_rendered_from_what_was_sealed(
    sealed_xml: bytes, service_seal: ServiceSeal
) -> None:
    with pytest.raises(ValueError, match="sealed evidence document"):
        sealed_pdf(
            sealed_xml.replace(b"<Underskrifter>", b"<X>").replace(b"</Underskrifter>", b"</X>"),
            service_seal,
            render_pdf,
        )


def test_garbage_is_reported_not_raised(service_seal: ServiceSeal) -> None:
    for data in (b"%PDF-1.7\n%garbage", b"plain text", b""):
        report = verify_file(data, trusted_seals=[service_seal.certificate], bankid_roots=[])
        assert not report.ok
        assert report.failure is not None
        assert report.failure.outcome is Outcome.FAILED


def test_sealing_refuses_a_pdf_without_the_xml_as_its_source(
    sealed_xml: bytes, service_seal: ServiceSeal
) -> None:
    def other_xml(doc: CertificateDocument, xml: bytes) -> bytes:
        return render_pdf(doc, xml.replace(b"7f0c2d0e", b"7f0c2d0f", 1))

    with pytest.raises(ValueError, match="another XML"):
        sealed_pdf(sealed_xml, service_seal, other_xml)

    def unrelated(doc: CertificateDocument, xml: bytes) -> bytes:
        pdf = pikepdf.open(BytesIO(render_pdf(doc, xml)))
        del pdf.Root.AF
        out = BytesIO()
        pdf.save(out)
        return out.getvalue()

    with pytest.raises(ValueError, match="/AF"):
        sealed_pdf(sealed_xml, service_seal, unrelated)
