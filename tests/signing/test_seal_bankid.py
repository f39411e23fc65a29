"""Sealed documents carrying real BankID test signatures, checked as anyone would check a file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from signing.bankid.verify import Outcome
from signing.document import CertificateDocument, EidEvidence, evidence_document
from signing.seal import ServiceSeal, seal_xml
from signing.sealed import SealedReport, verify_file
from tests.signing.conftest_seal import (
    AKASSA,
    EMPLOYEE,
    EMPLOYER_SIGNATORY,
    LiveBankID,
    make_document,
)


def check(doc: CertificateDocument, seal: ServiceSeal, bankid: LiveBankID) -> SealedReport:
    """Seal `doc` as the service would, then verify the file."""
    data = seal_xml(evidence_document(doc), seal)
    return verify_file(data, trusted_seals=[seal.certificate], bankid_roots=[bankid.root])


def failed(report: SealedReport) -> dict[str, str]:
    assert not report.ok
    return {c.name: c.detail for c in report.checks if c.outcome is Outcome.FAILED}


def test_a_signed_and_approved_version_verifies_fully(
    sealed_xml: bytes,
    signed_document: CertificateDocument,
    service_seal: ServiceSeal,
    bankid: LiveBankID,
) -> None:
    report = verify_file(
        sealed_xml, trusted_seals=[service_seal.certificate], bankid_roots=[bankid.root]
    )
    assert report.ok, report.checks
    assert report.kind == "xml"
    assert report.document == signed_document
    assert [c.name for c in report.checks] == [
        "input",
        "seal",
        "document",
        "signers",
        "employer.digest",
        "employer.bankid",
        "employer.signing_time",
        "employer.personal_number",
        "employee.digest",
        "employee.bankid",
        "employee.signing_time",
        "employee.personal_number",
        "employee.is_the_employee",
    ]
    employer, employee = report.signers
    assert (employer.role, employer.personal_number, employer.verified) == (
        "employer",
        EMPLOYER_SIGNATORY,
        True,
    )
    assert (employee.role, employee.name, employee.personal_number, employee.akassa) == (
        "employee",
        "Tolvan Tolvansson",
        EMPLOYEE,
        AKASSA,
    )
    assert "OCSP good" in {c.name: c.detail for c in report.checks}["employee.bankid"]


def test_without_the_bankid_root_the_signatures_are_not_fully_checked(
    sealed_xml: bytes, service_seal: ServiceSeal
) -> None:
    report = verify_file(sealed_xml, trusted_seals=[service_seal.certificate], bankid_roots=[])
    assert not report.ok
    assert report.failure is None
    outcomes = {c.name: c.outcome for c in report.checks}
    assert outcomes["employer.bankid"] is Outcome.NOT_CONFIGURED
    assert outcomes["seal"] is Outcome.OK


def test_another_bankid_root_is_not_trusted(sealed_xml: bytes, service_seal: ServiceSeal) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Falsk BankID-rot")])
    now = datetime.now(UTC)
    fake_root = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    report = verify_file(
        sealed_xml, trusted_seals=[service_seal.certificate], bankid_roots=[fake_root]
    )
    assert "certificate_chain" in failed(report)["employer.bankid"]


def test_a_changed_digest_fails(
    signed_document: CertificateDocument, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    employer, employee = signed_document.evidence
    forged = replace(employer, document_digest="0" * 64)
    report = check(replace(signed_document, evidence=[forged, employee]), service_seal, bankid)
    assert set(failed(report)) == {"employer.digest"}
    assert not report.signers[0].verified
    assert report.signers[1].verified


def test_content_changed_after_signing_fails_even_when_resealed(
    signed_document: CertificateDocument, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    content = dict(signed_document.content)
    content["employment"] = {**content["employment"], "position": "Platschef"}
    report = check(replace(signed_document, content=content), service_seal, bankid)
    failures = failed(report)
    assert {"employer.digest", "employee.digest", "employer.bankid"} <= set(failures)
    assert "non_visible_data" in failures["employer.bankid"]


def test_a_swapped_signature_fails(
    signed_document: CertificateDocument, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    employer, employee = signed_document.evidence
    swapped = replace(employer, signature=employee.signature, ocsp_response=employee.ocsp_response)
    failures = failed(
        check(replace(signed_document, evidence=[swapped, employee]), service_seal, bankid)
    )
    assert "visible_data" in failures["employer.bankid"]
    assert "employer.personal_number" in failures


def test_a_changed_personal_number_fails(
    signed_document: CertificateDocument, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    employer, employee = signed_document.evidence
    claimed = replace(employee, personal_number="197505054564")
    failures = failed(
        check(replace(signed_document, evidence=[employer, claimed]), service_seal, bankid)
    )
    assert set(failures) == {"employee.personal_number", "employee.is_the_employee"}


def test_an_approval_by_someone_else_than_the_employee_fails(
    signed_document: CertificateDocument, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    employer, _ = signed_document.evidence
    stranger = bankid.sign(signed_document, "employee", "197505054564", AKASSA)
    report = check(replace(signed_document, evidence=[employer, stranger]), service_seal, bankid)
    assert set(failed(report)) == {"employee.is_the_employee"}


def test_signatures_come_employer_first(
    signed_document: CertificateDocument, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    employer, employee = signed_document.evidence
    for evidence in ([employee], [employee, employer], [], [employer, employer]):
        report = check(replace(signed_document, evidence=evidence), service_seal, bankid)
        assert "signers" in failed(report)


def test_a_signature_from_the_employer_alone_is_a_complete_first_step(
    bankid: LiveBankID, service_seal: ServiceSeal
) -> None:
    doc = make_document(version=2)
    signed: list[EidEvidence] = [bankid.sign(doc, "employer", EMPLOYER_SIGNATORY, None)]
    report = check(replace(doc, evidence=signed), service_seal, bankid)
    assert report.ok, report.checks
    assert [s.role for s in report.signers] == ["employer"]
