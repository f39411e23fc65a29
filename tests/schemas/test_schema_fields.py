"""Field rules, each rejected and accepted: lengths, identity numbers, formats, ranges, choices.

Drafts (partial loads) of a single field isolate each rule from the rules between fields.
"""

from collections.abc import Callable
from typing import Any

import pytest

from schemas import ContentInvalid, load_content
from schemas.examples import full_example

CHOICES_EMPLOYMENT = "invalid_choice:Tillsvidare, Provanstallning, Tidsbegransad, Behovsanstalld"
CHOICES_WORKING_TIME = "invalid_choice:Heltid, Deltid, VarierandeArbetstid"
REASON_CHOICES = (
    "invalid_choice:UppsagdArbetsbrist, TidsbegransadAnstallning, EgenBegaran, "
    "SlutProvanstallningAnstalldBeslut, SlutProvanstallningArbetsgivareBeslut, Konkurs, AnnanOrsak"
)
SUPPLEMENT_CHOICES = (
    "invalid_choice:Sjuklon, Overtidstillagg, Mertid, Jour, OB, AndraFormaner, "
    "Semesterersattning, Lonetillagg"
)

# The `errors` fixture (conftest.py): load content, return its errors or {}.
Errors = Callable[..., dict[Any, Any]]


def nested(path: str, value: Any) -> dict[str, Any]:
    """{"a": {"b": [{"c": value}]}} from "a.b.0.c"; a digit opens a one-row list."""
    node: Any = value
    for part in reversed(path.split(".")):
        node = [node] if part.isdigit() else {part: node}
    assert isinstance(node, dict)
    return node


def pick(tree: Any, path: str) -> Any:
    for part in path.split("."):
        tree = tree[int(part)] if isinstance(tree, list) else tree[part]
    return tree


def error_pick(errors: Any, path: str) -> Any:
    for part in path.split("."):
        errors = errors[int(part) if part.isdigit() else part]
    return errors


