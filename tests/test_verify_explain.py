"""Failures of a verification explained in plain words, whatever check failed first."""

from __future__ import annotations

import pytest

from app.verification.explain import REASONS, explain
from signing.bankid.verify import Check, Outcome
from signing.sealed import SealedReport

OK = Check("input", Outcome.OK, "XML, 2000 bytes")


@pytest.mark.parametrize(
    ("check", "reason"),
    [
        (
            Check("seal", Outcome.FAILED, "InvalidDigest: Digest mismatch for reference 0 ()"),
            "changed",
        ),
        (
            Check("seal", Outcome.FAILED, "the bytes are not in the sealed form (a change…)"),
            "changed",
        ),
        (Check("pdf_seal", Outcome.FAILED, "the PDF changed after it was sealed"), "changed"),
        (Check("seal", Outcome.FAILED, "not well-formed XML (line 1)"), "not_intyga"),
        (
            Check("seal", Outcome.FAILED, "expected exactly one seal, as the document's last"),
            "not_intyga",
        ),
        (Check("input", Outcome.FAILED, "neither a sealed XML document nor a PDF"), "not_intyga"),
        (
            Check("pdf_seal", Outcome.FAILED, "the PDF has no attached arbetsgivarintyg.xml"),
            "not_intyga",
        ),
        (
            Check("seal", Outcome.FAILED, "sealed with a certificate that is not trusted (SHA…)"),
            "other_seal",
        ),
        (Check("input", Outcome.FAILED, "larger than the limit of 10 bytes"), "too_large"),
        (Check("document", Outcome.FAILED, "missing Version"), "unreadable"),
        (Check("signers", Outcome.FAILED, "expected the employer's signature"), "signers"),
        (Check("employer.digest", Outcome.FAILED, "signed another document"), "signed_other"),
        (Check("employee.bankid", Outcome.FAILED, "ocsp: revoked"), "bankid"),
        (Check("employee.bankid", Outcome.NOT_CONFIGURED, "not fully checked: ocsp"), "unchecked"),
        (
            Check(
                "employer.signing_time",
                Outcome.FAILED,
                "the stated signing time 2020-01-01T00:00:00+00:00 is outside the signer's "
                "certificate validity (2026-01-01T00:00:00+00:00 to 2028-01-01T00:00:00+00:00)",
            ),
            "time_outside_bankid",
        ),
        (
            Check(
                "employee.signing_time",
                Outcome.FAILED,
                "the stated signing time 2026-03-01T09:00:00+00:00 is 1:00:00 from BankID's OCSP "
                "time 2026-03-01T10:00:00+00:00 (at most 0:05:00)",
            ),
            "time_not_bankids",
        ),
        (Check("employer.personal_number", Outcome.FAILED, "someone else"), "wrong_person"),
        (Check("employee.is_the_employee", Outcome.FAILED, "someone else"), "not_employee"),
        (
            Check("seal", Outcome.NOT_CONFIGURED, "no trusted seal certificate given"),
            "not_configured",
        ),
        (
            Check("unexpected", Outcome.FAILED, "verification stopped on an unexpected KeyError"),
            "unexpected",
        ),
    ],
)
def test_each_failure_has_its_plain_explanation(check: Check, reason: str) -> None:
    report = SealedReport("xml", (OK, check))
    swedish = explain(report, "sv")
    english = explain(report, "en")
    assert swedish is not None
    assert english is not None
    assert swedish.reason == english.reason == reason
    assert swedish.headline == REASONS[reason].sv
    assert english.headline == REASONS[reason].en
    assert swedish.detail == f"{check.name}: {check.detail}"


def test_a_valid_file_needs_no_explanation() -> None:
    assert explain(SealedReport("xml", (OK,))) is None
