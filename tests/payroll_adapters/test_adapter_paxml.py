"""PAXml: the real sample files, and an export that exercises every mapping rule."""

import tracemalloc

import pytest

from payroll_adapters.messages import describe_key
from payroll_adapters.paxml_person import employment_form
from tests.payroll_adapters.support import drafts, fixture, problems, read, sample, summary

LONUT = "paxml_lonut_latin1.pax"


def _text() -> str:
    return fixture(LONUT).decode("iso-8859-1")


def _line_of(text: str, document: str | None = None) -> int:
    lines = (document or _text()).splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def _by_name(data: bytes) -> dict[str, dict[str, object]]:
    return {
        str(draft.content.get("employee", {}).get("first_name", draft.pointer)): {
            "content": draft.content,
            "income": draft.income,
            "draft": draft,
        }
        for draft in drafts(read("paxml", data))
    }


def test_the_official_example_file() -> None:
    items = read("paxml", sample("PAXml_2.0_official_example.pax"))
    siv, sick_leave = drafts(items)
    assert siv.pointer == "/paxml/personal/person[1]"
    assert siv.content["employee"] == {
        "first_name": "Siv",
        "last_name": "Ljunggren",
        "phone": "0709969696",
    }
    assert siv.content["employment"] == {
        "period": {"start": "1995-01-01"},
        "still_employed": True,
        "employment_rate": "100.00",
    }
    assert siv.content["salary"] == {"year": 2010, "salary_type": "Manadslon", "amount": "25000.00"}
    assert siv.content["working_time"] == {"type": "Heltid"}
    # anstid 101 has only transactions: sick 2-5 June 2012 at 100 % of the schedule the file
    # gives (8 h on the 2nd, 4.5 on the 3rd, none on the 4th; the 5th, not in it, a weekday of
    # 8 h), and leave on Friday 1 June (8 h): 20.5 + 8 hours of absence.
    assert sick_leave.pointer == "/paxml/tidtransaktioner/tidtrans[1]"
    assert sick_leave.employment_id == "101"
    assert sick_leave.content["worked_time"]["months"] == [
        {"year": 2012, "month": 6, "hours_worked": "0.00", "absence": "28.50"}
    ]
    # 198210101237 has one pay transaction with neither date nor amount: nothing to certify.
    (empty,) = problems(items)
    assert (empty.code, empty.pointer) == (
        "record_without_content",
        "/paxml/lonetransaktioner/lonetrans[1]",
    )


def test_the_real_vendor_export_imports_the_valid_person_and_reports_the_other() -> None:
    data = sample("blinfo_DEMO_2022-10.xml")
    items = read("paxml", data)
    (arvid,) = drafts(items)
    assert arvid.content["employee"] == {
        "first_name": "Arvid",
        "last_name": "Lundgren",
        "email": "arvid.lundgren@bygglet.com",
    }
    assert arvid.content["employment_form"] == {"type": "Tillsvidare"}
    assert arvid.content["worked_time"]["months"] == [
        {"year": 2022, "month": 10, "hours_worked": "4.00", "absence": "8.00"}
    ]
    assert arvid.employer_hint == "14610"
    (problem,) = problems(items)
    assert (problem.code, problem.pointer, problem.field) == (
        "invalid_personnummer",
        "/paxml/personal/person[2]/@persnr",
        "employee.personnummer",
    )
    assert problem.line == _line_of('<person anstid="001" persnr="198209010001">', data.decode())


def test_the_schema_file_is_not_taken_for_an_export() -> None:
    (problem,) = problems(read("paxml", sample("paxml_2.0_rev2013-12-03_pakomp.xsd")))
    assert (problem.code, problem.params) == ("wrong_root", ("paxml",))


