"""Identity: a 10-digit personnummer gets its century by Skatteverket's rule (and says it was
assumed), samordningsnummer are accepted on every path, and a missing number says what is needed."""

from __future__ import annotations

import datetime as dt

import pytest

from payroll_adapters import content_to_xml, dump_json, to_csv
from schemas import ContentInvalid, identity_warnings, load_content, validate_personnummer
from schemas.examples import full_example
from schemas.identity import century_assumed
from schemas.messages import describe
from tests.payroll_adapters.support import drafts, envelope, problems, read

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("121212-1212", "201212121212"),  # 14 years old
        ("1212121212", "201212121212"),  # no separator reads as '-'
        ("121212+1212", "191212121212"),  # '+': 100 or older
        ("261231-1239", "192612311239"),  # born 31 December: 2026 is still ahead, so 1926
        ("261231+1239", "182612311239"),
        ("701063-2391", "197010632391"),  # samordningsnummer: day 63 is the 3rd
        ("19121212-1212", "191212121212"),  # 12 digits: nothing to assume
    ],
)
def test_the_century_follows_skatteverkets_rule(given: str, expected: str) -> None:
    assert validate_personnummer(given, today=TODAY) == expected


def test_a_ten_digit_number_warns_that_the_century_was_assumed() -> None:
    content = full_example()
    content["employee"]["personnummer"] = "121212+1212"
    (warning,) = identity_warnings(content)
    assert warning == "century_assumed:1912"
    assert "födelseåret 1912 är antaget" in describe(warning, "sv")
    assert century_assumed("191212121212") is None
    assert identity_warnings(full_example()) == []


def test_no_number_says_what_is_needed() -> None:
    content = full_example()
    del content["employee"]["personnummer"]
    with pytest.raises(ContentInvalid) as refused:
        load_content(content, "full")
    assert refused.value.errors == {"employee": {"personnummer": ["personnummer_required"]}}
    assert "samordningsnummer från Skatteverket" in describe("personnummer_required", "sv")


@pytest.mark.parametrize("number", ["701063-2391", "197010632391"])
def test_samordningsnummer_pass_every_format(number: str) -> None:
    content = full_example()
    content["employee"]["personnummer"] = number
    loaded = load_content(content, "full")
    assert loaded["employee"]["personnummer"] == "197010632391"
    for name, document in {
        "json": dump_json([{"variant": "full", **loaded}]),
        "csv": to_csv([("full", loaded, [])]).encode(),
        "soap": envelope([content_to_xml(loaded, "full")]),
    }.items():
        (draft,) = drafts(read(name, document))
        assert draft.content["employee"]["personnummer"] == "197010632391", name


def test_import_formats_say_the_century_was_assumed_and_what_is_missing() -> None:
    content = full_example()
    content["employee"]["personnummer"] = "121212-1212"
    (draft,) = drafts(read("json", dump_json([{"variant": "full", **content}])))
    assert draft.warnings[0].startswith("century_assumed:")
    del content["employee"]["personnummer"]
    found = problems(read("json", dump_json([{"variant": "full", **content}])))
    assert [(p.code, p.field) for p in found] == [
        ("personnummer_required", "employee.personnummer")
    ]
