"""The table of rule parameters: the shipped figures, a later row chosen by date, strict loading."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.assessment import RuleTable, YearMonth, assess, default_rules, load_rules
from app.assessment.parameters import DATA_FILE, RulesNotInForce, parse_row
from tests.assessment.support import months, percent


def _month_before(day: date) -> YearMonth:
    return YearMonth.of(day).shifted(-1)


def shipped_row() -> dict[str, Any]:
    row: dict[str, Any] = json.loads(DATA_FILE.read_text("utf-8"))["rules"][0]
    return copy.deepcopy(row)


def later_row(**changes: Any) -> dict[str, Any]:
    row = shipped_row()
    row.update({"effective_from": "2026-07-01", **changes})
    return row


def test_the_shipped_figures_are_those_of_rules_2025() -> None:
    row = default_rules().in_force(date(2025, 10, 1))
    assert row.effective_from == date(2025, 10, 1)
    assert row.yearly_income_threshold == 120000
    assert row.monthly_income_threshold == 11000
    assert row.qualifying_months_needed == 4
    assert row.income_ceiling == 34000
    assert row.benefit_days_per_month == 22
    assert row.frame_months == 12
    assert [(p.min_qualifying_months, p.days) for p in row.periods] == [
        (11, 300),
        (8, 200),
        (4, 100),
    ]
    assert (row.alternative.consecutive_months, row.alternative.days) == (4, 66)
    assert row.level_bands == (100, 200, 300)
    assert row.levels_for(12) == percent(80, 70, 65)
    assert row.levels_for(6) == row.levels_for(11) == percent(60, 50, 45)
    assert row.levels_for(0) == row.levels_for(5) == percent(50, 40, 35)


def test_the_shipped_table_is_read_once() -> None:
    assert default_rules() is default_rules()
    assert load_rules() == default_rules()


def two_rows(tmp_path: Path) -> RuleTable:
    """The shipped row and one from 2026-07-01 with a higher threshold and ceiling."""
    data = json.loads(DATA_FILE.read_text("utf-8"))
    data["rules"].append(later_row(monthly_income_threshold="12000", income_ceiling="36000"))
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), "utf-8")
    return load_rules(path)


@pytest.mark.parametrize(
    ("unemployed_on", "effective_from", "days", "monthly"),
    [
        # 11,500 qualifies under the first row; 50 % without membership.
        (date(2026, 6, 30), date(2025, 10, 1), 300, 5750),
        (date(2026, 7, 1), date(2026, 7, 1), 0, None),  # 11,500 is below 12,000
    ],
)
def test_a_new_row_takes_effect_on_its_date_of_unemployment(
    tmp_path: Path, unemployed_on: date, effective_from: date, days: int, monthly: int | None
) -> None:
    table = months([11500] * 12, last=_month_before(unemployed_on))
    result = assess(
        table, unemployed_on=unemployed_on, member_since=None, rule_table=two_rows(tmp_path)
    )
    assert result.rules.effective_from == effective_from
    assert result.period_days == days
    assert result.first_monthly_amount == monthly


def test_a_new_ceiling_applies_from_its_date(tmp_path: Path) -> None:
    day = date(2026, 8, 3)
    result = assess(
        months([50000] * 12, last=_month_before(day)),
        unemployed_on=day,
        member_since=date(2020, 1, 1),
        rule_table=two_rows(tmp_path),
    )
    assert result.income_basis == 36000
    assert result.first_monthly_amount == 28800


def test_rounding_is_a_parameter_too() -> None:
    table = RuleTable((parse_row(shipped_row()), parse_row(later_row(rounding="ROUND_DOWN"))))
    day = date(2026, 7, 1)
    result = assess(
        months([30000] * 12, last=_month_before(day)),
        unemployed_on=day,
        member_since=date(2020, 1, 1),
        rule_table=table,
    )
    assert (result.steps[0].monthly, result.steps[0].daily) == (24000, 1090)  # 1,090.91 down


def test_no_row_before_the_first_date_of_effect() -> None:
    with pytest.raises(RulesNotInForce):
        default_rules().in_force(date(2025, 9, 30))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"income_ceiling": 34000.0}, "string of kronor"),
        ({"income_ceiling": "many"}, "not a number"),
        ({"income_ceiling": "-1"}, "not negative"),
        ({"income_ceiling": "NaN"}, "finite"),
        ({"frame_months": "12"}, "whole number"),
        ({"frame_months": True}, "whole number"),
        ({"frame_months": 0}, "positive"),
        ({"rounding": "ROUND_UP_AND_AWAY"}, "rounding"),
        ({"periods": "300"}, "periods must be a list"),
        ({"periods": []}, "most qualifying months down"),
        (
            {
                "periods": [
                    {"min_qualifying_months": 4, "days": 100},
                    {"min_qualifying_months": 8, "days": 200},
                ]
            },
            "most qualifying months down",
        ),
        ({"qualifying_months_needed": 5}, "exactly qualifying_months_needed"),
        ({"periods": [{"min_qualifying_months": 4, "days": 400}]}, "longer than the last"),
        (
            {
                "periods": [{"min_qualifying_months": 13, "days": 300}],
                "qualifying_months_needed": 13,
            },
            "more qualifying months",
        ),
        ({"alternative": {"consecutive_months": 4}}, "exactly the fields"),
        ({"alternative": {"consecutive_months": 13, "days": 66}}, "in a row"),
        ({"level_bands": [200, 100, 300]}, "increasing"),
        ({"levels": [{"min_membership_months": 12, "percent": ["80", "70", "65"]}]}, "down to 0"),
        ({"levels": [{"min_membership_months": 0, "percent": ["80", "70"]}]}, "one level per band"),
        ({"levels": [{"min_membership_months": 0, "percent": ["180", "70", "65"]}]}, "per cent"),
        ({"levels": [{"min_membership_months": 0, "percent": "80"}]}, "percent must be a list"),
        ({"surprise": 1}, "exactly the fields"),
    ],
)
def test_a_malformed_row_is_refused(changes: dict[str, Any], message: str) -> None:
    row = {**shipped_row(), **changes}
    with pytest.raises(ValueError, match=message):
        parse_row(row)


def test_a_missing_field_is_refused() -> None:
    row = shipped_row()
    del row["income_ceiling"]
    with pytest.raises(ValueError, match="exactly the fields"):
        parse_row(row)


@pytest.mark.parametrize("dates", [[], ["2025-10-01", "2025-10-01"], ["2026-07-01", "2025-10-01"]])
def test_rows_need_distinct_dates_oldest_first(dates: list[str]) -> None:
    rows = tuple(parse_row({**shipped_row(), "effective_from": day}) for day in dates)
    with pytest.raises(ValueError, match="distinct dates"):
        RuleTable(rows)


def test_the_file_needs_its_two_keys(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": []}), "utf-8")
    with pytest.raises(ValueError, match="exactly the fields"):
        load_rules(path)


def test_levels_are_decimals_never_floats() -> None:
    row = default_rules().rows[0]
    assert all(isinstance(p, Decimal) for level in row.levels for p in level.percent)
    assert isinstance(row.income_ceiling, Decimal)