def test_an_employee_from_the_register_with_time_and_payslips() -> None:
    tolvan = drafts(read("paxml", fixture(LONUT)))[0]
    content = tolvan.content
    assert tolvan.pointer == "/paxml/personal/person[1]"
    assert content["employee"] == {
        "first_name": "Tolvan",
        "last_name": "Tolvansson",
        "personnummer": "191212121212",
        "email": "tolvan@example.com",
        "phone": "0701234567",
    }
    assert content["employer"] == {
        "name": "Byggbolaget Åkesson AB",
        "organisation_number": "5560160680",
    }
    assert content["employment"] == {
        "period": {"start": "2019-03-01", "end": "2025-06-30"},
        "still_employed": False,
        "position": "Snickare",
        "employment_rate": "100.00",
    }
    assert content["employment_form"] == {"type": "Tillsvidare"}
    assert content["salary"] == {"year": 2024, "salary_type": "Manadslon", "amount": "34500.00"}
    # January: 160 h TID + two weekdays of holiday; sick from Thu 30 Jan to Mon 3 Feb; VAB
    # 10 h over 27 Feb-2 Mar split by calendar days; unpaid holiday is absence; OB is ignored.
    assert content["worked_time"] == {
        "period": {"start": "2025-01-01", "end": "2025-03-31"},
        "months": [
            {
                "year": 2025,
                "month": 1,
                "hours_worked": "176.00",
                "absence": "16.00",
                "overtime": "2.00",
                "extra_time": "1.50",
            },
            {"year": 2025, "month": 2, "hours_worked": "140.00", "absence": "13.00"},
            {"year": 2025, "month": 3, "hours_worked": "8.50", "absence": "13.00"},
        ],
    }
    # Payslips: gross and benefits, not tax; -1 200,50 makes February 33 299,50.
    assert [(row["month"], row["amount"], row["source"]) for row in tolvan.income] == [
        (1, 37000, "payroll"),
        (2, 33300, "payroll"),
    ]
    assert "unknown_time_code:XYZ" in tolvan.warnings
    assert tolvan.record_key == drafts(read("paxml", fixture(LONUT)))[0].record_key


def test_a_part_timer_gets_absence_at_her_rate_and_pay_from_transactions() -> None:
    karin = drafts(read("paxml", fixture(LONUT)))[1]
    assert karin.content["employment_form"] == {"type": "Tidsbegransad"}
    assert karin.content["working_time"] == {"type": "Deltid", "percent_of_full_time": "75.00"}
    assert karin.content["salary"] == {"year": 2024, "salary_type": "Timlon", "amount": "165.50"}
    # Parental leave at 50 % on five weekdays of a 6-hour working day (75 % of 8 hours).
    assert karin.content["worked_time"]["months"] == [
        {"year": 2025, "month": 1, "hours_worked": "120.00", "absence": "15.00"}
    ]
    # 120 × 165.50 hourly pay, the expense left out; a bonus in February.
    assert [(row["month"], row["amount"]) for row in karin.income] == [(1, 19860), (2, 1000)]


def test_records_breaking_the_schema_are_reported_and_the_rest_imported() -> None:
    items = read("paxml", fixture(LONUT))
    found = [(problem.code, problem.pointer, problem.line) for problem in problems(items)]
    assert found == [
        ("no_employee", "/paxml/tidtransaktioner/tidtrans[16]", _line_of("<tidtrans><tidkod>")),
        (
            "persnr_not_12_digits",
            "/paxml/personal/person[3]/@persnr",
            _line_of('persnr="9001011239"'),
        ),
        ("invalid_date", "/paxml/personal/person[4]/anstdatum", _line_of("2021-13-45")),
        ("bad_date", "/paxml/tidtransaktioner/tidtrans[14]/datum", _line_of("2025-02-30")),
    ]
    assert [draft.pointer for draft in drafts(items)] == [
        "/paxml/personal/person[1]",
        "/paxml/personal/person[2]",
        "/paxml/tidtransaktioner/tidtrans[15]",
    ]
    assert summary(items).skipped == {"deleted_person": 1}


def test_transactions_before_or_after_the_register_give_the_same_drafts() -> None:
    text = _text()
    start, end = text.index("  <personal>"), text.index("  </personal>") + len("  </personal>\r\n")
    register_last = text[:start] + text[end:].replace("</paxml>", text[start:end] + "</paxml>")
    first = drafts(read("paxml", fixture(LONUT)))
    last = drafts(read("paxml", register_last.encode("iso-8859-1")))
    assert [draft.content for draft in first] == [draft.content for draft in last]
    assert [draft.record_key for draft in first] == [draft.record_key for draft in last]


@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [("UTF-8", "utf-8"), ("UTF-8", "utf-8-sig"), ("windows-1252", "cp1252")],
)
def test_encodings(declaration: str, encoding: str) -> None:
    text = _text().replace("ISO-8859-1", declaration).replace("Snickare", "Snickare – lag 2")
    by_name = _by_name(text.encode(encoding))
    assert by_name["Karin"]["content"]["employee"]["last_name"] == "Åström"  # type: ignore[index]
    position = by_name["Tolvan"]["content"]["employment"]["position"]  # type: ignore[index]
    assert position == "Snickare – lag 2"


