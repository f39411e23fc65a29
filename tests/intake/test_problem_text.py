"""Every problem names its field and its record in plain words, never only "Fältet måste
fyllas i.": the sentence each face shows (import jobs, the portal, REST, SOAP)."""

from __future__ import annotations

import pytest

from app.intake.messages import problem_text


@pytest.mark.parametrize(
    ("code", "params", "field", "pointer", "locale", "text"),
    [
        (
            "required",
            (),
            "employee.first_name",
            "/paxml/personal/person[2]/fornamn",
            "sv",
            "Förnamn saknas för person 2.",
        ),
        ("required", (), "employee.last_name", "#cell=4,3", "en", "Last name is missing in row 4."),
        (
            "required",
            (),
            "variant",
            "/certificates/0",
            "sv",
            "Intygets variant (full eller income_2025) saknas i intyg 1.",
        ),
        (
            "unknown_field",
            (),
            "employee.fooname",
            "/3/employee/fooname",
            "sv",
            'Fältet "employee.fooname" i intyg 4: Okänt fält. Kontrollera stavningen.',
        ),
        (
            "invalid_date",
            (),
            "employment.period.end",
            "",
            "sv",
            "Anställningstid, till och med: Ange datumet som ÅÅÅÅ-MM-DD.",
        ),
        (
            "not_object",
            (),
            "employer",
            "/employer",
            "en",
            "B. Employer: Wrong format: a block of fields is expected here.",
        ),
        (
            "agi_bad_amount",
            ("011",),
            "field_011",
            "/Skatteverket/Blankett[11]/Blankettinnehall/IU/KontantErsattningUlagAG",
            "sv",
            "Fält 011 i blankett 11: Fält 011 ska vara ett belopp i hela kronor.",
        ),
        (
            "income_employer_mismatch",
            (),
            "employer",
            "/Skatteverket/Blankett[2]/Blankettinnehall/IU/ArbetsgivareIUGROUP/AgRegistreradId",
            "en",
            (
                "Employer's number (field 201) in form 2: The income statement was filed by "
                "another employer. A company can only import income statements from its own "
                "employer declarations: check that the file is the company's own."
            ),
        ),
        (
            "bad_date",
            ("2025-02-30",),
            None,
            "/paxml/tidtransaktioner/tidtrans[14]/datum",
            "sv",
            'Tidtransaktion 14: Ogiltigt datum "2025-02-30". Ange ÅÅÅÅ-MM-DD.',
        ),
        (
            "out_of_range",
            ("0", "744"),
            "worked_time.months.2.hours_worked",
            "/paxml/personal/person[1]",
            "sv",
            "Arbetade timmar (tabellrad 3) för person 1: Ange ett värde från 0 till 744.",
        ),
    ],
)
def test_a_problem_reads_as_a_sentence_naming_field_and_record(
    code: str,
    params: tuple[str, ...],
    field: str | None,
    pointer: str,
    locale: str,
    text: str,
) -> None:
    assert problem_text(code, params, locale, field=field, pointer=pointer) == text
