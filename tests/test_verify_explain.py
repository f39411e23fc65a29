"""Failures of a verification explained in plain words, whatever check failed first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.verification.explain import LEVELS, REASONS, evidence, explain
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
        (
            Check("seal", Outcome.FAILED, "the SignatureTimeStamp does not hold: the timestamp…"),
            "changed",
        ),
        (
            Check("seal", Outcome.FAILED, "the file carries no good OCSP answer for 'Intyga…'"),
            "changed",
        ),
        (Check("seal", Outcome.FAILED, "a carried certificate cannot be read (…)"), "changed"),
        (
            Check("seal", Outcome.FAILED, "the seal's certificate is not trusted: the chain…"),
            "other_seal",
        ),
        (Check("input", Outcome.FAILED, "larger than the limit of 10 bytes"), "too_large"),
        (Check("document", Outcome.FAILED, "missing Version"), "unreadable"),
        (Check("signers", Outcome.FAILED, "expected the employer's signature"), "signers"),
        (Check("employer.digest", Outcome.FAILED, "signed another document"), "signed_other"),
        (Check("employee.bankid", Outcome.FAILED, "ocsp: revoked"), "bankid"),
        (Check("employee.bankid", Outcome.NOT_CONFIGURED, "not fully checked: ocsp"), "unchecked"),
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


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_each_level_says_what_it_proves_with_the_time_in_swedish_time(level: str) -> None:
    stamped = level != "B-B"
    report = SealedReport(
        "xml",
        (OK,),
        level=level,  # type: ignore[arg-type]  # each of the Literal's values
        timestamp_time=datetime(2026, 7, 1, 10, 0, tzinfo=UTC) if stamped else None,
        timestamp_authority="Intyga Test TSA" if stamped else None,
    )
    swedish, english = evidence(report, "sv"), evidence(report, "en")
    assert swedish is not None
    assert english is not None
    assert (swedish.name, english.name) == (LEVELS[level].sv, LEVELS[level].en)
    if stamped:
        assert swedish.timestamp == "Tidsstämplad 2026-07-01 12:00 CEST av Intyga Test TSA"
        assert english.timestamp == "Timestamped 1 Jul 2026, 12:00 CEST by Intyga Test TSA"
    else:
        assert swedish.timestamp is None
    assert evidence(SealedReport("xml", (OK,))) is None