def test_unknown_versions_and_elements_are_tolerated() -> None:
    text = _text().replace("<version>2.2</version>", "<version>2.9</version><nytt><x/></nytt>")
    assert len(drafts(read("paxml", text.encode("iso-8859-1")))) == 3


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("FAST", "Tillsvidare"),
        ("Tillsvidareanställning", "Tillsvidare"),
        ("tills vidare", "Tillsvidare"),
        ("PROV", "Provanstallning"),
        ("Provanställning 6 mån", "Provanstallning"),
        ("VISSTID", "Tidsbegransad"),
        ("Visstidsanställning", "Tidsbegransad"),
        ("Allmän visstid", "Tidsbegransad"),
        ("VIKARIAT", "Tidsbegransad"),
        ("PROJEKT", "Tidsbegransad"),
        ("PRAKTIK", "Tidsbegransad"),
        ("FERIE", "Tidsbegransad"),
        ("SÄSONG", "Tidsbegransad"),
        ("Säsongsanställd", "Tidsbegransad"),
        ("Timanställd", "Behovsanstalld"),
        ("Behovsanställning", "Behovsanstalld"),
        ("Konsult", None),
    ],
)
def test_free_text_forms_of_employment(written: str, code: str | None) -> None:
    assert employment_form(written) == code


def test_hourly_employees_have_varying_working_time() -> None:
    text = _text().replace("<anstform>FAST</anstform>", "<anstform>Timanställd</anstform>")
    tolvan = _by_name(text.encode("iso-8859-1"))["Tolvan"]["content"]
    assert tolvan["working_time"] == {"type": "VarierandeArbetstid"}  # type: ignore[index]


def _many_transactions(count: int) -> bytes:
    rows = "".join(
        f'<tidtrans anstid="{index % 20}"><tidkod>TID</tidkod>'
        f"<datum>2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}</datum><timmar>1.25</timmar>"
        "</tidtrans>\n"
        for index in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<paxml><header><version>2.0</version></header>'
        f"<tidtransaktioner>\n{rows}</tidtransaktioner></paxml>"
    ).encode()


def test_memory_stays_flat_as_transactions_grow() -> None:
    peaks = []
    for count in (1_000, 10_000):
        data = _many_transactions(count)
        tracemalloc.start()
        items = read("paxml", data)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert len(drafts(items)) == 20
    assert peaks[1] < peaks[0] * 2


@pytest.mark.parametrize(
    ("transaction", "code", "params"),
    [
        (
            "<tidkod>TID</tidkod><datum>9999-12-31</datum><timmar>8</timmar>",
            "bad_date",
            ("9999-12-31",),
        ),
        (
            "<tidkod>TID</tidkod><datum>2025-01-02</datum><timmar>åtta</timmar>",
            "bad_number",
            ("åtta",),
        ),
        (
            "<tidkod>SJK</tidkod><datum>2025-01-02</datum><omfattning>150</omfattning>",
            "bad_number",
            ("150",),
        ),
        (
            (
                "<tidkod>TJL</tidkod><datumfrom>2025-02-01</datumfrom><datumtom>2025-01-01</datumtom>"
                "<timmar>8</timmar>"
            ),
            "bad_range",
            ("2025-02-01", "2025-01-01"),
        ),
        ("<tidkod>TID</tidkod><timmar>8</timmar>", "no_date", ()),
        ("<tidkod>TID</tidkod><datum>2025-01-02</datum>", "no_hours", ()),
    ],
)
def test_an_unreadable_transaction_stops_its_employees_draft(
    transaction: str, code: str, params: tuple[str, ...]
) -> None:
    document = (
        "<paxml><header><version>2.0</version></header><tidtransaktioner>"
        '<tidtrans anstid="1"><tidkod>TID</tidkod><datum>2025-01-03</datum><timmar>8</timmar>'
        f'</tidtrans><tidtrans anstid="1">{transaction}</tidtrans>'
        '<tidtrans anstid="2"><tidkod>TID</tidkod><datum>2025-01-03</datum><timmar>8</timmar>'
        "</tidtrans></tidtransaktioner></paxml>"
    )
    items = read("paxml", document.encode())
    (problem,) = problems(items)
    assert (problem.code, problem.params) == (code, params)
    assert problem.pointer.startswith("/paxml/tidtransaktioner/tidtrans[2]")
    assert [draft.pointer for draft in drafts(items)] == ["/paxml/tidtransaktioner/tidtrans[3]"]


