"""A signature's stated time is BankID's: inside the signer's certificate and at its OCSP time.

A sealed document states when each party signed (`Undertecknat`). The verifier holds that time
against BankID's evidence, so a document dated before the signer's BankID existed, or away from
the moment BankID's OCSP responder vouched for it, fails even when sealed by the service itself.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from app.verification.explain import REASONS, explain
from signing.bankid.verify import SIGNING_TIME_TOLERANCE, Outcome
from signing.document import CertificateDocument, evidence_document
from signing.seal import ServiceSeal, seal_xml
from signing.sealed import SealedReport, verify_file
from tests.signing.conftest_seal import LiveBankID, produced_at


def _restated(doc: CertificateDocument, shift: timedelta) -> CertificateDocument:
    """The document with the employer's stated time moved by `shift`, all else as signed."""
    employer, *others = doc.evidence
    return replace(doc, evidence=[replace(employer, signed_at=employer.signed_at + shift), *others])


def _check(doc: CertificateDocument, seal: ServiceSeal, bankid: LiveBankID) -> SealedReport:
    data = seal_xml(evidence_document(doc), seal)
    return verify_file(data, trusted_seals=[seal.certificate], bankid_roots=[bankid.root])


def test_the_stated_time_is_bankids_ocsp_time(
    signed_document: CertificateDocument, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    report = _check(signed_document, service_seal, bankid)
    assert report.ok, report.failure
    for evidence, signer in zip(signed_document.evidence, report.signers, strict=True):
        assert signer.signed_at == produced_at(evidence.ocsp_response)
    checks = {c.name: c for c in report.checks}
    assert checks["employer.signing_time"].outcome is Outcome.OK
    assert "BankID's OCSP time" in checks["employer.signing_time"].detail


def test_a_time_within_the_tolerance_of_bankids_holds(
    signed_document: CertificateDocument, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    shift = SIGNING_TIME_TOLERANCE - timedelta(seconds=1)
    assert _check(_restated(signed_document, -shift), service_seal, bankid).ok
    assert _check(_restated(signed_document, shift), service_seal, bankid).ok


@pytest.mark.parametrize(
    ("shift", "reason", "detail"),
    [
        # Before the test BankID was issued (the CA itself is at most 400 days old).
        (-timedelta(days=3 * 365), "time_outside_bankid", "outside the signer's certificate"),
        # Inside the certificate (issued a day before its first use), away from BankID's time.
        (-timedelta(minutes=30), "time_not_bankids", "from BankID's OCSP time"),
        (SIGNING_TIME_TOLERANCE + timedelta(seconds=1), "time_not_bankids", "at most 0:05:00"),
    ],
)
def test_a_backdated_or_moved_time_fails_with_its_explanation(
    signed_document: CertificateDocument,
    service_seal: ServiceSeal,
    bankid: LiveBankID,
    shift: timedelta,
    reason: str,
    detail: str,
) -> None:
    report = _check(_restated(signed_document, shift), service_seal, bankid)
    assert not report.ok
    assert report.failure is not None
    assert report.failure.name == "employer.signing_time"
    assert detail in report.failure.detail
    outcomes = {c.name: c.outcome for c in report.checks}
    assert outcomes["seal"] is outcomes["employer.bankid"] is Outcome.OK, "only the time is wrong"
    assert outcomes["employee.signing_time"] is Outcome.OK
    employer, employee = report.signers
    assert (employer.verified, employee.verified) == (False, True)
    swedish, english = explain(report, "sv"), explain(report, "en")
    assert swedish is not None
    assert english is not None
    assert (swedish.reason, swedish.headline) == (reason, REASONS[reason].sv)
    assert english.headline == REASONS[reason].en


def test_without_bankids_evidence_the_time_is_not_confirmed(
    sealed_xml: bytes, service_seal: ServiceSeal
) -> None:
    report = verify_file(sealed_xml, trusted_seals=[service_seal.certificate], bankid_roots=[])
    assert not report.ok
    # OCSP holds without the root, so BankID's time is known; the chain is what stays unchecked.
    outcomes = {c.name: c.outcome for c in report.checks}
    assert outcomes["employer.signing_time"] is Outcome.OK
    assert outcomes["employer.bankid"] is Outcome.NOT_CONFIGURED


def _xmlsec1() -> str:
    found = shutil.which("xmlsec1")
    if found is None:
        pytest.skip("xmlsec1 is not installed (Debian package xmlsec1, see the Makefile)")
    return found


def test_xmlsec1_verifies_bankids_signatures_as_they_are(
    signed_document: CertificateDocument, bankid: LiveBankID, tmp_path: Path
) -> None:
    """An a-kassa's own tool checks the signatures the file carries against the pinned root,
    with no change to the bytes, and refuses a changed one."""
    xmlsec1 = _xmlsec1()
    root = tmp_path / "root.pem"
    root.write_bytes(bankid.root.public_bytes(serialization.Encoding.PEM))
    for evidence in signed_document.evidence:
        path = tmp_path / f"{evidence.role}.xml"
        path.write_bytes(base64.b64decode(evidence.signature))
        argv = [xmlsec1, "--verify", "--trusted-pem", str(root)]
        result = subprocess.run(  # noqa: S603 - our own arguments
            [*argv, "--id-attr:Id", "bankIdSignedData", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "SignedInfo References (ok/all): 2/2" in result.stdout + result.stderr
        changed = path.read_bytes().replace(b"<usrNonVisibleData>", b"<usrNonVisibleData>A", 1)
        path.write_bytes(changed)
        refused = subprocess.run(  # noqa: S603 - our own arguments
            [*argv, "--id-attr:Id", "bankIdSignedData", str(path)],
            capture_output=True,
            check=False,
        )
        assert refused.returncode != 0


def test_xmlsec1_verifies_bankids_genuine_sample(sample: bytes, tmp_path: Path) -> None:
    """Its root is not published with it and its certificates expired in 2023: the signature
    value and both references are what xmlsec1 checks here."""
    xmlsec1 = _xmlsec1()
    path = tmp_path / "genuine.xml"
    path.write_bytes(sample)
    genuine = subprocess.run(  # noqa: S603 - our own arguments
        [xmlsec1, "--verify", "--insecure", "--id-attr:Id", "bankIdSignedData", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert genuine.returncode == 0, genuine.stderr
