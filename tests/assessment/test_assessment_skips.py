"""Skippable months: the frame reaches one month further back per month left out, and a month is
left out only when that helps the person."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest

from app.assessment import IncomeMonth, Rule, YearMonth
from tests.assessment.support import Amount, judge, months, run

SICK = "sickness"


def skipped(amounts: Sequence[Amount], reasons: dict[int, str]) -> list[str]:
    return [str(month.when) for month in run(amounts, reasons=reasons).skipped]


@pytest.mark.parametrize(
    "reason", ["sickness", "child_care", "parental_benefit", "full_time_study", "business"]
)
def test_each_reason_lets_a_month_be_skipped(reason: str) -> None:
    # Four months off before unemployment, a full year of work before that.
    amounts = [30000] * 12 + [0] * 4
    result = run(amounts, reasons={12: reason, 13: reason, 14: reason, 15: reason})
    assert (result.frame_first, result.frame_last) == (YearMonth(2024, 6), YearMonth(2025, 9))
    assert [str(month.when) for month in result.skipped] == [
        "2025-06",
        "2025-07",
        "2025-08",
        "2025-09",
    ]
    assert all(month.skip_reason == reason for month in result.skipped)
    assert result.period_days == 300
    assert result.income_basis == 30000
    assert result.total_income == 360000
    assert len(result.counted) == 12


def test_without_a_reason_the_same_months_count() -> None:
    result = run([30000] * 12 + [0] * 4)
    assert result.skipped == ()
    assert (result.qualifying_months, result.period_days) == (8, 200)


def test_none_is_no_reason() -> None:
    table = months([30000] * 12 + [0], reasons={12: "none"})
    assert table[-1].skip_reason is None
    assert judge(table).skipped == ()


def test_a_month_with_a_reason_but_good_income_is_kept() -> None:
    # Sick part of May but paid in full; April 2024 had nothing.
    assert skipped([0] + [30000] * 12, {8: SICK}) == []


def test_a_skip_that_changes_nothing_is_not_made() -> None:
    # Sick in September with no income, but the month the frame would reach back to is empty too.
    result = run([0] + [30000] * 11 + [0], reasons={12: SICK})
    assert result.skipped == ()
    assert (result.frame_first, result.period_days) == (YearMonth(2024, 10), 300)


def test_a_skip_that_only_raises_the_basis_is_made() -> None:
    result = run([30000] * 12 + [12000], reasons={12: SICK})
    assert [str(month.when) for month in result.skipped] == ["2025-09"]
    assert result.income_basis == 30000  # not (11 × 30,000 + 12,000) / 12 = 28,500


def test_no_skip_when_the_ceiling_caps_the_basis_either_way() -> None:
    result = run([50000] * 12 + [40000], reasons={12: SICK})
    assert result.skipped == ()
    assert result.income_basis == 34000


def test_skipping_can_lengthen_the_period() -> None:
    amounts = [30000] * 4 + [0] * 2 + [30000] * 8
    assert run(amounts).period_days == 200
    result = run(amounts, reasons={4: SICK, 5: SICK})
    assert [str(month.when) for month in result.skipped] == ["2024-12", "2025-01"]
    assert result.period_days == 300
    assert result.income_basis == 30000


def test_only_the_months_that_help_are_skipped() -> None:
    # Three months with reasons: two empty, one paid; only the empty ones go.
    amounts = [30000, 30000, 30000, 0, 30000, 0, *[30000] * 8]
    result = run(amounts, reasons={3: SICK, 4: SICK, 5: "parental_benefit"})
    assert [(str(m.when), m.skip_reason) for m in result.skipped] == [
        ("2024-11", SICK),
        ("2025-01", "parental_benefit"),
    ]
    assert result.frame_first == YearMonth(2024, 8)
    assert (result.qualifying_months, result.period_days) == (12, 300)


def test_skipped_months_do_not_break_a_run() -> None:
    # 12,000, 12,000, sick, 12,000, 12,000: in a row once the sick month is left out.
    amounts = [0] * 7 + [12000, 12000, 0, 12000, 12000]
    assert run(amounts).rule is Rule.NOT_MET
    result = run(amounts, reasons={9: SICK})
    assert (result.rule, result.period_days, result.longest_run) == (Rule.ALTERNATIVE, 66, 4)
    assert not result.skipped[0].qualifying


def test_a_skip_that_gives_the_alternative_beats_a_larger_total_without_it() -> None:
    # Skipping the sick month with 10,000 joins two runs of two; its income is lost, but 66 days
    # beat none.
    amounts = [0] * 7 + [12000, 12000, 10000, 12000, 12000]
    result = run(amounts, reasons={9: SICK})
    assert result.rule is Rule.ALTERNATIVE
    assert result.total_income == 48000


def test_of_two_skippable_months_only_the_one_breaking_the_run_is_skipped() -> None:
    # Sick in July (6,000) and September (5,000): leaving out July alone makes April–August a
    # run of four and keeps September's 5,000; leaving out both would lose it.
    amounts = [0] * 7 + [12000, 12000, 12000, 6000, 12000, 5000]
    result = run(amounts, reasons={10: SICK, 12: SICK})
    assert [str(month.when) for month in result.skipped] == ["2025-07"]
    assert (result.rule, result.longest_run) == (Rule.ALTERNATIVE, 4)
    assert result.total_income == 53000


def test_the_frame_can_reach_past_months_that_themselves_have_reasons() -> None:
    amounts = [30000] * 12 + [0] * 3 + [30000] + [0] * 2
    reasons = {12: SICK, 13: "full_time_study", 14: SICK, 16: SICK, 17: SICK}
    result = run(amounts, reasons=reasons)
    assert len(result.skipped) == 5
    assert result.frame_first == YearMonth(2024, 5)
    assert result.income_basis == 30000


def test_months_absent_from_the_table_cannot_be_skipped() -> None:
    table = [*months([30000] * 12, last=YearMonth(2025, 5))]
    # June to September 2025 are missing: they count, with no income.
    result = judge(table)
    assert result.skipped == ()
    assert result.qualifying_months == 8


@pytest.mark.parametrize(("sick", "basis"), [(60, 30000), (61, 27500)])
def test_the_frame_reaches_back_at_most_five_years(sick: int, basis: int) -> None:
    amounts = [30000] * 12 + [0] * sick
    result = run(amounts, reasons=dict.fromkeys(range(12, 12 + sick), SICK))
    assert len(result.skipped) == 60
    assert result.income_basis == basis
    assert result.period_days == 300


def test_skipped_months_show_their_income_and_are_not_counted() -> None:
    table = [
        *months([30000] * 12, last=YearMonth(2025, 8)),
        IncomeMonth(2025, 9, Decimal(4000), "agi", SICK),
    ]
    result = judge(table)
    (month,) = result.skipped
    assert (str(month.when), month.source, month.qualifying) == ("2025-09", "agi", False)
    assert month.income == 4000
    assert result.total_income == 360000
