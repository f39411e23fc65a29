"""The income table next to a certificate: months, whole kronor, sources and skip reasons."""

from typing import Any

import pytest

from schemas import ContentInvalid, IncomeMonthSchema, load_income_table


def row(year: int = 2025, month: int = 1, **changes: Any) -> dict[str, Any]:
    return {"year": year, "month": month, "amount": 30000, "source": "agi", **changes}


def rejected(rows: Any) -> Any:
    with pytest.raises(ContentInvalid) as caught:
        load_income_table(rows)
    return caught.value.errors


def test_table_comes_back_in_calendar_order() -> None:
    rows = [row(2025, 2), row(2024, 12, source="payroll"), row(2025, 1, skip_reason="sickness")]
    assert load_income_table(rows) == [
        {"year": 2024, "month": 12, "amount": 30000, "source": "payroll"},
        {"year": 2025, "month": 1, "amount": 30000, "source": "agi", "skip_reason": "sickness"},
        {"year": 2025, "month": 2, "amount": 30000, "source": "agi"},
    ]


def test_empty_table_is_fine() -> None:
    assert load_income_table([]) == []


def test_each_month_once() -> None:
    assert rejected([row(2025, 1), row(2025, 2), row(2025, 1)]) == {
        2: {"month": ["duplicate_month"]}
    }


def test_duplicates_are_reported_with_other_errors() -> None:
    assert rejected([row(2025, 1), row(2025, 1, amount=-1)]) == {
        1: {"amount": ["too_small:0"], "month": ["duplicate_month"]}
    }


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"amount": -1}, "amount", "too_small:0"),
        ({"amount": 12.5}, "amount", "not_integer"),
        ({"amount": "30 000"}, "amount", "not_integer"),
        ({"month": 13}, "month", "out_of_range:1:12"),
        ({"year": 2101}, "year", "out_of_range:1900:2100"),
        ({"source": "bank"}, "source", "invalid_choice:agi, payroll, manual"),
        (
            {"skip_reason": "holiday"},
            "skip_reason",
            (
                "invalid_choice:sickness, child_care, parental_benefit, full_time_study, "
                "business, none"
            ),
        ),
        ({"source": None}, "source", "required"),
        ({"note": "x"}, "note", "unknown_field"),
    ],
)
def test_row_rules(changes: dict[str, Any], field: str, key: str) -> None:
    assert rejected([row(**changes)]) == {0: {field: [key]}}


@pytest.mark.parametrize(
    ("changes", "field", "stored"),
    [
        ({"amount": "30000"}, "amount", 30000),
        ({"amount": 30000.0}, "amount", 30000),
        ({"amount": 0}, "amount", 0),
        ({"source": "Manual"}, "source", "manual"),
        ({"skip_reason": "parental_benefit"}, "skip_reason", "parental_benefit"),
    ],
)
def test_row_values_accepted(changes: dict[str, Any], field: str, stored: Any) -> None:
    assert load_income_table([row(**changes)])[0][field] == stored


@pytest.mark.parametrize("rows", [{"year": 2025}, "2025-01", None])
def test_the_table_is_a_list(rows: Any) -> None:
    assert rejected(rows) == {"_schema": ["not_list"]}


def test_a_row_is_an_object() -> None:
    assert rejected([row(), "x"]) == {1: {"_schema": ["not_object"]}}


def test_one_month_loads_alone() -> None:
    assert IncomeMonthSchema().load(row(skip_reason="none"))["skip_reason"] == "none"
