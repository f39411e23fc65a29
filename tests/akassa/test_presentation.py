"""A verification report as the officer reads it: each signer's verdict with its reasons."""

from __future__ import annotations

from datetime import UTC, datetime

from app.akassa_portal.presentation import verification_view
from signing.bankid.verify import Check, Outcome
from signing.document import Akassa
from signing.sealed import SealedReport, Signer

WHEN = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def test_each_signer_gets_the_reasons_of_their_own_failed_checks() -> None:
    report = SealedReport(
        "xml",
        (
            Check("seal", Outcome.OK, "sealed by Intyga"),
            Check("signers", Outcome.OK, "employer then employee"),
            Check("employer.digest", Outcome.OK, "the signed digest is the sealed content's"),
            Check("employer.bankid", Outcome.OK, "signed with BankID"),
            Check("employee.digest", Outcome.FAILED, "signed another document"),
            Check("employee.bankid", Outcome.NOT_CONFIGURED, "not fully checked: ocsp"),
        ),
        (
            Signer("employer", "Carl Certifierare", "198506129819", WHEN, None, True),
            Signer(
                "employee", "Tolvan", "191212121212", WHEN, Akassa("Unionens a-kassa", "u"), False
            ),
        ),
    )
    view = verification_view(report)
    assert not view.ok
    assert view.problems == ()
    employer, employee = view.signers
    assert employer.verified
    assert employer.problems == ()
    assert not employee.verified
    assert employee.akassa_name == "Unionens a-kassa"
    assert employee.problems == (
        "employee.digest: signed another document",
        "employee.bankid: not fully checked: ocsp",
    )
    assert view.explanation == "En underskrift gäller ett annat innehåll än det som förseglades."
    english = verification_view(report, "en")
    assert english.explanation == "A signature was made on other content than what was sealed."


def test_a_broken_seal_is_a_problem_of_the_file() -> None:
    report = SealedReport("xml", (Check("seal", Outcome.FAILED, "the seal does not verify"),))
    view = verification_view(report)
    assert not view.ok
    assert view.signers == ()
    assert view.problems == ("seal: the seal does not verify",)
