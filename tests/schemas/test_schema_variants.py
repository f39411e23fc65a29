"""Both variants end to end: examples, required blocks, drafts, output form and warnings."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from schemas import VARIANTS, content_warnings, load_checked, load_content, schema_for
from schemas.examples import full_example, income_2025_example

EXAMPLES = {"full": full_example, "income_2025": income_2025_example}

# The `errors` fixture (conftest.py): load content, return its errors or {}.
Errors = Callable[..., dict[Any, Any]]


@pytest.mark.parametrize("variant", VARIANTS)
def test_example_is_valid_and_already_normalised(variant: str) -> None:
    example = EXAMPLES[variant]()
    assert load_content(example, variant) == example


def test_examples_name_the_demo_people() -> None:
    for make in EXAMPLES.values():
        content = make()
        assert content["employee"]["first_name"] == "Tolvan"
        assert content["employee"]["last_name"] == "Tolvansson"
        assert content["employee"]["personnummer"] == "191212121212"
        assert content["employer"]["name"] == "Byggbolaget Demo AB"
        assert content["employer"]["organisation_number"] == "5599999991"


def test_examples_are_fresh_each_call() -> None:
    first = full_example()
    first["employee"]["first_name"] = "Changed"
    assert full_example()["employee"]["first_name"] == "Tolvan"


def test_full_example_has_no_warnings() -> None:
    assert content_warnings(full_example(), "full") == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_output_is_json_with_normalised_values(variant: str) -> None:
    content = EXAMPLES[variant]()
    content["employee"]["personnummer"] = "19121212-1212"
    content["employee"]["phone"] = "+46 70-123 45 67"
    content["employer"]["organisation_number"] = "559999-9991"
    content["employer"]["address"]["postal_code"] = "123 45"
    content["working_time"]["full_time_hours"] = 40
    loaded = load_content(content, variant)
    assert json.loads(json.dumps(loaded)) == loaded
    assert loaded["employee"]["personnummer"] == "191212121212"
    assert loaded["employee"]["phone"] == "0701234567"
    assert loaded["employer"]["organisation_number"] == "5599999991"
    assert loaded["employer"]["address"]["postal_code"] == "12345"
    assert loaded["working_time"]["full_time_hours"] == "40.00"
    assert loaded["employment"]["period"] == {"start": "2019-03-01", "end": "2025-06-30"}


def test_full_requires_worked_time_and_salary(errors: Errors) -> None:
    content = full_example()
    del content["worked_time"], content["salary"]
    assert errors(content, "full") == {"worked_time": ["required"], "salary": ["required"]}


def test_income_2025_needs_neither(income: dict[str, Any], errors: Errors) -> None:
    assert errors(income, "income_2025") == {}


@pytest.mark.parametrize("variant", VARIANTS)
def test_full_load_requires_the_common_blocks(errors: Errors, variant: str) -> None:
    assert errors({}, variant) == {
        name: ["required"]
        for name in ("employee", "employer", "employment", "employment_form", "working_time")
    } | ({"worked_time": ["required"], "salary": ["required"]} if variant == "full" else {})


@pytest.mark.parametrize("variant", VARIANTS)
def test_an_empty_draft_is_valid(variant: str) -> None:
    assert load_content({}, variant, partial=True) == {}


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_draft_keeps_what_it_has(variant: str) -> None:
    draft = {"employee": {"first_name": " Tolvan ", "personnummer": "121212-1212"}}
    assert load_content(draft, variant, partial=True) == {
        "employee": {"first_name": "Tolvan", "personnummer": "201212121212"}
    }


def test_a_draft_still_checks_required_fields_of_rows_it_has(errors: Errors) -> None:
    # Drafts forgive what is missing, everywhere: a half-typed row is fine.
    draft = {"worked_time": {"months": [{"year": 2024}]}}
    assert errors(draft, "full", partial=True) == {}
    assert errors(draft, "full")["worked_time"]["months"][0] == {
        "month": ["required"],
        "hours_worked": ["required"],
    }


def test_the_optional_teacher_block_loads_in_full(full: dict[str, Any]) -> None:
    full["teacher_salary"] = {
        "holiday_pay": True,
        "holiday_pay_days": 20,
        "holiday_pay_amount": "12000",
        "retainer_pay": False,
        "holiday_period": {"start": "2025-06-15", "end": "2025-08-15"},
    }
    assert load_content(full, "full")["teacher_salary"]["holiday_pay_amount"] == "12000.00"


@pytest.mark.parametrize("variant", ["", "Full", "income", "2025"])
def test_unknown_variant_is_a_programming_error(variant: str) -> None:
    with pytest.raises(ValueError, match="unknown variant"):
        load_content({}, variant)
    with pytest.raises(ValueError, match="unknown variant"):
        content_warnings({}, variant)
    with pytest.raises(ValueError, match="unknown variant"):
        schema_for(variant)


def _with_hours(hours: list[str]) -> dict[str, Any]:
    content = full_example()
    months = content["worked_time"]["months"][: len(hours)]
    for row, value in zip(months, hours, strict=True):
        row["hours_worked"] = value
    content["worked_time"]["months"] = months
    return content


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (["160.00"] * 12, ["identical_months"]),
        (["160.00"] * 11 + ["160.50"], []),
        (["160.00"] * 2, ["identical_months", "fewer_than_12_months"]),
        (["160.00", "150.00"], ["fewer_than_12_months"]),
        (["160.00"], ["fewer_than_12_months"]),
        ([], ["fewer_than_12_months"]),
    ],
)
def test_worked_time_warnings(hours: list[str], expected: list[str]) -> None:
    content = load_content(_with_hours(hours), "full")
    assert content_warnings(content, "full") == expected


def test_warnings_never_block_loading() -> None:
    assert load_content(_with_hours(["160.00"] * 3), "full")


def test_warnings_read_drafts_with_half_rows() -> None:
    draft = {"worked_time": {"months": [{"year": 2024}, {"hours_worked": "1.00"}]}}
    assert content_warnings(load_content(draft, "full", partial=True), "full") == [
        "fewer_than_12_months"
    ]


def test_income_2025_has_no_worked_time_warnings(income: dict[str, Any]) -> None:
    assert content_warnings(income, "income_2025") == []


@pytest.mark.parametrize(
    "hours", [["160.00"] * 12, ["160.00"] * 2, ["160.00", "150.00"], [], ["160.00"] * 11 + ["1.00"]]
)
def test_one_load_gives_the_warnings_of_the_stored_content(hours: list[str]) -> None:
    """`load_checked` spares the second load that `content_warnings` would make."""
    content, warnings = load_checked(_with_hours(hours), "full")
    assert content == load_content(_with_hours(hours), "full")
    assert warnings == content_warnings(content, "full")


def test_one_load_of_a_draft_gives_its_warnings() -> None:
    draft = {"worked_time": {"months": [{"year": 2024}, {"hours_worked": "1.00"}]}}
    content, warnings = load_checked(draft, "full", partial=True)
    assert warnings == content_warnings(content, "full") == ["fewer_than_12_months"]
