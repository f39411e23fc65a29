"""Rules meeting other errors: one problem per field, and all blocks reported in one go."""

from collections.abc import Callable
from typing import Any

import pytest

from schemas.examples import full_example

# The `errors` fixture (conftest.py): load content, return its errors or {}.
Errors = Callable[..., dict[Any, Any]]


@pytest.mark.parametrize(
    ("block", "value", "field", "expected"),
    [
        (
            "employment_form",
            {"type": "Provanstallning", "probation_end_date": "snart"},
            "probation_end_date",
            "invalid_date",
        ),
        (
            "working_time",
            {"type": "Deltid", "part_time_hours": "x", "percent_of_full_time": 50},
            "part_time_hours",
            "not_number",
        ),
        (
            "termination",
            {"reason": "AnnanOrsak", "other_reason": 42},
            "other_reason",
            "not_text",
        ),
        (
            "employee",
            {**full_example()["employee"], "phone": "070-abc"},
            "phone",
            "invalid_phone",
        ),
        (
            "employment",
            {**full_example()["employment"], "period": {"start": "2019-03-01", "end": "igår"}},
            "period",
            {"end": ["invalid_date"]},
        ),
    ],
)
def test_an_invalid_value_is_not_also_missing(
    errors: Errors, block: str, value: dict[str, Any], field: str, expected: Any
) -> None:
    content = full_example()
    content[block] = value
    found = errors(content)[block][field]
    assert found == (expected if isinstance(expected, dict) else [expected])


def test_an_unknown_reason_is_not_also_missing(errors: Errors) -> None:
    content = full_example()
    content["termination"] = {"reason": "Sparkad"}
    (only,) = errors(content)["termination"]["reason"]
    assert only.startswith("invalid_choice:")


def test_rules_see_every_block_at_once(errors: Errors) -> None:
    content = full_example()
    content["employee"]["first_name"] = "A" * 21
    content["employment"]["still_employed"] = True
    content["employment_form"] = {"type": "Provanstallning"}
    found = errors(content)
    assert found["employee"]["first_name"] == ["too_long:20"]
    assert found["termination"]["reason"] == ["forbidden_while_employed"]
    assert found["employment_form"]["probation_end_date"] == ["required_for_probation"]


def test_rows_after_a_null_row_wait_for_it_to_be_fixed(errors: Errors) -> None:
    leave = {"period": {"start": "2010-01-01"}, "percent": 50}
    content = full_example()
    content["employment"]["leaves"] = [None, leave]
    assert errors(content) == {"employment": {"leaves": {0: ["null"]}}}
    content["employment"]["leaves"] = [leave, leave]
    assert errors(content)["employment"]["leaves"][1]["period"]["start"] == ["outside_employment"]
