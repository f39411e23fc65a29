"""A result says when it is uncertain and why: months without data, pay only estimated."""

from __future__ import annotations

from app.assessment import YearMonth, employer_income
from tests import factories as f
from tests.assessment.support import LAST, judge, months, run
from tests.assessment.test_assessment_sources import agi_record


def test_months_without_data_are_missing_and_make_the_result_uncertain() -> None:
    found = judge(months([30_000] * 6))
    assert found.missing_months == tuple(LAST.shifted(-11 + i) for i in range(6))
    assert all(m.missing for m in found.months[:6])
    assert not any(m.missing for m in found.months[6:])
    assert found.uncertainties == ("missing_months",)
    assert found.period_days == 100, "the floor: unknown months add nothing"


def test_a_full_table_of_declared_income_is_certain() -> None:
    found = run([30_000] * 12)
    assert found.missing_months == ()
    assert found.uncertainties == ()


def test_pay_estimated_from_a_certificate_is_said_to_be_estimated() -> None:
    found = judge(months([30_000] * 12, source="payroll"))
    assert found.uncertainties == ("estimated_months",)
    assert len(found.estimated_months) == 12


def test_agi_fills_the_months_a_certificate_does_not_cover() -> None:
    """The certificate's months end in June 2025; AGI declares July to September."""
    content = f.content("full")
    alone = judge(employer_income(content, "full").months)
    assert YearMonth(2025, 8) in alone.missing_months
    agi = [agi_record(month, 31_000, pnr=f.EMPLOYEE_PNR) for month in (7, 8, 9)]
    filled = judge(employer_income(content, "full", agi, personnummer=f.EMPLOYEE_PNR).months)
    assert filled.missing_months == ()
    assert {m.when: m.source for m in filled.months}[YearMonth(2025, 8)] == "agi"
