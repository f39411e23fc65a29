"""The cases of rules-2025.md and the boundaries around them: condition, period, level, amount."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.assessment import IncomeMonth, Rule, RulesNotInForce, YearMonth, membership_months
from app.errors import InvalidContent
from tests.assessment.support import UNEMPLOYED, judge, months, percent, run

# --- the cases listed in rules-2025.md ---------------------------------------------------------


def test_twelve_months_of_30000_member_three_years() -> None:
    result = run([30000] * 12)
    assert result.condition_met
    assert result.rule is Rule.MAIN
    assert result.period_days == 300
    assert result.qualifying_months == 12
    assert result.total_income == 360000
    assert result.income_basis == 30000
    assert result.first_monthly_amount == 24000
    assert result.steps[0].daily == 1091  # 24,000 / 22 = 1,090.91


def test_twelve_months_of_50000_are_capped_at_the_ceiling() -> None:
    result = run([50000] * 12)
    assert result.average_income == 50000
    assert result.income_basis == 34000
    assert result.capped
    assert result.first_monthly_amount == 27200
    assert result.steps[0].percent == 80


def test_five_months_of_25000_give_100_days() -> None:
    result = run([0] * 7 + [25000] * 5)
    assert result.total_income == 125000
    assert result.qualifying_months == 5
    assert (result.rule, result.period_days) == (Rule.MAIN, 100)


def test_four_months_in_a_row_of_12000_give_the_alternative_66_days() -> None:
    result = run([0] * 4 + [12000] * 4 + [0] * 4)
    assert result.total_income == 48000
    assert (result.rule, result.period_days) == (Rule.ALTERNATIVE, 66)
    assert result.longest_run == 4
    assert [(step.first_day, step.last_day) for step in result.steps] == [(1, 66)]
    assert result.income_basis == 4000
    assert (result.steps[0].monthly, result.steps[0].daily) == (3200, 145)


def test_four_months_of_12000_not_in_a_row_are_not_enough() -> None:
    result = run([12000, 0, 12000, 0, 12000, 0, 12000, 0, 0, 0, 0, 0])
    assert result.qualifying_months == 4
    assert result.longest_run == 1
    assert not result.condition_met
    assert (result.rule, result.period_days, result.steps) == (Rule.NOT_MET, 0, ())
    assert result.first_monthly_amount is None


def test_one_qualifying_month_is_not_enough_whatever_the_total() -> None:
    result = run([Decimal(10999)] * 11 + [40000])
    assert result.total_income == 160989
    assert result.qualifying_months == 1
    assert result.rule is Rule.NOT_MET


# --- the monthly threshold ----------------------------------------------------------------------


def test_exactly_11000_qualifies() -> None:
    result = run([11000] * 12)
    assert result.qualifying_months == 12
    assert result.period_days == 300


def test_one_ore_below_11000_does_not_qualify() -> None:
    result = run(["10999.99"] * 12)
    assert result.total_income == Decimal("131999.88")
    assert result.qualifying_months == 0
    assert result.rule is Rule.NOT_MET


def test_a_run_of_months_just_below_the_threshold_is_no_run() -> None:
    assert run(["10999.99"] * 4 + [0] * 8).rule is Rule.NOT_MET
    assert run(["11000.00"] * 4 + [0] * 8).rule is Rule.ALTERNATIVE


# --- the yearly threshold and the periods -------------------------------------------------------


def test_exactly_120000_meets_the_yearly_threshold() -> None:
    result = run([0] * 4 + [15000] * 8)
    assert result.total_income == 120000
    assert (result.rule, result.period_days) == (Rule.MAIN, 200)


def test_one_krona_below_120000_falls_back_to_the_alternative() -> None:
    result = run([0] * 4 + [15000] * 7 + [14999])
    assert result.total_income == 119999
    assert (result.rule, result.period_days) == (Rule.ALTERNATIVE, 66)


def test_below_120000_without_a_run_is_not_met_even_with_many_qualifying_months() -> None:
    result = run([11000, 0] * 5 + [0, 0])
    assert result.qualifying_months == 5
    assert result.rule is Rule.NOT_MET


@pytest.mark.parametrize(
    ("qualifying", "days"),
    [(12, 300), (11, 300), (10, 200), (8, 200), (7, 100), (4, 100), (3, 0)],
)
def test_period_by_qualifying_months_with_the_yearly_total_met(qualifying: int, days: int) -> None:
    # The months below the threshold carry the total over 120,000 on their own.
    result = run([10999] * (12 - qualifying) + [40000] * qualifying)
    assert result.total_income >= 120000
    assert result.qualifying_months == qualifying
    assert result.period_days == days
    assert result.rule is (Rule.MAIN if days else Rule.NOT_MET)


def test_three_big_months_are_not_enough() -> None:
    result = run([0] * 9 + [40000] * 3)
    assert result.total_income == 120000
    assert result.rule is Rule.NOT_MET


# --- membership and levels ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member_since", "months_", "levels"),
    [
        (date(2024, 10, 15), 12, (80, 70, 65)),
        (date(2024, 10, 16), 11, (60, 50, 45)),
        (date(2025, 4, 15), 6, (60, 50, 45)),
        (date(2025, 4, 16), 5, (50, 40, 35)),
        (date(2025, 10, 15), 0, (50, 40, 35)),
        (date(2025, 11, 1), 0, (50, 40, 35)),
        (None, 0, (50, 40, 35)),
        (date(2000, 1, 1), 309, (80, 70, 65)),
    ],
)
def test_level_by_membership_time(
    member_since: date | None, months_: int, levels: tuple[int, ...]
) -> None:
    result = run([30000] * 12, member_since=member_since)
    assert result.membership_months == months_
    assert result.levels == levels


@pytest.mark.parametrize(
    ("member_since", "on", "expected"),
    [
        (date(2025, 1, 31), date(2025, 2, 27), 0),
        (date(2025, 1, 31), date(2025, 2, 28), 1),  # February has no 31st
        (date(2024, 8, 31), date(2025, 2, 28), 6),
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2025, 3, 1), date(2025, 3, 31), 0),
        (date(2025, 3, 1), date(2025, 4, 1), 1),
    ],
)
def test_whole_months_of_membership(member_since: date, on: date, expected: int) -> None:
    assert membership_months(member_since, on) == expected


@pytest.mark.parametrize(
    ("member_since", "amounts"),
    [
        (date(2020, 1, 1), [(80, 24000, 1091), (70, 21000, 955), (65, 19500, 886)]),
        (date(2025, 1, 1), [(60, 18000, 818), (50, 15000, 682), (45, 13500, 614)]),
        (date(2025, 6, 1), [(50, 15000, 682), (40, 12000, 545), (35, 10500, 477)]),
    ],
)
def test_step_down_after_100_and_200_days(
    member_since: date, amounts: list[tuple[int, int, int]]
) -> None:
    result = run([30000] * 12, member_since=member_since)
    assert [(s.first_day, s.last_day) for s in result.steps] == [(1, 100), (101, 200), (201, 300)]
    assert [(int(s.percent), s.monthly, s.daily) for s in result.steps] == amounts


def test_a_200_day_period_reaches_two_levels() -> None:
    result = run([0] * 3 + [30000] * 9)
    assert result.period_days == 200
    assert [(s.first_day, s.last_day, int(s.percent)) for s in result.steps] == [
        (1, 100, 80),
        (101, 200, 70),
    ]
    assert result.levels == percent(80, 70, 65)


def test_a_100_day_period_stays_at_the_first_level() -> None:
    result = run([0] * 6 + [30000] * 6)
    assert [(s.first_day, s.last_day, s.monthly) for s in result.steps] == [(1, 100, 12000)]


# --- rounding -----------------------------------------------------------------------------------


def test_the_basis_is_not_rounded_before_the_level() -> None:
    result = run([30000] * 11 + [30006])
    assert result.income_basis == Decimal("30000.5")
    # 80 % of 30,000.50 is 24,000.40; rounding the basis first would give 24,001.
    assert result.steps[0].monthly == 24000


def test_the_daily_amount_comes_from_the_unrounded_monthly_amount() -> None:
    result = run([30000] * 11 + [30188])
    # 80 % of 30,015.67 = 24,012.53 → 24,013 a month; / 22 = 1,091.48 → 1,091 a day, where the
    # rounded monthly amount would give 1,091.50 → 1,092.
    assert (result.steps[0].monthly, result.steps[0].daily) == (24013, 1091)


def test_amounts_round_half_up_to_whole_kronor() -> None:
    result = run([0] * 7 + [Decimal("24751.50")] * 5)
    # basis 10,313.125; 80 % is 8,250.50 → 8,251 (half up, not to even).
    assert result.income_basis == Decimal("10313.125")
    assert result.steps[0].monthly == 8251
    assert result.steps[0].daily == 375


# --- the frame and the table --------------------------------------------------------------------


def test_the_frame_is_the_twelve_months_before_the_month_of_unemployment() -> None:
    result = run([30000] * 12)
    assert (result.frame_first, result.frame_last) == (YearMonth(2024, 10), YearMonth(2025, 9))
    assert [str(month.when) for month in result.months][:2] == ["2024-10", "2024-11"]
    assert len(result.counted) == 12
    assert result.skipped == ()


@pytest.mark.parametrize("day", [date(2026, 1, 1), date(2026, 1, 31)])
def test_the_frame_ends_with_the_year_before(day: date) -> None:
    result = run([30000] * 12, unemployed_on=day)
    assert (result.frame_first, result.frame_last) == (YearMonth(2025, 1), YearMonth(2025, 12))
    assert result.period_days == 300


def test_an_empty_table_meets_nothing() -> None:
    result = judge([])
    assert result.rule is Rule.NOT_MET
    assert result.total_income == 0
    assert result.income_basis == 0
    assert result.steps == ()
    assert len(result.months) == 12
    assert all(month.source is None and month.income == 0 for month in result.months)


def test_months_outside_the_frame_are_ignored() -> None:
    inside = months([30000] * 12)
    outside = [
        *months([99000] * 3, last=YearMonth(2024, 9)),  # before the frame, no skip reason
        IncomeMonth(2025, 10, Decimal(99000), "agi"),  # the month of unemployment
        IncomeMonth(2026, 2, Decimal(99000), "manual"),  # after it
    ]
    plain = judge(inside)
    assert judge([*outside, *inside]) == plain
    assert plain.total_income == 360000


def test_missing_months_count_as_no_income() -> None:
    table = [row for row in months([30000] * 12) if row.month not in (1, 2)]
    result = judge(table)
    assert result.total_income == 300000
    assert result.qualifying_months == 10
    assert result.period_days == 200
    missing = [m for m in result.months if m.source is None]
    assert [str(m.when) for m in missing] == ["2025-01", "2025-02"]


def test_the_order_of_the_rows_does_not_matter() -> None:
    table = months([0, 12000, 30000, 0, 11000, 45000, 0, 0, 12000, 12000, 12000, 12000])
    assert judge(reversed(table)) == judge(table)


def test_each_month_counts_once() -> None:
    table = [*months([30000] * 12), IncomeMonth(2025, 3, Decimal(1), "manual")]
    with pytest.raises(InvalidContent) as refused:
        judge(table)
    assert refused.value.errors == {12: {"month": ["duplicate_month"]}}


def test_what_months_counted_is_shown() -> None:
    result = run([0] * 8 + [12000, 10000, 12000, 12000])
    assert [(str(m.when), int(m.income), m.qualifying) for m in result.months[-4:]] == [
        ("2025-06", 12000, True),
        ("2025-07", 10000, False),
        ("2025-08", 12000, True),
        ("2025-09", 12000, True),
    ]
    assert result.qualifying_months == 3
    assert result.rule is Rule.NOT_MET


# --- the rules in force and the label -----------------------------------------------------------


def test_before_2025_10_01_the_income_rules_are_not_in_force() -> None:
    with pytest.raises(RulesNotInForce) as refused:
        run([30000] * 12, unemployed_on=date(2025, 9, 30))
    assert refused.value.code == "rules_not_in_force"
    assert run([30000] * 12, unemployed_on=date(2025, 10, 1)).rules.effective_from == date(
        2025, 10, 1
    )


def test_the_assessment_is_labelled_preliminary_in_both_languages() -> None:
    result = run([30000] * 12)
    assert result.preliminary
    assert result.notice("sv").startswith("Preliminär bedömning")
    assert "a-kassan" in result.notice("sv")
    assert "2025-10-01" in result.notice("sv")
    assert result.notice("en").startswith("Preliminary assessment")
    assert result.notice("de") == result.notice("sv")


def test_the_day_in_the_month_does_not_move_the_frame() -> None:
    early = run([30000] * 12, unemployed_on=date(2025, 10, 1))
    late = run([30000] * 12, unemployed_on=date(2025, 10, 31))
    assert (late.frame_first, late.frame_last) == (YearMonth(2024, 10), YearMonth(2025, 9))
    assert (early.months, early.steps) == (late.months, late.steps)
    assert late.unemployed_on == date(2025, 10, 31) != UNEMPLOYED
