"""The preliminary assessment: what a table of monthly income means under the 2025 rules.

Pure and Flask-free: income months, the first day of unemployment and the membership start in,
an `Assessment` out. Money is Decimal throughout and rounded to whole kronor only in the amounts
at the very end (`Step`), so a rounded figure never feeds another.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.assessment.frame import choose_frame
from app.assessment.income import IncomeMonth, YearMonth, by_month
from app.assessment.parameters import RuleParameters, RuleTable, default_rules

NOTICE = {
    "sv": (
        "Preliminär bedömning enligt reglerna för den inkomstbaserade arbetslöshetsförsäkringen "
        "som gäller från {date}. Den bygger bara på inkomsterna per månad som visas här. Det är "
        "a-kassan som prövar rätten till ersättning och beslutar om beloppet."
    ),
    "en": (
        "Preliminary assessment under the rules of the income-based unemployment insurance in "
        "force from {date}. It rests only on the income per month shown here. The a-kassa "
        "examines the right to benefit and decides the amount."
    ),
}


class Rule(StrEnum):
    """Which rule gave the period."""

    MAIN = "main"
    ALTERNATIVE = "alternative"
    NOT_MET = "not_met"


@dataclass(frozen=True)
class FrameMonth:
    """One month from the frame's first to its last, counted or left out.

    `source` is None for a month the income table does not hold: "uppgift saknas". It counts
    with no income, which makes the whole result uncertain (`Assessment.uncertainties`).
    """

    when: YearMonth
    income: Decimal
    source: str | None
    skip_reason: str | None
    skipped: bool
    qualifying: bool

    @property
    def missing(self) -> bool:
        return self.source is None


@dataclass(frozen=True)
class Step:
    """A band of benefit days (clipped to the period) at one level, with the amounts in whole
    kronor: a full month of benefit (`monthly`) and a benefit day (`daily`)."""

    first_day: int
    last_day: int
    percent: Decimal
    monthly: int
    daily: int


@dataclass(frozen=True)
class Assessment:
    """The outcome, labelled preliminary: the a-kassa decides.

    `levels` are the per-cent levels of every band for the membership time, met or not;
    `steps` only the bands the period reaches, with amounts (none when the condition is not met).
    `income_basis` is the average over the frame's months capped at the ceiling, unrounded.
    """

    rules: RuleParameters
    unemployed_on: date
    member_since: date | None
    membership_months: int
    rule: Rule
    period_days: int
    frame_first: YearMonth
    frame_last: YearMonth
    months: tuple[FrameMonth, ...]
    total_income: Decimal
    qualifying_months: int
    longest_run: int
    average_income: Decimal
    income_basis: Decimal
    levels: tuple[Decimal, ...]
    steps: tuple[Step, ...]
    preliminary: bool = True

    @property
    def condition_met(self) -> bool:
        return self.rule is not Rule.NOT_MET

    @property
    def capped(self) -> bool:
        """Whether the ceiling cut the average down."""
        return self.income_basis < self.average_income

    @property
    def counted(self) -> tuple[FrameMonth, ...]:
        return tuple(month for month in self.months if not month.skipped)

    @property
    def skipped(self) -> tuple[FrameMonth, ...]:
        return tuple(month for month in self.months if month.skipped)

    @property
    def missing_months(self) -> tuple[YearMonth, ...]:
        """Counted months with no income data: counted as 0 kr, so the result is a floor."""
        return tuple(month.when for month in self.counted if month.missing)

    @property
    def estimated_months(self) -> tuple[YearMonth, ...]:
        """Counted months whose income is derived from a certificate's pay, not declared."""
        return tuple(month.when for month in self.counted if month.source == "payroll")

    @property
    def uncertainties(self) -> tuple[str, ...]:
        """Why the result may be wrong, as codes (`UNCERTAINTIES`); empty when every counted
        month holds declared or stated income."""
        found = []
        if self.missing_months:
            found.append("missing_months")
        if self.estimated_months:
            found.append("estimated_months")
        return tuple(found)

    @property
    def first_monthly_amount(self) -> int | None:
        """The estimated benefit for a full month at first, or None when not met."""
        return self.steps[0].monthly if self.steps else None

    def notice(self, locale: str) -> str:
        """The preliminary label in "sv" or "en" (Swedish for any other locale)."""
        text = NOTICE.get(locale, NOTICE["sv"])
        return text.format(date=self.rules.effective_from.isoformat())


def membership_months(member_since: date | None, on: date) -> int:
    """Whole months of membership on `on`; a month is complete on the same day of the month
    (or that month's last day when shorter). No membership, or one starting later, is 0."""
    if member_since is None or member_since > on:
        return 0
    months = (on.year - member_since.year) * 12 + on.month - member_since.month
    last_day = calendar.monthrange(on.year, on.month)[1]
    if on.day < min(member_since.day, last_day):
        months -= 1
    return months


def assess(
    months: Iterable[IncomeMonth],
    *,
    unemployed_on: date,
    member_since: date | None,
    rule_table: RuleTable | None = None,
) -> Assessment:
    """Assess income months for a person unemployed from `unemployed_on`.

    Uses the rule row in force on `unemployed_on` (RulesNotInForce before the first one);
    months outside the reach of the frame are ignored. Raises InvalidContent when a month
    comes twice.
    """
    table = by_month(months)
    row = (rule_table or default_rules()).in_force(unemployed_on)
    last = YearMonth.of(unemployed_on).shifted(-1)
    choice = choose_frame(table, last, row)
    days, main = row.period_days(choice.total, choice.qualifying, choice.longest_run)
    rule = Rule.NOT_MET if not days else Rule.MAIN if main else Rule.ALTERNATIVE
    average = choice.total / row.frame_months
    basis = min(average, row.income_ceiling)
    membership = membership_months(member_since, unemployed_on)
    levels = row.levels_for(membership)
    return Assessment(
        rules=row,
        unemployed_on=unemployed_on,
        member_since=member_since,
        membership_months=membership,
        rule=rule,
        period_days=days,
        frame_first=choice.first,
        frame_last=last,
        months=_frame_months(table, choice.first, last, choice.skipped, row),
        total_income=choice.total,
        qualifying_months=choice.qualifying,
        longest_run=choice.longest_run,
        average_income=average,
        income_basis=basis,
        levels=levels,
        steps=_steps(row, days, basis, levels),
    )


def _frame_months(
    table: dict[YearMonth, IncomeMonth],
    first: YearMonth,
    last: YearMonth,
    skipped: frozenset[YearMonth],
    rules: RuleParameters,
) -> tuple[FrameMonth, ...]:
    months = []
    when = first
    while when <= last:
        row = table.get(when)
        income = row.amount if row is not None else Decimal(0)
        months.append(
            FrameMonth(
                when=when,
                income=income,
                source=row.source if row is not None else None,
                skip_reason=row.skip_reason if row is not None else None,
                skipped=when in skipped,
                qualifying=when not in skipped and income >= rules.monthly_income_threshold,
            )
        )
        when = when.shifted(1)
    return tuple(months)


def _steps(
    rules: RuleParameters, days: int, basis: Decimal, levels: tuple[Decimal, ...]
) -> tuple[Step, ...]:
    steps = []
    first_day = 1
    for last_day, percent in zip(rules.level_bands, levels, strict=True):
        if first_day > days:
            break
        monthly = basis * percent / 100
        steps.append(
            Step(
                first_day=first_day,
                last_day=min(last_day, days),
                percent=percent,
                monthly=rules.round(monthly),
                daily=rules.round(monthly / rules.benefit_days_per_month),
            )
        )
        first_day = last_day + 1
    return tuple(steps)
