"""The sealed PDF's long-term evidence (PAdES B-T, B-LT, B-LTA) made with the test PKI over real
HTTP (its RFC 3161 TSA and OCSP responder), judged offline by pyHanko's validator against the
test root only: nothing is fetched when a file is verified."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore

from app.certificates.pdf import render_pdf
from signing.document import CertificateDocument, evidence_document
from signing.pades import LongTerm, add_archive_timestamp
from signing.pdf import bankid_material, sealed_pdf, verify_pdf_seal
from signing.seal import ServiceSeal, seal_xml
from signing.testpki import RunningPKI
from tests.signing.pdftext import pdf_text
from tests.signing.test_pdf_archival import _CLAIMS_LEVEL_A, _NOT_JUDGED, _tool
from tests.support.pades import seal_status_from_dss


@pytest.fixture(scope="session")
def chained_seal(test_pki: RunningPKI) -> ServiceSeal:
    return test_pki.pki.service_seal()


@pytest.fixture(scope="session")
def roots(test_pki: RunningPKI) -> list[x509.Certificate]:
    return [test_pki.pki.root.certificate]


@pytest.fixture(scope="session")
def long_term(test_pki: RunningPKI, chained_seal: ServiceSeal) -> LongTerm:
    return LongTerm(test_pki.tsa_url, (test_pki.pki.root.certificate,), chained_seal.chain)


@pytest.fixture(scope="session")
def lta_xml(signed_document: CertificateDocument, chained_seal: ServiceSeal) -> bytes:
    return seal_xml(evidence_document(signed_document), chained_seal)


@pytest.fixture(scope="session")
def lta_pdf(lta_xml: bytes, chained_seal: ServiceSeal, long_term: LongTerm) -> bytes:
    return sealed_pdf(lta_xml, chained_seal, render_pdf, long_term=long_term)


def test_sealed_at_b_lta(lta_pdf: bytes, roots: list[x509.Certificate], lta_xml: bytes) -> None:
    result = verify_pdf_seal(lta_pdf, trusted=roots)
    assert result.ok, result.detail
    assert result.evidence is not None
    assert result.evidence.level == "B-LTA"
    assert result.evidence.authority == "Intyga Test TSA"
    assert result.detail.startswith("PAdES B-LTA, timestamped 20")
    assert result.attachment == lta_xml
    reader = PdfFileReader(BytesIO(lta_pdf))
    kinds = [s.sig_object_type for s in reader.embedded_signatures]
    assert kinds == ["/Sig", "/DocTimeStamp"]


def test_pyhankos_validator_holds_the_seal_at_b_lt_from_the_dss_alone(
    lta_pdf: bytes, roots: list[x509.Certificate]
) -> None:
    """Revocation data required for every certificate that names a responder, none fetched:
    the seal and its timestamp validate at the timestamp's time from what the /DSS carries."""
    status = seal_status_from_dss(lta_pdf, roots)
    assert status.bottom_line, status.trust_problem_indic
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.trusted
    # The seal, its CA, the TSA (each naming our OCSP responder), and BankID's two signers.
    assert len(DocumentSecurityStore.read_dss(PdfFileReader(BytesIO(lta_pdf))).ocsps) >= 5


def test_the_dss_carries_the_bankid_signers_chains_and_ocsp(
    lta_pdf: bytes, signed_document: CertificateDocument
) -> None:
    reader = PdfFileReader(BytesIO(lta_pdf))
    dss = DocumentSecurityStore.read_dss(reader)
    certificates, responses = bankid_material(signed_document)
    carried = {c.dump() for c in dss.load_certs()}
    assert {c.dump() for c in certificates} <= carried
    ocsps = {o.get_object().data for o in dss.ocsps}
    assert {r.dump() for r in responses} <= ocsps


def test_the_seals_own_revision_is_b_t(lta_pdf: bytes, roots: list[x509.Certificate]) -> None:
    """The file as it was when the seal was made: timestamped, without the /DSS yet."""
    seal = PdfFileReader(BytesIO(lta_pdf)).embedded_signatures[0]
    end = int(seal.byte_range[2]) + int(seal.byte_range[3])
    result = verify_pdf_seal(lta_pdf[:end], trusted=roots)
    assert result.ok, result.detail
    assert result.evidence is not None
    assert result.evidence.level == "B-T"


