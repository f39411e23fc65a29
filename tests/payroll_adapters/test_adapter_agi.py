"""AGI 1.1: one income record per individual statement, replacement by key, generated files."""

import io
import tracemalloc

import pytest

from payroll_adapters import IncomeRecord, generate_agi, income_by_month, latest_income, parse
from tests.payroll_adapters.support import fixture, incomes, problems, read, summary

A, B = "198112189876", "198506152340"
EMPLOYER = "165560160680"


def _text() -> str:
    return fixture("agi_2025.xml").decode()


def _line_of(text: str, occurrence: int = 1) -> int:
    lines = [number for number, line in enumerate(_text().splitlines(), start=1) if text in line]
    return lines[occurrence - 1]


def test_each_individual_statement_becomes_an_income_record() -> None:
    items = read("agi", fixture("agi_2025.xml"))
    found = [
        (r.personnummer, r.year, r.month, r.specification_number, r.cash_pay, r.benefits, r.removed)
        for r in incomes(items)
    ]
    assert found == [
        # 011 cash pay; 012 + 013 benefits; 019 (a deduction) and 001 (tax) not counted.
        (A, 2025, 1, 1, 35000, 3500, False),
        (B, 2025, 1, 1, 28000, 0, False),
        (A, 2025, 1, 2, 5000, 0, False),
        (A, 2025, 2, 1, 35000, 0, False),
        (B, 2025, 2, 1, 28000, 0, False),
        (B, 2025, 2, 1, 29500, 800, False),  # corrects the one before; 018 fuel benefit
        (A, 2025, 1, 2, 0, 0, True),  # Borttag withdraws specification 2
    ]
    first = incomes(items)[0]
    assert first.employer == EMPLOYER
    assert first.employer_orgnr == "5560160680"
    assert first.income == 38500
    assert first.source_pointer == "/Skatteverket/Blankett[2]/Blankettinnehall/IU"
    assert first.line == _line_of("<agd:IU>")
    assert summary(items).skipped == {"HU": 2}


def test_a_correction_and_a_removal_share_the_key_of_what_they_replace() -> None:
    records = incomes(read("agi", fixture("agi_2025.xml")))
    assert records[4].record_key == records[5].record_key
    assert records[2].record_key == records[6].record_key
    assert len({record.record_key for record in records}) == 5


def test_latest_income_keeps_the_statements_in_force() -> None:
    records = incomes(read("agi", fixture("agi_2025.xml")))
    assert [(r.personnummer, r.month, r.cash_pay) for r in latest_income(records)] == [
        (A, 1, 35000),
        (B, 1, 28000),
        (A, 2, 35000),
        (B, 2, 29500),
    ]
    assert income_by_month(records) == {
        (EMPLOYER, A, 2025, 1): 38500,
        (EMPLOYER, B, 2025, 1): 28000,
        (EMPLOYER, A, 2025, 2): 35000,
        (EMPLOYER, B, 2025, 2): 30300,
    }


def test_bad_statements_are_reported_at_their_fields() -> None:
    items = read("agi", fixture("agi_2025.xml"))
    iu = "Blankettinnehall/IU"
    person = "BetalningsmottagareIUGROUP/BetalningsmottagareIDChoice/BetalningsmottagarId"
    found = [(p.code, p.pointer, p.line, p.field) for p in problems(items)]
    assert found == [
        (
            "invalid_personnummer",
            f"/Skatteverket/Blankett[10]/{iu}/{person}",
            _line_of("191212121213"),
            "personnummer",
        ),
        (
            "agi_bad_amount",
            f"/Skatteverket/Blankett[11]/{iu}/KontantErsattningUlagAG",
            _line_of("35 000,50"),
            "field_011",
        ),
        (
            "agi_period_mismatch",
            f"/Skatteverket/Blankett[12]/{iu}/RedovisningsPeriod",
            _line_of(">202503<"),
            "period",
        ),
    ]
    assert problems(items)[1].message("sv") == "Fält 011 ska vara ett belopp i hela kronor."


def test_the_form_period_and_the_common_employer_fill_in_what_an_iu_leaves_out() -> None:
    text = _text()
    first_iu = text.index("<agd:IU>")
    end = text.index("</agd:IU>", first_iu)
    statement = text[first_iu:end]
    for element in ("ArbetsgivareIUGROUP", "RedovisningsPeriod"):
        start = statement.index(f"<agd:{element}")
        stop = statement.index(f"</agd:{element}>") + len(f"</agd:{element}>")
        statement = statement[:start] + statement[stop:]
    record = incomes(read("agi", (text[:first_iu] + statement + text[end:]).encode()))[0]
    assert (record.employer, record.year, record.month, record.cash_pay) == (
        EMPLOYER,
        2025,
        1,
        35000,
    )


def test_a_missing_specification_number_is_named() -> None:
    text = _text().replace(
        '<agd:Specifikationsnummer faltkod="570">1</agd:Specifikationsnummer>', "", 1
    )
    problem = problems(read("agi", text.encode()))[0]
    assert (problem.code, problem.params) == ("agi_missing", ("Specifikationsnummer (570)",))
    assert problem.pointer == "/Skatteverket/Blankett[2]/Blankettinnehall/IU"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (('omrade="Arbetsgivardeklaration"', 'omrade="Kontrolluppgifter"'), "wrong_area"),
        (("Skatteverket", "Kontrolluppgift"), "wrong_root"),
    ],
)
def test_other_skatteverket_files_are_refused(change: tuple[str, str], code: str) -> None:
    items = read("agi", _text().replace(*change).encode())
    assert [problem.code for problem in problems(items)] == [code]
    assert not incomes(items)


def test_generated_files_are_valid_deterministic_and_complete() -> None:
    data = b"".join(generate_agi(30, 12, seed=7))
    assert data == b"".join(generate_agi(30, 12, seed=7))
    assert data != b"".join(generate_agi(30, 12, seed=8))
    items = read("agi", data)
    records = incomes(items)
    assert not problems(items)
    assert len(records) == 360
    assert len({record.record_key for record in records}) == 360
    assert len({record.personnummer for record in records}) == 30
    assert {(record.year, record.month) for record in records} == {(2024, m) for m in range(1, 13)}
    assert summary(items).skipped == {"HU": 12}
    assert any(record.benefits for record in records)


def test_memory_stays_flat_as_the_file_grows() -> None:
    peaks = []
    for employees in (100, 1_000):
        data = b"".join(generate_agi(employees, 2, seed=1))
        tracemalloc.start()
        # Counted as they come, as a caller storing each record would: none is kept here.
        count = sum(
            isinstance(item, IncomeRecord)
            for item in parse("agi", io.BytesIO(data), max_bytes=len(data))
        )
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert count == employees * 2
    assert peaks[1] < peaks[0] * 2