def test_a_rate_finer_than_hundredths_is_rounded_and_the_rounding_stated() -> None:
    # xs:decimal allows any precision; the person was once dropped over "66.667".
    text = _text().replace("<sysgrad>75</sysgrad>", "<sysgrad>66.667</sysgrad>")
    before = len(drafts(read("paxml", fixture(LONUT))))
    made = drafts(read("paxml", text.encode("iso-8859-1")))
    assert len(made) == before
    (draft,) = [
        d for d in made if d.content.get("employment", {}).get("employment_rate") == "66.67"
    ]
    assert "rate_rounded:66.667:66.67" in draft.warnings
    assert draft.content["working_time"]["percent_of_full_time"] == "66.67"
    assert "avrundats till 66.67" in describe_key("rate_rounded:66.667:66.67", "sv")


def test_a_real_time_export_naming_people_by_id_with_fourteen_decimals() -> None:
    """Workify's export (blinfo/paxml4j): hours such as 6.01666666666667 are read, summed per
    month and rounded once, the rounding stated; its header's organisation number fails its
    check digit and is reported once, not once per person."""
    items = read("paxml", fixture("paxml_workify_2022-09.xml"))
    header, expenses = problems(items)
    assert (header.code, header.pointer, header.field) == (
        "invalid_orgnr",
        "/paxml/header/foretagorgnr",
        "employer.organisation_number",
    )
    # anstid 44 has only a mileage allowance, a night allowance (both tax free) and an outlay.
    assert (expenses.code, expenses.pointer) == (
        "record_without_content",
        "/paxml/lonetransaktioner/lonetrans[1]",
    )
    (person,) = drafts(items)
    assert (person.employment_id, person.person_key) == ("1234", ("paxml", "30", ""))
    assert "employer" not in person.content
    assert person.content["worked_time"]["months"] == [
        {
            "year": 2022,
            "month": 9,
            # ARB 94.01666666666667 and paid holiday (SEM) 9.5
            "hours_worked": "103.52",
            # FPE, KOM, SJK, TJL and VAB
            "absence": "46.00",
            # ÖT1 1.56666666666667 + 2, ÖK1 3.5, ÖK2 2, ÖT2 2; JR1 and FR1 are supplements
            "overtime": "11.07",
        }
    ]
    assert "rounded:worked_time.months.0.hours_worked:103.51666666666667:103.52:2022-09" in (
        person.warnings
    )
    assert describe_key(person.warnings[-1], "sv") == (
        "Övertid (timmar), 2022-09: 11.06666666666667 har avrundats till 11.07. Intyget anger "
        "två decimaler (avrundning uppåt från 5)."
    )


def test_a_real_time_export_with_its_employer_and_one_person_by_id() -> None:
    """Fieldly's export (blinfo/paxml4j): one person by anstid with name, September 2022."""
    items = read("paxml", fixture("paxml_fieldly_2022-09.xml"))
    assert problems(items) == []
    (mattias,) = drafts(items)
    assert mattias.content["employee"] == {
        "first_name": "Mattias",
        "last_name": "Pettersson Andersson",
    }
    assert mattias.content["employer"] == {"name": "Palm AB", "organisation_number": "9511102411"}
    assert mattias.employment_id == "1"
    assert mattias.content["worked_time"]["months"] == [
        {"year": 2022, "month": 9, "hours_worked": "188.02", "absence": "8.00", "overtime": "4.00"}
    ]


def test_an_absence_without_extent_is_the_whole_scheduled_day() -> None:
    """PAXml 2.0, tidtransaktioner note T: without timmar and omfattning, 100 % of the
    schedule; a schedule given by start and end time counts its span."""
    document = (
        "<paxml><header><version>2.0</version></header><tidtransaktioner>"
        '<tidtrans anstid="9"><tidkod>VAB</tidkod><datumfrom>2025-03-03</datumfrom>'
        "<datumtom>2025-03-04</datumtom></tidtrans></tidtransaktioner>"
        '<schematransaktioner><schema anstid="9">'
        '<dag datum="2025-03-03" starttid="2025-03-03T07:00:00" sluttid="2025-03-03T13:30:00"/>'
        "</schema></schematransaktioner></paxml>"
    )
    (draft,) = drafts(read("paxml", document.encode()))
    # 6.5 scheduled hours on the 3rd; the 4th, outside the schedule, a weekday of 8 hours.
    assert draft.content["worked_time"]["months"][0]["absence"] == "14.50"
