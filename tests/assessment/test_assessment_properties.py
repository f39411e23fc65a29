"""Properties over generated income tables: the engine agrees with a brute-force reading of the
rules, more income or another skip reason never makes the outcome worse, and the figures hang
together."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.assessment import Assessment, IncomeMonth, Rule, YearMonth, assess
from app.assessment.parameters import RuleParameters

SETTINGS = settings(
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
REASONS = ("sickness", "child_care", "parental_benefit", "full_time_study", "business")
FIRST = YearMonth(2023, 6)
SPAN = 32  # June 2023 to January 2026: past the frame's reach on both sides
AMOUNTS = st.one_of(
    st.sampled_from(["0", "10999", "10999.99", "11000", "12000", "15000", "30000", "50000"]).map(
        Decimal
    ),
    st.integers(0, 60000).map(Decimal),
)
UNEMPLOYED = st.dates(date(2025, 10, 1), date(2026, 1, 31))
MEMBERS = st.none() | st.dates(date(2015, 1, 1), date(2026, 2, 1))


@st.composite
def tables(draw: st.DrawFn, max_reasons: int = 6) -> list[IncomeMonth]:
    """Up to SPAN months, each at most once, at most `max_reasons` of them with a skip reason."""
    offsets = draw(st.lists(st.integers(0, SPAN - 1), unique=True, max_size=SPAN))
    table = []
    reasons = 0
    for offset in offsets:
        when = FIRST.shifted(offset)
        reason = draw(st.none() | st.sampled_from(REASONS)) if reasons < max_reasons else None
        reasons += reason is not None
        table.append(IncomeMonth(when.year, when.month, draw(AMOUNTS), "agi", reason))
    return table


def rank(result: Assessment) -> tuple[int, Decimal]:
    """How good an outcome is for the person: the period first, then the income basis."""
    return result.period_days, result.income_basis if result.condition_met else Decimal(0)


def brute_force(
    table: list[IncomeMonth], unemployed_on: date, rules: RuleParameters
) -> tuple[tuple[int, Decimal], int]:
    """The best (period, basis) over every set of skippable months left out, read straight
    from rules-2025.md, and the fewest months left out to reach it."""
    by_month = {month.when: month for month in table}
    last = YearMonth.of(unemployed_on).shifted(-1)
    skippable = [when for when, month in by_month.items() if month.skip_reason and when <= last]
    outcomes = []
    for size in range(len(skippable) + 1):
        for left_out in itertools.combinations(skippable, size):
            counted: list[Decimal] = []
            when = last
            while len(counted) < rules.frame_months:
                if when not in left_out:
                    month = by_month.get(when)
                    counted.append(month.amount if month else Decimal(0))
                when = when.shifted(-1)
            if any(month <= when for month in left_out):
                continue  # not reached: the same frame as a smaller set
            qualifying = [amount >= rules.monthly_income_threshold for amount in counted]
            longest = max(
                (len(list(run)) for q, run in itertools.groupby(qualifying) if q), default=0
            )
            total = sum(counted, Decimal(0))
            days, _ = rules.period_days(total, sum(qualifying), longest)
            basis = min(total / rules.frame_months, rules.income_ceiling) if days else Decimal(0)
            outcomes.append(((days, basis), size))
    best = max(outcome for outcome, _ in outcomes)
    return best, min(size for outcome, size in outcomes if outcome == best)


@SETTINGS
@given(tables(), UNEMPLOYED, MEMBERS)
def test_the_engine_finds_the_best_frame_that_brute_force_finds(
    table: list[IncomeMonth], unemployed_on: date, member_since: date | None
) -> None:
    result = assess(table, unemployed_on=unemployed_on, member_since=member_since)
    best, fewest_skips = brute_force(table, unemployed_on, result.rules)
    assert rank(result) == best
    assert len(result.skipped) == fewest_skips


@SETTINGS
@given(tables(max_reasons=SPAN), UNEMPLOYED, MEMBERS)
def test_the_outcome_hangs_together(
    table: list[IncomeMonth], unemployed_on: date, member_since: date | None
) -> None:
    result = assess(table, unemployed_on=unemployed_on, member_since=member_since)
    rules = result.rules
    assert result.period_days in {0, 66, 100, 200, 300}
    assert result.rule is {0: Rule.NOT_MET, 66: Rule.ALTERNATIVE}.get(result.period_days, Rule.MAIN)
    assert result.frame_last == YearMonth.of(unemployed_on).shifted(-1)
    assert [m.when for m in result.months] == [
        result.frame_first.shifted(i) for i in range(len(result.months))
    ]
    assert len(result.counted) == rules.frame_months
    assert len(result.skipped) <= rules.max_skipped_months
    assert all(month.skip_reason in REASONS for month in result.skipped)
    assert result.total_income == sum((m.income for m in result.counted), Decimal(0))
    assert result.qualifying_months == sum(m.qualifying for m in result.months)
    assert result.income_basis == min(result.total_income / 12, rules.income_ceiling)
    assert [step.first_day for step in result.steps] == [1, 101, 201][: len(result.steps)]
    assert (result.steps[-1].last_day if result.steps else 0) == result.period_days
    for step in result.steps:
        exact = result.income_basis * step.percent / 100
        assert abs(step.monthly - exact) <= Decimal("0.5")
        assert abs(step.daily - exact / 22) <= Decimal("0.5")
        assert step.monthly <= rules.round(rules.income_ceiling * step.percent / 100)


@SETTINGS
@given(tables(), UNEMPLOYED, MEMBERS, st.integers(0, SPAN - 1), st.integers(1, 40000))
def test_more_income_never_makes_the_outcome_worse(
    table: list[IncomeMonth],
    unemployed_on: date,
    member_since: date | None,
    offset: int,
    extra: int,
) -> None:
    when = FIRST.shifted(offset)
    richer = [m for m in table if m.when != when]
    before = next((m for m in table if m.when == when), IncomeMonth(*when, Decimal(0), "manual"))
    richer.append(replace(before, amount=before.amount + extra))
    plain = assess(table, unemployed_on=unemployed_on, member_since=member_since)
    more = assess(richer, unemployed_on=unemployed_on, member_since=member_since)
    assert rank(more) >= rank(plain)


@SETTINGS
@given(tables(), UNEMPLOYED, MEMBERS, st.integers(0, SPAN - 1), st.sampled_from(REASONS))
def test_a_skip_reason_never_makes_the_outcome_worse(
    table: list[IncomeMonth],
    unemployed_on: date,
    member_since: date | None,
    offset: int,
    reason: str,
) -> None:
    when = FIRST.shifted(offset)
    before = next((m for m in table if m.when == when), IncomeMonth(*when, Decimal(0), "manual"))
    excused = [*(m for m in table if m.when != when), replace(before, skip_reason=reason)]
    plain = assess(table, unemployed_on=unemployed_on, member_since=member_since)
    assert rank(assess(excused, unemployed_on=unemployed_on, member_since=member_since)) >= rank(
        plain
    )


@SETTINGS
@given(tables(), UNEMPLOYED, MEMBERS, MEMBERS)
def test_longer_membership_never_lowers_the_level(
    table: list[IncomeMonth], unemployed_on: date, one: date | None, other: date | None
) -> None:
    first, second = (
        assess(table, unemployed_on=unemployed_on, member_since=since) for since in (one, other)
    )
    if first.membership_months <= second.membership_months:
        first, second = second, first
    assert all(a >= b for a, b in zip(first.levels, second.levels, strict=True))
    assert (first.period_days, first.income_basis) == (second.period_days, second.income_basis)


@SETTINGS
@given(tables(), UNEMPLOYED, MEMBERS, st.data())
def test_the_order_of_the_rows_and_later_months_do_not_matter(
    table: list[IncomeMonth], unemployed_on: date, member_since: date | None, data: st.DataObject
) -> None:
    reordered = data.draw(st.permutations(table))
    before = [m for m in table if m.when < YearMonth.of(unemployed_on)]
    result = assess(table, unemployed_on=unemployed_on, member_since=member_since)
    assert assess(reordered, unemployed_on=unemployed_on, member_since=member_since) == result
    assert assess(before, unemployed_on=unemployed_on, member_since=member_since) == result
