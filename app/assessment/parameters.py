"""The rule parameters of the income-based insurance, one row per date of effect.

They live in a JSON file under version control (`data/rules.json`), not in a database table:
they are law, the same for every installation and every tenant, reviewed like code and needed
by a pure engine that has no session. A database copy would only add a reference-data command,
a migration and a way for two installations to disagree. A new year's figures are a new row in
the file; `RuleTable.in_force` picks the row in force on the first day of unemployment.

The file is checked strictly when loaded: a typo must stop the start, not skew an assessment.
"""

from __future__ import annotations

import decimal
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.errors import DomainError

DATA_FILE = Path(__file__).with_name("data") / "rules.json"
ROUNDING_MODES = ("ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN")


class RulesNotInForce(DomainError):  # noqa: N818 - the domain's own vocabulary
    """No row of the table covers the date: the income-based rules did not apply yet."""

    code = "rules_not_in_force"


@dataclass(frozen=True)
class PeriodRule:
    """At least `min_qualifying_months` qualifying months (and the yearly total) give `days`."""

    min_qualifying_months: int
    days: int


@dataclass(frozen=True)
class AlternativeRule:
    """Below the yearly total, `consecutive_months` qualifying months in a row give `days`."""

    consecutive_months: int
    days: int


@dataclass(frozen=True)
class LevelRow:
    """Levels in per cent, one per band of benefit days, from `min_membership_months`."""

    min_membership_months: int
    percent: tuple[Decimal, ...]


@dataclass(frozen=True)
class RuleParameters:
    """One row of the table: every figure the assessment uses, in force from `effective_from`.

    `level_bands` holds the last benefit day of each band (100, 200, 300: days 1–100, 101–200
    and 201–300); every `LevelRow` has one level per band.
    """

    effective_from: date
    yearly_income_threshold: Decimal
    monthly_income_threshold: Decimal
    qualifying_months_needed: int
    income_ceiling: Decimal
    benefit_days_per_month: int
    frame_months: int
    max_skipped_months: int
    periods: tuple[PeriodRule, ...]
    alternative: AlternativeRule
    level_bands: tuple[int, ...]
    levels: tuple[LevelRow, ...]
    rounding: str

    def __post_init__(self) -> None:
        _check_row(self)

    def period_days(self, total: Decimal, qualifying: int, longest_run: int) -> tuple[int, bool]:
        """Benefit days and whether the main rule gave them (False: the alternative or none)."""
        if total >= self.yearly_income_threshold:
            for rule in self.periods:
                if qualifying >= rule.min_qualifying_months:
                    return rule.days, True
        if longest_run >= self.alternative.consecutive_months:
            return self.alternative.days, False
        return 0, False

    def levels_for(self, membership_months: int) -> tuple[Decimal, ...]:
        """The levels of the bands for a membership of so many whole months."""
        return next(
            row.percent for row in self.levels if membership_months >= row.min_membership_months
        )

    def round(self, amount: Decimal) -> int:
        """Whole kronor, as the table says to round."""
        return int(amount.to_integral_value(getattr(decimal, self.rounding)))


def _check_row(row: RuleParameters) -> None:
    """The rules a row must keep for the engine to mean anything; ValueError otherwise."""
    problems = []
    if not row.periods or [p.min_qualifying_months for p in row.periods] != sorted(
        (p.min_qualifying_months for p in row.periods), reverse=True
    ):
        problems.append("periods must be listed from the most qualifying months down")
    elif row.periods[-1].min_qualifying_months != row.qualifying_months_needed:
        problems.append("the last period must need exactly qualifying_months_needed")
    if any(p.min_qualifying_months > row.frame_months for p in row.periods):
        problems.append("a period needs more qualifying months than the frame has")
    if row.alternative.consecutive_months > row.frame_months:
        problems.append("the alternative needs more months in a row than the frame has")
    if not row.level_bands or list(row.level_bands) != sorted(set(row.level_bands)):
        problems.append("level_bands must be increasing")
    elif max([row.alternative.days, *(p.days for p in row.periods)]) > row.level_bands[-1]:
        problems.append("a period is longer than the last level band")
    minimums = [level.min_membership_months for level in row.levels]
    if not minimums or minimums != sorted(minimums, reverse=True) or minimums[-1] != 0:
        problems.append("levels must be listed from the longest membership down to 0")
    if any(len(level.percent) != len(row.level_bands) for level in row.levels):
        problems.append("every level row needs one level per band")
    if any(not 0 < percent <= 100 for level in row.levels for percent in level.percent):
        problems.append("levels are per cent, above 0 and at most 100")
    if row.rounding not in ROUNDING_MODES:
        problems.append(f"rounding must be one of {ROUNDING_MODES}")
    if min(row.frame_months, row.benefit_days_per_month) < 1 or row.max_skipped_months < 0:
        problems.append("frame_months and benefit_days_per_month must be positive")
    if problems:
        raise ValueError(f"rule row {row.effective_from}: " + "; ".join(problems))


