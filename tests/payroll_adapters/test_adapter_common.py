"""What every adapter guarantees: refusal of DTDs, the size limit, messages, stable keys."""

import io
import re

import pytest

from payroll_adapters import FORMATS, Item, Problem, SoapHeader, parse
from payroll_adapters.messages import CATALOG, describe, describe_key
from tests.payroll_adapters.support import (
    drafts,
    fixture,
    incomes,
    problems,
    read,
    summary,
    trickle,
)

FIXTURE_OF = {
    "json": "certificates.json",
    "soap": "soap_request.xml",
    "paxml": "paxml_lonut_latin1.pax",
    "agi": "agi_2025.xml",
    "csv": "certificates_cp1252.csv",
}
XML_ROOTS = {"paxml": "paxml", "agi": "Skatteverket", "soap": "Envelope"}


def test_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        parse("xls", io.BytesIO(b""), max_bytes=10)


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_message_reads_in_swedish_and_english(code: str) -> None:
    params = ("1", "2")
    swedish, english = describe(code, params, "sv"), describe(code, params, "en_GB")
    assert swedish
    assert english
    assert swedish != english
    assert not re.search(r"\{\d\}", swedish + english)


def test_schema_keys_read_through_the_schemas_catalog() -> None:
    problem = Problem("too_long", "/employee/first_name", params=("20",))
    assert problem.key == "too_long:20"
    assert problem.message("sv") == "Högst 20 tecken."
    assert describe_key("unknown_time_code:XYZ", "en") == (
        "The time code XYZ is not recognised and was not counted."
    )


def test_a_full_description_names_line_pointer_and_field() -> None:
    problem = Problem(
        "persnr_not_12_digits",
        "/paxml/personal/person[3]/@persnr",
        line=42,
        field="employee.personnummer",
    )
    assert problem.describe("sv").startswith(
        "Rad 42, /paxml/personal/person[3]/@persnr (employee.personnummer): PAXml kräver"
    )
    assert Problem("empty_file", "").describe("en") == "The file is empty."


@pytest.mark.parametrize("attack", ["xxe.xml", "billion_laughs.xml"])
@pytest.mark.parametrize("format_name", sorted(XML_ROOTS))
def test_dtds_and_entities_are_refused_before_anything_is_read(
    format_name: str, attack: str
) -> None:
    data = fixture(attack).replace(b"paxml", XML_ROOTS[format_name].encode())
    for stream in (io.BytesIO(data), trickle(data, 3)):
        items = list(parse(format_name, stream, max_bytes=1_000_000))
        assert [(item.code, item.fatal) for item in problems(items)] == [("doctype_refused", True)]
        assert not drafts(items)
        assert not incomes(items)
        assert not [item for item in items if isinstance(item, SoapHeader)]
        assert summary(items).completed is False
        assert "root:" not in repr(items)


def test_a_dtd_in_utf16_is_refused_too() -> None:
    data = fixture("xxe.xml").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    items = read("paxml", data.encode("utf-16"))
    assert [item.code for item in problems(items)] == ["doctype_refused"]


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_size_limit_stops_reading(format_name: str) -> None:
    data = fixture(FIXTURE_OF[format_name])
    within = read(format_name, data, max_bytes=len(data))
    assert "too_large" not in [item.code for item in problems(within)]
    over = read(format_name, data, max_bytes=len(data) - 1)
    last = problems(over)[-1]
    assert (last.code, last.params, last.fatal) == ("too_large", (str(len(data) - 1),), True)
    assert summary(over).completed is False
    assert "Högst" in last.message("sv")


def test_a_cut_off_paxml_file_gives_no_drafts_at_all() -> None:
    data = fixture(FIXTURE_OF["paxml"])
    items = read("paxml", data, max_bytes=len(data) // 2)
    assert not drafts(items)


@pytest.mark.parametrize("format_name", FORMATS)
def test_an_empty_file_is_one_clear_problem(format_name: str) -> None:
    items = read(format_name, b"")
    assert [(item.code, item.fatal) for item in problems(items)] == [("empty_file", True)]


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_same_file_twice_gives_the_same_record_keys(format_name: str) -> None:
    data = fixture(FIXTURE_OF[format_name])
    first, second = read(format_name, data), read(format_name, data)

    def keys(items: list[Item]) -> list[str]:
        return [draft.record_key for draft in drafts(items)] + [
            record.record_key for record in incomes(items)
        ]

    assert keys(first)
    assert keys(first) == keys(second)
    assert first == second


@pytest.mark.parametrize("format_name", FORMATS)
def test_records_come_through_a_trickling_stream_alike(format_name: str) -> None:
    data = fixture(FIXTURE_OF[format_name])
    trickled = list(parse(format_name, trickle(data, 7), max_bytes=len(data)))
    assert trickled == read(format_name, data)
