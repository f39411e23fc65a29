"""Income tables from the employer's data: AGI statements, certificate content, the stored table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.assessment import (
    IncomeMonth,
    Rule,
    YearMonth,
    assess,
    employer_income,
    income_from_agi,
    income_from_content,
    income_months,
)
from app.errors import InvalidContent
from payroll_adapters import IncomeRecord
from schemas import load_content
from schemas.examples import full_example, income_2025_example
from tests.payroll_adapters.support import fixture, incomes, read

A, B = "198112189876", "198506152340"  # the people of the AGI fixture
ORGNR = "5560160680"


def agi_record(
    month: int,
    income: int,
    *,
    pnr: str = A,
    orgnr: str = ORGNR,
    number: int = 1,
    year: int = 2025,
    removed: bool = False,
) -> IncomeRecord:
    return IncomeRecord(
        personnummer=pnr,
        year=year,
        month=month,
        cash_pay=income,
        benefits=0,
        employer="16" + orgnr,
        specification_number=number,
        source_pointer="/",
        record_key=f"{orgnr}-{pnr}-{year}{month:02d}-{number}",
        removed=removed,
    )


def rows(months: tuple[IncomeMonth, ...]) -> list[tuple[str, int, str]]:
    """The months with their amounts in whole kronor (AGI holds no öre)."""
    return [(str(month.when), int(month.amount), month.source) for month in months]


# --- the stored income table --------------------------------------------------------------------


def test_a_table_is_read_through_its_schema() -> None:
    table = income_months(
        [
            {"year": 2025, "month": 2, "amount": 30000, "source": "manual"},
            {"year": 2025, "month": 1, "amount": 0, "source": "agi", "skip_reason": "sickness"},
            {"year": 2024, "month": 12, "amount": 100, "source": "payroll", "skip_reason": "none"},
        ]
    )
    assert table == (
        IncomeMonth(2024, 12, Decimal(100), "payroll"),
        IncomeMonth(2025, 1, Decimal(0), "agi", "sickness"),
        IncomeMonth(2025, 2, Decimal(30000), "manual"),
    )


def test_a_bad_table_is_refused_with_keys_per_row() -> None:
    row = {"year": 2025, "month": 1, "amount": 30000, "source": "agi"}
    with pytest.raises(InvalidContent) as refused:
        income_months([row, {**row, "amount": -5}])
    assert refused.value.errors == {1: {"amount": ["too_small:0"], "month": ["duplicate_month"]}}
    with pytest.raises(InvalidContent):
        income_months({"not": "a list"})


def test_a_month_stores_as_a_table_row_in_whole_kronor() -> None:
    month = IncomeMonth(2025, 3, Decimal("30187.50"), "payroll", "sickness")
    assert month.as_row() == {
        "year": 2025,
        "month": 3,
        "amount": 30188,
        "source": "payroll",
        "skip_reason": "sickness",
    }
    assert income_months([month.as_row()])[0].amount == 30188


@pytest.mark.parametrize(
    "changes",
    [
        {"month": 13},
        {"amount": Decimal(-1)},
        {"amount": Decimal("NaN")},
        {"source": "rumour"},
        {"skip_reason": "holiday"},
    ],
)
def test_a_month_refuses_what_the_schema_would(changes: dict[str, Any]) -> None:
    given: dict[str, Any] = {"year": 2025, "month": 1, "amount": Decimal(1), "source": "agi"}
    with pytest.raises(ValueError, match="must be"):
        IncomeMonth(**{**given, **changes})


# --- AGI ----------------------------------------------------------------------------------------


def test_agi_statements_in_force_per_month_for_one_person() -> None:
    records = incomes(read("agi", fixture("agi_2025.xml")))
    # January: 35,000 cash pay and 3,500 benefits; the second statement (5,000) was withdrawn.
    assert rows(income_from_agi(records, personnummer=A)) == [
        ("2025-01", 38500, "agi"),
        ("2025-02", 35000, "agi"),
    ]
    # February's corrected statement replaces the first: 29,500 + 800 fuel benefit.
    assert rows(income_from_agi(records, personnummer=B)) == [
        ("2025-01", 28000, "agi"),
        ("2025-02", 30300, "agi"),
    ]


def test_agi_income_is_summed_over_employers_unless_one_is_asked_for() -> None:
    records = [agi_record(1, 20000), agi_record(1, 9000, orgnr="5599999991"), agi_record(2, 100)]
    assert rows(income_from_agi(records)) == [("2025-01", 29000, "agi"), ("2025-02", 100, "agi")]
    assert rows(income_from_agi(records, employer_orgnr="5599999991")) == [("2025-01", 9000, "agi")]


def test_agi_for_other_people_is_left_out() -> None:
    records = [agi_record(1, 20000), agi_record(1, 50000, pnr=B)]
    assert rows(income_from_agi(records, personnummer=A)) == [("2025-01", 20000, "agi")]


# --- certificate content ------------------------------------------------------------------------


def full(**salary: Any) -> dict[str, Any]:
    content = full_example()
    content["salary"].update(salary)
    return load_content(content, "full")


def test_an_income_2025_certificate_holds_no_pay() -> None:
    derived = income_from_content(load_content(income_2025_example(), "income_2025"), "income_2025")
    assert derived.months == ()
    assert derived.notes == ("no_pay_in_variant",)
    assert "arbetsgivardeklarationerna" in derived.note_texts("sv")[0]
    assert derived.note_texts("en")[0].startswith("A certificate under the 2025 rules")


def test_monthly_salary_with_supplements_per_month() -> None:
    derived = income_from_content(full(), "full")
    by_month = {str(m.when): m.amount for m in derived.months}
    assert len(by_month) == 12
    assert by_month["2024-07"] == Decimal("34500")
    assert by_month["2025-02"] == Decimal("35040")  # OB supplement 540
    assert by_month["2025-06"] == Decimal("52900")  # holiday pay 18,400 at the end
    assert {m.source for m in derived.months} == {"payroll"}
    assert derived.notes == ("salary_estimated", "no_skip_reasons")


def test_hourly_pay_is_rate_times_hours_plus_supplements_per_hour() -> None:
    content = full_example()
    content["salary"].update(
        salary_type="Timlon",
        amount="200.00",
        overtime_supplement="85.00",
        extra_time_supplement="40.00",
        supplements=[],
    )
    content["worked_time"]["months"][0].update(overtime="10.00", extra_time="5.50")
    derived = income_from_content(load_content(content, "full"), "full")
    first, second = derived.months[:2]
    # July 2024: 168 h × 200 + 10 h × 85 + 5.5 h × 40.
    assert (first.when, first.amount) == (YearMonth(2024, 7), Decimal("34670.00"))
    assert second.amount == Decimal("35200.00")  # 176 h × 200


@pytest.mark.parametrize("salary_type", ["Veckolon", "Daglon"])
def test_weekly_and_daily_pay_give_no_months(salary_type: str) -> None:
    derived = income_from_content(full(salary_type=salary_type), "full")
    assert derived.months == ()
    assert derived.notes == ("pay_not_by_month",)


def test_absence_and_teachers_pay_are_noted() -> None:
    content = full_example()
    content["worked_time"]["months"][3]["absence"] = "16.00"
    content["teacher_salary"] = {"holiday_pay": True, "holiday_pay_amount": "12000.00"}
    derived = income_from_content(load_content(content, "full"), "full")
    assert derived.notes == (
        "salary_estimated",
        "absence_not_deducted",
        "teacher_pay_not_by_month",
        "no_skip_reasons",
    )
    assert len(derived.note_texts("en")) == 4


def test_a_draft_without_salary_gives_nothing() -> None:
    content = full_example()
    del content["salary"]
    assert income_from_content(load_content(content, "full", partial=True), "full").months == ()


def test_an_unknown_variant_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown variant"):
        income_from_content({}, "old")


# --- the employer's data together ---------------------------------------------------------------


def test_agi_wins_and_the_certificate_fills_the_months_agi_lacks() -> None:
    records = [agi_record(5, 31000, pnr="191212121212"), agi_record(6, 40000, pnr="191212121212")]
    derived = employer_income(full(), "full", records, personnummer="191212121212")
    by_month = {str(m.when): (m.amount, m.source) for m in derived.months}
    assert by_month["2025-05"] == (Decimal(31000), "agi")
    assert by_month["2025-06"] == (Decimal(40000), "agi")
    assert by_month["2025-04"] == (Decimal(34500), "payroll")
    assert len(by_month) == 12
    assert derived.notes == ("salary_estimated", "no_skip_reasons")


def test_agi_covering_every_month_drops_the_estimate_notes() -> None:
    records = [agi_record(month, 30000) for month in range(1, 13)]
    content = load_content(income_2025_example(), "income_2025")
    derived = employer_income(content, "income_2025", records)
    assert derived.notes == ("no_skip_reasons",)
    assert len(derived.months) == 12


def test_no_employer_data_gives_an_empty_table() -> None:
    content = load_content(income_2025_example(), "income_2025")
    derived = employer_income(content, "income_2025")
    assert (derived.months, derived.notes) == ((), ("no_pay_in_variant",))


def test_the_full_example_assessed_from_the_employers_data() -> None:
    derived = employer_income(full(), "full")
    # Pay from July 2024 to June 2025; unemployed from 1 October, the frame is October–September.
    result = assess(derived.months, unemployed_on=date(2025, 10, 1), member_since=None)
    assert result.frame_first == YearMonth(2024, 10)
    assert result.total_income == 9 * 34500 + 540 + 18400
    assert result.qualifying_months == 9
    assert (result.rule, result.period_days) == (Rule.MAIN, 200)
    assert result.first_monthly_amount == 13727  # 50 % of 27,453.33 without membership