@dataclass(frozen=True)
class RuleTable:
    """The rows by date of effect, oldest first."""

    rows: tuple[RuleParameters, ...]

    def __post_init__(self) -> None:
        dates = [row.effective_from for row in self.rows]
        if not dates or dates != sorted(set(dates)):
            raise ValueError("rule rows must have distinct dates of effect, oldest first")

    def in_force(self, day: date) -> RuleParameters:
        """The row in force on `day`. Raises RulesNotInForce before the first row."""
        found = [row for row in self.rows if row.effective_from <= day]
        if not found:
            raise RulesNotInForce(day=day.isoformat())
        return found[-1]


def _money(value: Any, name: str) -> Decimal:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string of kronor (no floats)")
    try:
        amount = Decimal(value)
    except decimal.InvalidOperation:
        raise ValueError(f"{name} is not a number: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{name} must be a finite amount, not negative")
    return amount


def _whole(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a whole number, not negative")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list")
    return value


def _fields(data: Any, names: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping) or set(data) != names:
        raise ValueError(f"{where} must have exactly the fields {sorted(names)}")
    return data


_ROW_FIELDS = {*RuleParameters.__dataclass_fields__}


def parse_row(data: Any) -> RuleParameters:
    """One row of the file as RuleParameters. Raises ValueError naming what is wrong."""
    row = _fields(data, _ROW_FIELDS, "a rule row")
    alternative = _fields(row["alternative"], {"consecutive_months", "days"}, "alternative")
    return RuleParameters(
        effective_from=date.fromisoformat(str(row["effective_from"])),
        yearly_income_threshold=_money(row["yearly_income_threshold"], "yearly_income_threshold"),
        monthly_income_threshold=_money(
            row["monthly_income_threshold"], "monthly_income_threshold"
        ),
        qualifying_months_needed=_whole(
            row["qualifying_months_needed"], "qualifying_months_needed"
        ),
        income_ceiling=_money(row["income_ceiling"], "income_ceiling"),
        benefit_days_per_month=_whole(row["benefit_days_per_month"], "benefit_days_per_month"),
        frame_months=_whole(row["frame_months"], "frame_months"),
        max_skipped_months=_whole(row["max_skipped_months"], "max_skipped_months"),
        periods=tuple(
            PeriodRule(
                _whole(period["min_qualifying_months"], "min_qualifying_months"),
                _whole(period["days"], "days"),
            )
            for period in (
                _fields(p, {"min_qualifying_months", "days"}, "a period")
                for p in _list(row["periods"], "periods")
            )
        ),
        alternative=AlternativeRule(
            _whole(alternative["consecutive_months"], "consecutive_months"),
            _whole(alternative["days"], "days"),
        ),
        level_bands=tuple(
            _whole(day, "level_bands") for day in _list(row["level_bands"], "level_bands")
        ),
        levels=tuple(
            LevelRow(
                _whole(level["min_membership_months"], "min_membership_months"),
                tuple(_money(percent, "percent") for percent in _list(level["percent"], "percent")),
            )
            for level in (
                _fields(item, {"min_membership_months", "percent"}, "a level row")
                for item in _list(row["levels"], "levels")
            )
        ),
        rounding=str(row["rounding"]),
    )


def load_rules(path: Path = DATA_FILE) -> RuleTable:
    """The table in `path`. Raises ValueError when any row is malformed."""
    data = _fields(json.loads(path.read_text("utf-8")), {"about", "rules"}, "the rules file")
    return RuleTable(tuple(parse_row(row) for row in _list(data["rules"], "rules")))


@functools.cache
def default_rules() -> RuleTable:
    """The table shipped with the application, read once."""
    return load_rules()