def test_untrusted_roots_fail(lta_pdf: bytes, chained_seal: ServiceSeal) -> None:
    result = verify_pdf_seal(lta_pdf, trusted=[chained_seal.chain[0]])
    assert not result.ok
    assert "not trusted" in result.detail


def test_qpdf_and_poppler_find_nothing_wrong(lta_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(lta_pdf)
    checked = _tool("qpdf", "--check", str(path), data=b"")
    assert checked.returncode == 0, checked.stdout.decode() + checked.stderr.decode()
    assert "No syntax or stream encoding errors found" in checked.stdout.decode()
    info = _tool("pdfinfo", "-", data=lta_pdf)
    assert info.returncode == 0, info.stderr.decode()
    assert not info.stderr, info.stderr.decode()
    assert re.search(r"^PDF version:\s+1\.7$", info.stdout.decode(), re.MULTILINE)
    assert "Sida 1 av " in pdf_text(lta_pdf)
    signatures = _tool("pdfsig", str(path), data=b"").stdout.decode()
    assert signatures.count("Signature Validation: Signature is Valid.") == 1
    assert "Total document signed" in signatures


def _pdfa_problems(data: bytes) -> list[str]:
    """What pikepdf's PDF/A-3 validator finds beyond what it finds in every sealed PDF (see
    test_pdf_archival); it leaves the /DSS unchecked, as veraPDF would not."""
    report = pikepdf.pdfa.validate_written(BytesIO(data), "3b")
    return [
        f"{finding.rule}: {finding.message}"
        for finding in report.findings
        if not (finding.rule == _CLAIMS_LEVEL_A and "'A'" in finding.message)
        and finding.rule not in _NOT_JUDGED
    ]


def test_still_pdf_a_3_after_the_long_term_updates(lta_pdf: bytes, long_term: LongTerm) -> None:
    renewed = add_archive_timestamp(lta_pdf, long_term)
    for data in (lta_pdf, renewed):
        assert _pdfa_problems(data) == []
        with pikepdf.open(BytesIO(data)) as pdf, pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == "3"
            assert xmp.get("pdfaid:conformance") == "A"
            assert xmp.get("xmp:ModifyDate")
            assert "/ModDate" not in pdf.docinfo
            assert pdf.pdf_version == "1.7"


def test_one_changed_byte_anywhere_fails(lta_pdf: bytes, roots: list[x509.Certificate]) -> None:
    """Every part: the seal, the /DSS, and the last timestamp's value (signed, unsigned and
    padding), which no digest covers."""
    data = lta_pdf
    last = PdfFileReader(BytesIO(data)).embedded_signatures[-1]
    start, end = int(last.byte_range[1]) + 1, int(last.byte_range[2]) - 1
    used = start + 2 * len(last.pkcs7_content.rstrip(b"\0"))
    inside = [*range(start, used, max(1, (used - start) // 25)), used + 10, end - 1]
    spread = [*range(0, len(data), len(data) // 25), len(data) - 1]
    for position in sorted({*spread, *inside}):
        changed = bytearray(data)
        changed[position] ^= 0x01 if chr(data[position]) not in "ABCDEF" else 0x20
        assert not verify_pdf_seal(bytes(changed), trusted=roots).ok, position


def test_an_archive_timestamp_added_later_holds(
    lta_pdf: bytes, long_term: LongTerm, roots: list[x509.Certificate]
) -> None:
    renewed = add_archive_timestamp(lta_pdf, long_term)
    assert renewed.startswith(lta_pdf)
    result = verify_pdf_seal(renewed, trusted=roots)
    assert result.ok, result.detail
    assert result.evidence is not None
    assert result.evidence.level == "B-LTA"
    assert len(result.evidence.archive_timestamps) == 2
    assert not verify_pdf_seal(renewed + b"\n", trusted=roots).ok
    assert verify_pdf_seal(lta_pdf, trusted=roots).ok