# (path, rejected value, error key, accepted value, value as stored)
CASES: list[tuple[str, Any, str, Any, Any]] = [
    # Lengths.
    ("employee.first_name", "A" * 21, "too_long:20", "A" * 20, "A" * 20),
    ("employee.last_name", "B" * 36, "too_long:35", "B" * 35, "B" * 35),
    ("employer.name", "C" * 51, "too_long:50", "C" * 50, "C" * 50),
    ("employment.position", "D" * 61, "too_long:60", "D" * 60, "D" * 60),
    ("termination.other_reason", "E" * 257, "too_long:256", "E" * 256, "E" * 256),
    ("other_information", "F" * 2001, "too_long:2000", "F" * 2000, "F" * 2000),
    ("employer.other_information", "G" * 2001, "too_long:2000", "  Text  ", "Text"),
    ("employer.address.street", "H" * 101, "too_long:100", "Byggvägen 1", "Byggvägen 1"),
    ("employer.address.care_of", "I" * 101, "too_long:100", "c/o Berg", "c/o Berg"),
    ("employer.address.city", "J" * 51, "too_long:50", "Malmö", "Malmö"),
    ("employment.leaves.0.reason", "K" * 257, "too_long:256", "Studier", "Studier"),
    ("salary.supplements.0.description", "L" * 257, "too_long:256", "OB", "OB"),
    # Identity numbers.
    (
        "employee.personnummer",
        "191212121213",
        "invalid_personnummer",
        "19121212-1212",
        "191212121212",
    ),
    (
        "employee.personnummer",
        "19121312-1212",
        "invalid_personnummer",
        "121272-1219",
        "201212721219",
    ),
    ("employee.personnummer", "abc", "invalid_personnummer", " 191212121212 ", "191212121212"),
    ("employer.organisation_number", "5599999992", "invalid_orgnr", "559999-9991", "5599999991"),
    ("employer.organisation_number", "5512121212", "invalid_orgnr", "19121212-1212", "1212121212"),
    # Contact details: the phone limit applies after normalising.
    ("employee.phone", "0701234567890123", "too_long:15", "+46 (0)70-123 45 67", "0701234567"),
    ("employee.phone", "070-12a 45 67", "invalid_phone", "+46 70 123 45 67 890", "0701234567890"),
    ("employer.phone", "+46701234567890123", "too_long:15", "08-123 456 78", "0812345678"),
    ("employee.email", "tolvan.example.com", "invalid_email", "t@example.com", "t@example.com"),
    ("employer.email", "a" * 250 + "@example.com", "too_long:254", "a@example.se", "a@example.se"),
    ("employer.address.postal_code", "1234", "invalid_postal_code", "123 45", "12345"),
    ("employer.address.postal_code", "12 345", "invalid_postal_code", "12345", "12345"),
    # Dates.
    ("employment.period.start", "2024-02-30", "invalid_date", "2024-02-29", "2024-02-29"),
    ("employment.period.end", "01/02/2024", "invalid_date", "2024-02-01", "2024-02-01"),
    ("termination.notice_date", "2024-01-01T00:00:00", "invalid_date", "2024-01-01", "2024-01-01"),
    ("employment.last_full_time_day", 20240101, "invalid_date", "2024-01-01", "2024-01-01"),
    # Percentages and hours.
    ("employment.employment_rate", "100.01", "out_of_range:0:100", "100", "100.00"),
    ("employment.employment_rate", -1, "out_of_range:0:100", 0, "0.00"),
    ("employment.leaves.0.percent", 101, "out_of_range:0:100", "50", 50),
    ("employment.leaves.0.percent", 50.5, "not_integer", 50.0, 50),
    ("working_time.full_time_hours", "168.01", "out_of_range:0:168", 168, "168.00"),
    ("working_time.part_time_hours", -0.5, "out_of_range:0:168", "20,5", "20.50"),
    ("working_time.percent_of_full_time", 101, "out_of_range:0:100", 50, "50.00"),
    ("continued_work_offer.full_time_hours", 169, "out_of_range:0:168", 40, "40.00"),
    ("continued_work_offer.part_time_hours", 169, "out_of_range:0:168", 20, "20.00"),
    ("continued_work_offer.percent_of_full_time", 101, "out_of_range:0:100", 75, "75.00"),
    ("worked_time.months.0.hours_worked", "744.01", "out_of_range:0:744", 744, "744.00"),
    ("worked_time.months.0.hours_worked", "12.345", "too_many_decimals:2", "12.340", "12.34"),
    ("worked_time.months.0.absence", -1, "out_of_range:0:744", "1 2,5", "12.50"),
    ("worked_time.months.0.overtime", 745, "out_of_range:0:744", 0.25, "0.25"),
    ("worked_time.months.0.extra_time", "-0.01", "out_of_range:0:744", "-0", "0.00"),
    ("worked_time.months.0.month", 13, "out_of_range:1:12", 12, 12),
    ("worked_time.months.0.month", 0, "out_of_range:1:12", "1", 1),
    ("worked_time.months.0.year", 1899, "out_of_range:1900:2100", 2024.0, 2024),
    ("worked_time.teaching_hours", 745, "out_of_range:0:744", "10", "10.00"),
    # Amounts.
    ("salary.amount", "-0.01", "too_small:0", "0", "0.00"),
    ("salary.amount", "abc", "not_number", "34 500,00", "34500.00"),
    ("salary.amount", "NaN", "not_number", 34500, "34500.00"),
    ("salary.amount", "1,5.0", "not_number", "1.5", "1.50"),
    ("salary.amount", True, "not_number", "1e3", "1000.00"),
    ("salary.overtime_supplement", -1, "too_small:0", 85, "85.00"),
    ("salary.extra_time_supplement", -1, "too_small:0", 40, "40.00"),
    ("salary.supplements.0.amount", -1, "too_small:0", 540, "540.00"),
    ("salary.supplements.0.month", 13, "out_of_range:1:12", 12, 12),
    ("salary.supplements.0.days", 32, "out_of_range:0:31", 31, "31.00"),
    ("salary.supplements.0.hours", 745, "out_of_range:0:744", 12, "12.00"),
    ("salary.year", "20x4", "not_integer", "2024", 2024),
    ("salary.year", 2024.5, "not_integer", 2024, 2024),
    ("teacher_salary.holiday_pay_days", 367, "out_of_range:0:366", 30, 30),
    ("teacher_salary.holiday_pay_amount", -1, "too_small:0", 100, "100.00"),
    ("teacher_salary.retainer_pay_amount", -1, "too_small:0", 100, "100.00"),
    # Choices keep the official codes; case is forgiven.
    ("employment_form.type", "Fast", CHOICES_EMPLOYMENT, "tillsvidare", "Tillsvidare"),
    ("working_time.type", "Halvtid", CHOICES_WORKING_TIME, "DELTID", "Deltid"),
    ("continued_work_offer.working_time_type", "x", CHOICES_WORKING_TIME, "Heltid", "Heltid"),
    (
        "termination.reason",
        "Sparkad",
        REASON_CHOICES,
        "konkurs",
        "Konkurs",
    ),
    (
        "salary.salary_type",
        "Arslon",
        "invalid_choice:Manadslon, Veckolon, Daglon, Timlon",
        "Timlon",
        "Timlon",
    ),
    (
        "salary.supplements.0.supplement_type",
        "Bonus",
        SUPPLEMENT_CHOICES,
        "ob",
        "OB",
    ),
    # Types.
    ("employee.notify_by_sms", "kanske", "not_boolean", "true", True),
    ("employer.related_employer", 2, "not_boolean", 0, False),
    ("employee.first_name", 123, "not_text", "Tolvan", "Tolvan"),
    ("employee", "Tolvan", "not_object", {"first_name": "Tolvan"}, {"first_name": "Tolvan"}),
    ("employment.leaves", "none", "not_list", [], []),
    ("employment.period", [], "not_object", {"start": "2020-01-01"}, {"start": "2020-01-01"}),
]

