"""CSV: the documented columns, spreadsheet habits, and cell pointers."""

import re
from pathlib import Path

import pytest

import payroll_adapters
from payroll_adapters import csv_template, to_csv
from payroll_adapters.csv_columns import header_for, row_of
from schemas import load_content
from schemas.examples import full_example, income_2025_example
from tests.payroll_adapters.support import drafts, fixture, problems, read, summary

DOC = Path(payroll_adapters.__file__).parent / "csv_format.md"
HEADER = "variant;employee.first_name;employee.personnummer;hours_2025_01;income_2025_01\r\n"


def test_the_fixture_from_swedish_excel() -> None:
    items = read("csv", fixture("certificates_cp1252.csv"))
    asa, karin = drafts(items)
    assert (asa.pointer, asa.line, asa.complete) == ("#row=2", 2, True)
    assert asa.content["employee"] == {
        "first_name": "Åsa",
        "last_name": "Öberg",
        "personnummer": "191212121212",
    }
    assert asa.content["employment"]["still_employed"] is False  # "nej"
    assert asa.content["salary"]["amount"] == "182.50"  # decimal comma
    assert asa.content["worked_time"]["months"] == [
        {"year": 2025, "month": 4, "hours_worked": "120.50", "absence": "8.00"},
        {"year": 2025, "month": 5, "hours_worked": "118.00", "overtime": "2.25"},
        {"year": 2025, "month": 6, "hours_worked": "121.00"},
    ]
    assert [row["amount"] for row in asa.income] == [22000, 21500, 23000]
    assert karin.variant == "full"  # an empty variant cell
    assert karin.complete is False
    (problem,) = problems(items)
    assert (problem.pointer, problem.line, problem.field, problem.code) == (
        "#cell=3,20",
        3,
        "worked_time.months.0.hours_worked",
        "out_of_range",
    )


def test_the_template_parses_to_the_complete_example() -> None:
    template = csv_template()
    header = template.splitlines()[0].split(";")
    assert header[0] == "variant"
    assert "hours_2024_07" in header
    assert "income_2025_06" in header
    assert "employment.leaves.1.period.start" in header
    (draft,) = drafts(read("csv", template.encode()))
    assert draft.complete
    assert draft.content == load_content(full_example(), "full")
    assert len(draft.income) == 12


def test_the_documentation_lists_every_column() -> None:
    documented = set(re.findall(r"`([a-z_.N]+)`", DOC.read_text()))
    columns = header_for([], every_field=True)
    expected = {re.sub(r"\.1\.", ".N.", name) for name in columns}
    assert expected <= documented
    assert {"hours_YYYY_MM", "absence_YYYY_MM", "income_YYYY_MM"} <= set(
        re.findall(r"`([a-z_]+_YYYY_MM)`", DOC.read_text())
    )


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_detected(delimiter: str) -> None:
    content = load_content(income_2025_example(), "income_2025")
    text = to_csv([("income_2025", content, [])], delimiter=delimiter)
    (draft,) = drafts(read("csv", text.encode("utf-8-sig")))
    assert draft.content == content


def test_values_as_spreadsheets_write_them() -> None:
    text = (
        HEADER + "full;Ann;19121212-1212;12,5;18 400\r\n" + "full;Bo;191212121212;7.25;18400,00\r\n"
    )
    first, second = drafts(read("csv", text.encode()))
    assert first.content["worked_time"]["months"][0]["hours_worked"] == "12.50"
    assert first.content["employee"]["personnummer"] == "191212121212"
    assert first.income[0]["amount"] == 18400
    assert second.income[0]["amount"] == 18400


def test_a_fractional_income_is_refused_not_rounded() -> None:
    (problem,) = problems(read("csv", (HEADER + "full;Ann;;;100,50\r\n").encode()))
    assert (problem.pointer, problem.code, problem.field) == (
        "#cell=2,5",
        "not_integer",
        "income.0.amount",
    )


def test_unknown_or_repeated_columns_stop_the_import_before_any_row() -> None:
    text = "variant;employee.frist_name;employee.first_name;employee.first_name\r\nfull;A;B;C\r\n"
    items = read("csv", text.encode())
    assert [(p.code, p.pointer, p.params) for p in problems(items)] == [
        ("csv_unknown_column", "#cell=1,2", ("employee.frist_name",)),
        ("csv_duplicate_column", "#cell=1,4", ("employee.first_name",)),
    ]
    assert not drafts(items)
    assert summary(items).completed is False


def test_a_row_with_extra_cells_is_refused_and_the_others_imported() -> None:
    text = HEADER + "full;Ann;191212121212;160;;surplus\r\nfull;Bo;191212121212;160;\r\n"
    items = read("csv", text.encode())
    (problem,) = problems(items)
    assert (problem.code, problem.pointer, problem.params) == (
        "csv_extra_cells",
        "#row=2",
        ("6", "5"),
    )
    assert [draft.content["employee"]["first_name"] for draft in drafts(items)] == ["Bo"]


def test_an_unknown_variant_is_named_at_its_cell() -> None:
    (problem,) = problems(read("csv", (HEADER + "kort;Ann;;;\r\n").encode()))
    assert (problem.code, problem.pointer, problem.field) == (
        "invalid_choice",
        "#cell=2,1",
        "variant",
    )


def test_broken_quoting_stops_with_the_row_named() -> None:
    text = HEADER + 'full;Bo;191212121212;160;\r\nfull;"Ann"x;;;\r\nfull;Cy;;;\r\n'
    items = read("csv", text.encode())
    assert [draft.content["employee"]["first_name"] for draft in drafts(items)] == ["Bo"]
    (problem,) = problems(items)
    assert (problem.code, problem.pointer, problem.line, problem.fatal) == (
        "csv_malformed",
        "#row=3",
        3,
        True,
    )


def test_text_with_delimiters_quotes_and_line_breaks_survives() -> None:
    content = load_content(full_example(), "full")
    content["other_information"] = 'Rad ett; "citat", komma\nrad två'
    for delimiter in (";", ","):
        (draft,) = drafts(
            read("csv", to_csv([("full", content, [])], delimiter=delimiter).encode())
        )
        assert draft.content == content


def test_rows_of_lists_are_numbered_from_one() -> None:
    content = load_content(full_example(), "full")
    row = row_of("full", content)
    assert row["salary.supplements.2.supplement_type"] == "Semesterersattning"
    assert row["hours_2025_04"] == "158.50"
    assert row_of("full", content, decimal_comma=True)["hours_2025_04"] == "158,50"
