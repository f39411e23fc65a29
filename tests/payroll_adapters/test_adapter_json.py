"""Our JSON: shapes, JSON pointers to every problem, income tables and record keys."""

import json
from typing import Any

import pytest

from payroll_adapters.messages import describe
from schemas import load_content
from schemas.examples import full_example, income_2025_example
from tests.payroll_adapters.support import drafts, fixture, problems, read, summary

# A draft far from finished: who it is about, and one thing about the employment.
PARTIAL = {
    "employee": {"first_name": "Ann", "personnummer": "191212121212"},
    "working_time": {"type": "VarierandeArbetstid"},
}


def _json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def test_the_fixture_gives_drafts_and_points_at_each_bad_field() -> None:
    items = read("json", fixture("certificates.json"))
    made = drafts(items)
    assert [draft.pointer for draft in made] == ["/certificates/0", "/certificates/2"]
    assert made[0].content == load_content(full_example(), "full")
    assert made[0].complete
    assert made[0].variant == "full"
    assert made[0].employer_hint == "5599999991"
    assert made[1].variant == "income_2025"
    assert [row["amount"] for row in made[1].income] == [34500, 52900]
    assert {(problem.pointer, problem.code, problem.field) for problem in problems(items)} == {
        ("/certificates/1/employee/first_name", "too_long", "employee.first_name"),
        ("/certificates/1/employee/personnummer", "invalid_personnummer", "employee.personnummer"),
    }
    assert summary(items).drafts == 2
    assert summary(items).problems == 2


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ({"variant": "full", **full_example()}, ""),
        ([{"variant": "full", **full_example()}], "/0"),
        ({"certificates": [{"variant": "full", **full_example()}]}, "/certificates/0"),
    ],
)
def test_one_object_a_list_or_a_wrapper(document: Any, pointer: str) -> None:
    (draft,) = drafts(read("json", _json(document)))
    assert draft.pointer == pointer


def test_a_byte_order_mark_is_tolerated() -> None:
    data = b"\xef\xbb\xbf" + _json({"variant": "full", **full_example()})
    assert len(drafts(read("json", data))) == 1


def test_broken_json_says_where() -> None:
    (problem,) = problems(read("json", b'{\n  "variant": "full",\n  "employee": {,}\n}'))
    assert (problem.code, problem.line, problem.params, problem.fatal) == (
        "json_malformed",
        3,
        ("3", "16"),
        True,
    )
    assert "rad 3, kolumn 16" in problem.message("sv")


def test_absurd_nesting_is_refused_without_a_crash() -> None:
    (problem,) = problems(read("json", b"[" * 100_000 + b"]" * 100_000))
    assert problem.code == "json_too_deep"


@pytest.mark.parametrize(
    ("certificate", "expected"),
    [
        ({"employee": {}}, ("/certificates/0/variant", "variant_missing", ())),
        (
            {"variant": "short"},
            ("/certificates/0/variant", "invalid_choice", ("full, income_2025",)),
        ),
        ("text", ("/certificates/0", "not_object", ())),
    ],
)
def test_the_variant_and_the_shape_are_checked_per_certificate(
    certificate: Any, expected: tuple[str, str, tuple[str, ...]]
) -> None:
    items = read(
        "json", _json({"certificates": [certificate, {"variant": "full", **full_example()}]})
    )
    (problem,) = problems(items)
    assert (problem.pointer, problem.code, problem.params) == expected
    assert len(drafts(items)) == 1


def test_pointers_escape_slashes_and_tildes() -> None:
    content = {"variant": "full", **full_example()}
    content["employee"]["a/b~c"] = "?"
    (problem,) = problems(read("json", _json([content])))
    assert (problem.pointer, problem.code) == ("/0/employee/a~1b~0c", "unknown_field")


def test_unknown_wrapper_keys_are_reported_but_do_not_block() -> None:
    items = read("json", _json({"certificates": [{"variant": "full", **PARTIAL}], "sender": "x"}))
    assert [(problem.pointer, problem.code) for problem in problems(items)] == [
        ("/sender", "unknown_field")
    ]
    assert len(drafts(items)) == 1


def test_blocks_outside_the_variant_are_refused_by_name() -> None:
    content = {"variant": "income_2025", **income_2025_example()}
    content["worked_time"] = full_example()["worked_time"]
    (problem,) = problems(read("json", _json(content)))
    assert (problem.pointer, problem.code) == ("/worked_time", "not_in_variant")


def test_an_invalid_income_row_blocks_its_certificate() -> None:
    content = {"variant": "full", **full_example(), "income": [{"year": 2025, "month": 13}]}
    found = {(problem.pointer, problem.code) for problem in problems(read("json", _json(content)))}
    assert found == {
        ("/income/0/month", "out_of_range"),
        ("/income/0/amount", "required"),
        ("/income/0/source", "required"),
    }


def test_a_draft_may_be_incomplete_and_says_so() -> None:
    (draft,) = drafts(read("json", _json({"variant": "full", **PARTIAL})))
    assert draft.content == PARTIAL
    assert draft.complete is False


@pytest.mark.parametrize(
    ("record", "code", "field"),
    [
        (
            {"employee": {"first_name": "Ann"}, "working_time": {"type": "Heltid"}},
            "personnummer_required",
            "employee.personnummer",
        ),
        (
            {"employee": {"first_name": "Ann", "personnummer": "191212121212"}},
            "record_without_content",
            None,
        ),
    ],
)
def test_no_draft_without_an_identity_or_any_content(
    record: dict[str, Any], code: str, field: str | None
) -> None:
    items = read("json", _json({"variant": "full", **record}))
    assert not drafts(items)
    assert [(problem.code, problem.field) for problem in problems(items)] == [(code, field)]
    assert describe(code, (), "sv").startswith(("Ange arbetstagarens personnummer", "Posten har"))


def test_the_record_key_follows_the_employment_not_the_wording() -> None:
    first = {"variant": "full", **full_example()}
    corrected = {"variant": "full", **full_example()}
    corrected["employment"]["position"] = "Byggnadssnickare"
    keys = [draft.record_key for draft in drafts(read("json", _json([first, corrected])))]
    assert keys[0] == keys[1]
    other = {"variant": "full", **full_example()}
    other["employment"]["period"]["start"] = "2019-04-01"
    assert drafts(read("json", _json(other)))[0].record_key != keys[0]


def test_without_an_employment_the_record_key_is_the_content() -> None:
    def key(name: str) -> str:
        employee = {**PARTIAL["employee"], "first_name": name}
        record = {"variant": "full", **PARTIAL, "employee": employee}
        return drafts(read("json", _json(record)))[0].record_key

    assert key("Ann") == key("Ann") != key("Bo")
