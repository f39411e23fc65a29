"""The PDF as people read it, through poppler's pdftotext: letterhead, the form's order, Swedish
formats, local times with their zone, whole words in table headers."""

from __future__ import annotations

import re

from app.certificates.pdf import render_pdf
from schemas.examples import full_example, income_2025_example
from signing.document import CertificateDocument
from signing.pdf import ATTACHMENT_NAME
from tests.signing.conftest_seal import make_document
from tests.signing.pdftext import flat, pdf_text

_LOCAL_TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d CES?T"


def test_swedish_text_survives_in_the_pdf() -> None:
    content = full_example()
    content["employee"]["last_name"] = "Åström"
    content["employer"]["address"]["city"] = "Ängelholm"
    content["other_information"] = "Öppettider – se avtal. Även å, ä, ö."
    text = flat(pdf_text(render_pdf(make_document(content), b"<x/>")))
    for expected in ("Åström", "Ängelholm", "Öppettider – se avtal. Även å, ä, ö."):
        assert expected in text
    assert set("åäöÅÄÖ–") <= set(text)


def test_the_letterhead_names_the_company(sealed_pdf_file: bytes) -> None:
    lines = [line.strip() for line in pdf_text(sealed_pdf_file).splitlines() if line.strip()]
    assert lines[0] == "Byggbolaget Demo AB"
    assert re.fullmatch(r"Organisationsnummer 559999-9991\s+Utfärdat genom Intyga", lines[1])
    assert lines[2] == "Arbetsgivarintyg"


def test_blocks_come_in_the_forms_order_then_the_signatures(sealed_pdf_file: bytes) -> None:
    text = pdf_text(sealed_pdf_file)
    headings = [
        "A. Arbetstagare",
        "B. Arbetsgivare",
        "C. Anställning",
        "D. Anställningsform",
        "E. Arbetstid",
        "G. Orsak till att anställningen upphörde",
        "J. Arbetad tid",
        "K. Lön",
        "M. Övriga upplysningar",
        "Underskrifter",
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    within_a = [text.index(label) for label in ("Förnamn", "Efternamn", "Personnummer")]
    assert within_a == sorted(within_a)


def test_numbers_and_months_read_as_on_the_pages() -> None:
    content = full_example()
    content["worked_time"]["months"].reverse()  # months come sorted whatever their order
    text = flat(pdf_text(render_pdf(make_document(content), b"<x/>")))
    for expected in (
        "Organisationsnummer 559999-9991 Gatuadress",  # block B, with the hyphen
        "Personnummer 19121212-1212",
        "Postnummer 123 45",
        "Belopp (kr) 34 500,00",  # thousands separated, decimal comma (no-break space)
        "Övertidstillägg (kr) 85,00",
        "Timmar per vecka vid heltid 40",
        "Månad Arbetade timmar juli 2024 168 augusti 2024 176",
        "april 2025 158,5 maj 2025 152 juni 2025 160 K. Lön",
        "juni 2025 14 18 400,00 Semesterersättning",
    ):
        assert expected in text, expected
    months = re.findall(r"(\w+) (2024|2025) \d", text.split("Arbetad tid per månad")[1])
    assert [m for m, _ in months[:3]] == ["juli", "augusti", "september"]


def test_times_are_swedish_with_their_zone(
    sealed_pdf_file: bytes, signed_document: CertificateDocument
) -> None:
    lines = pdf_text(sealed_pdf_file)
    text = flat(lines)
    # Issued 08:30 UTC on 1 July: summer time in Stockholm.
    assert "Utfärdat 2025-07-01 10:30 CEST" in text
    assert "UTC" not in text
    employer = signed_document.evidence[0].name.split()[0]
    for row in (
        f"Arbetsgivare +{employer}\\b.* 800101-\\*{{4}} +{_LOCAL_TIME} +Skrev under med BankID",
        f"Arbetstagare +Tolvan\\b.* 121212-\\*{{4}} +{_LOCAL_TIME} +Godkände med BankID, till",
    ):
        assert re.search(f"^{row}", lines, re.MULTILINE), row
    assert "Byggnadsarbetarnas a-kassa" in text
    assert "198001011231" not in text  # signatories' numbers are masked


def test_table_headers_keep_their_words_whole(sealed_pdf_file: bytes) -> None:
    text = pdf_text(sealed_pdf_file)
    words = set(re.findall(r"[\wåäöÅÄÖ-]+", text))
    for header in ("Roll", "Namn", "Personnummer", "Tidpunkt", "Anmärkning", "Arbetade timmar"):
        for word in header.split():
            assert word in words, word
    assert not re.search(r"\w-\n", text)  # no word hyphenated at a line's end


def test_the_attachment_and_checksum_are_explained(
    sealed_pdf_file: bytes, signed_document: CertificateDocument
) -> None:
    text = flat(pdf_text(sealed_pdf_file))
    assert ATTACHMENT_NAME in text
    assert "Kontrollsumma för intygets innehåll (SHA-256):" in text
    assert "arkivbeständig (PDF/A-3)" in text


def test_income_2025_has_no_blocks_j_to_l() -> None:
    doc = make_document(income_2025_example(), variant="income_2025")
    text = flat(pdf_text(render_pdf(doc, b"<x/>")))
    assert "Sista dag med heltidsarbete 2025-06-30" in text
    assert "J. Arbetad tid" not in text
    assert "K. Lön" not in text
    assert "Ingen har skrivit under den här versionen." in text


def test_rendering_is_deterministic() -> None:
    assert render_pdf(make_document(), b"<x/>") == render_pdf(make_document(), b"<x/>")
