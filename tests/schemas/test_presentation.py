"""One presentation of a certificate: the form's order, sorted months, values formatted once."""

from __future__ import annotations

from schemas.presentation import blocks
from tests import factories as f

NBSP = "\u00a0"


def _rows(content: dict[str, object], key: str, locale: str = "sv") -> list[tuple[str, str]]:
    block = next(b for b in blocks(content, locale) if b.key == key)
    return [(row.label, row.value) for row in block.rows]


def test_blocks_come_in_the_order_of_the_paper_form() -> None:
    letters = [block.letter for block in blocks(f.content("full"))]
    assert letters == ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "M"]
    assert [b.letter for b in blocks(f.content("income_2025"), variant="income_2025")][-1] == "M"


def test_fields_come_in_the_order_of_the_paper_form_not_the_alphabet() -> None:
    labels = [label for label, _value in _rows(f.content("full"), "employee")]
    assert labels[:4] == ["Förnamn", "Efternamn", "Personnummer", "E-postadress"]
    employer = [label for label, _value in _rows(f.content("full"), "employer")]
    assert employer[:5] == ["Namn", "Organisationsnummer", "Gatuadress", "Postnummer", "Ort"]


def test_values_are_formatted_for_the_reader() -> None:
    content = f.content("full")
    employer = dict(_rows(content, "employer"))
    assert employer["Organisationsnummer"] == "559999-9991"
    assert employer["Postnummer"] == "123 45"
    assert dict(_rows(content, "employee"))["Personnummer"] == "19121212-1212"
    salary = dict(_rows(content, "salary"))
    assert salary["Belopp (kr)"] == f"34{NBSP}500,00"
    assert salary["Typ av lön"] == "Månadslön"
    english = dict(_rows(content, "salary", "en"))
    assert english["Amount (SEK)"] == "34,500.00"
    assert english["Type of salary"] == "Monthly salary"
    assert dict(_rows(content, "employment", "en"))["Period of employment"] == (
        "1 Mar 2019 – 30 Jun 2025"
    )


def test_personnummer_is_masked_one_way_when_asked() -> None:
    rows = dict(_rows_masked(f.content("full")))
    assert rows["Personnummer"] == "121212-****"


def _rows_masked(content: dict[str, object]) -> list[tuple[str, str]]:
    block = next(b for b in blocks(content, mask=True) if b.key == "employee")
    return [(row.label, row.value) for row in block.rows]


def test_months_are_sorted_and_named_whatever_order_they_were_given_in() -> None:
    content = f.content("full")
    months = content["worked_time"]["months"]
    months.reverse()
    months[0]["hours_worked"] = "37.50"
    table = next(b for b in blocks(content) if b.key == "worked_time").tables[0]
    assert table.columns[:2] == ("Månad", "Arbetade timmar")
    assert table.numeric[:2] == (False, True)
    names = [row[0] for row in table.rows]
    assert names[0] == "juli 2024"
    assert names[-1] == "juni 2025"
    assert table.rows[-1][1] == "37,5"


def test_empty_values_and_blocks_are_left_out() -> None:
    content = f.content("full")
    content["employer"]["address"]["care_of"] = ""
    del content["other_information"]
    assert "c/o" not in dict(_rows(content, "employer"))
    assert "other_information" not in [b.key for b in blocks(content)]