PAY_BLOCKS = ("worked_time", "salary", "teacher_salary")


def variants_of(path: str) -> list[str]:
    return ["full"] if path.startswith(PAY_BLOCKS) else ["full", "income_2025"]


REJECTED = [
    pytest.param(path, bad, key, variant, id=f"{variant}-{path}-{key}")
    for path, bad, key, _, _ in CASES
    for variant in variants_of(path)
]
ACCEPTED = [
    pytest.param(path, good, stored, variant, id=f"{variant}-{path}-{good!r}"[:80])
    for path, _, _, good, stored in CASES
    for variant in variants_of(path)
]


@pytest.mark.parametrize(("path", "value", "key", "variant"), REJECTED)
def test_rejects_value(errors: Errors, path: str, value: Any, key: str, variant: str) -> None:
    # A block that is not an object fails as a whole, reported where marshmallow puts it.
    expected: Any = {"_schema": [key]} if key == "not_object" else [key]
    assert error_pick(errors(nested(path, value), variant, partial=True), path) == expected


@pytest.mark.parametrize(("path", "value", "stored", "variant"), ACCEPTED)
def test_accepts_and_normalises_value(path: str, value: Any, stored: Any, variant: str) -> None:
    assert pick(load_content(nested(path, value), variant, partial=True), path) == stored


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"nickname": "x"}, {"nickname": ["unknown_field"]}),
        ({"employee": {"nickname": "x"}}, {"employee": {"nickname": ["unknown_field"]}}),
        (
            {"employer": {"address": {"country": "SE"}}},
            {"employer": {"address": {"country": ["unknown_field"]}}},
        ),
        (
            {"worked_time": {"months": [{"week": 1}]}},
            {"worked_time": {"months": {0: {"week": ["unknown_field"]}}}},
        ),
    ],
)
def test_rejects_unknown_fields_at_every_level(
    errors: Errors, content: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert errors(content, partial=True) == expected


def test_rejects_a_null_row(errors: Errors) -> None:
    assert errors({"employment": {"leaves": [None]}}, partial=True) == {
        "employment": {"leaves": {0: ["null"]}}
    }


def test_rejects_content_that_is_not_an_object(errors: Errors) -> None:
    assert errors(["employee"], partial=True) == {"_schema": ["not_object"]}


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_values_count_as_missing(errors: Errors, blank: Any) -> None:
    assert errors({"employee": {"first_name": blank}}, partial=True) == {}
    found = errors({"employee": {"first_name": blank}})
    assert found["employee"]["first_name"] == ["required"]


def test_date_objects_are_accepted() -> None:
    import datetime as dt

    content = {"employment": {"period": {"start": dt.date(2020, 1, 1)}}}
    loaded = load_content(content, "full", partial=True)
    assert loaded == {"employment": {"period": {"start": "2020-01-01"}}}


def test_date_times_are_not_dates(errors: Errors) -> None:
    import datetime as dt

    content = {"employment": {"period": {"start": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}}}
    assert errors(content, partial=True) == {"employment": {"period": {"start": ["invalid_date"]}}}


@pytest.mark.parametrize("bad", ["Tol\x00van", "Tol\x0bvan", "Tol\x1bvan", "Tol\x7fvan"])
def test_control_characters_are_refused(bad: str) -> None:
    content = full_example()
    content["employee"]["first_name"] = bad
    with pytest.raises(ContentInvalid) as refused:
        load_content(content, "full")
    assert refused.value.errors == {"employee": {"first_name": ["control_characters"]}}


def test_line_breaks_and_tabs_are_text() -> None:
    content = full_example()
    content["other_information"] = "Rad ett\nRad två\tmed tabb"
    assert load_content(content, "full")["other_information"] == "Rad ett\nRad två\tmed tabb"
