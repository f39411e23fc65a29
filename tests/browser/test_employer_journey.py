"""The employer's journey in Chromium: log in with BankID, register a company, invite a colleague,
fill in a `full` certificate by hand step by step, fix a validation error in its step, review it
and sign it with BankID, and find it among the sent ones. Every main page is checked at 1280 and
390 pixels (no sideways scroll, axe-core) and photographed on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from app.employer import certificate_form as cf
from tests import factories as f
from tests.browser import pages
from tests.conftest import LiveBankID

# The first save creates the draft, each later step updates it.
SAVED = re.compile(r"Utkastet är (sparat|uppdaterat)\.")


def test_anonymous_pages_are_accessible(page: Page) -> None:
    page.goto("/")
    pages.look(page, "start")
    page.goto("/logga-in")
    pages.look(page, "login")
    page.goto("/verifiera")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pages.look(page, "verify")
    page.get_by_role("button", name="Kontrollera").click()
    expect(page.get_by_text("Välj en fil att kontrollera")).to_be_visible()
    pages.look(page, "verify-empty")
    # The same pages in English, as a visitor who chooses it reads them.
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Check an employer certificate")).to_be_visible()
    pages.look(page, "verify-en")
    page.goto("/")
    expect(page.get_by_role("link", name="Employer", exact=True)).to_be_visible()
    pages.look(page, "start-en")


def _register_company(page: Page) -> None:
    page.get_by_role("button", name="Fortsätt som arbetsgivare").click()
    page.get_by_role("link", name="Registrera ett företag").click()
    page.get_by_label("Organisationsnummer").fill("559999-9991")
    page.get_by_label("Företagets namn").fill("Byggbolaget Demo AB")
    page.get_by_label("Gatuadress").fill("Byggvägen 1")
    page.get_by_label("Postnummer").fill("123 45")
    page.get_by_label("Ort").fill("Stockholm")
    page.get_by_role("button", name="Registrera företaget").click()
    expect(page.get_by_text("Du är administratör.")).to_be_visible()
    pages.look(page, "employer-list-empty")


def _invite_colleague(page: Page) -> None:
    page.get_by_role("link", name="Kollegor").click()
    page.get_by_label("Personnummer").fill(f.CERTIFIER_PNR)
    page.get_by_label("E-post").fill("carl@example.com")
    page.get_by_label("Intygsgivare").check()
    page.get_by_role("button", name="Bjud in").click()
    expect(page.get_by_text("Inbjudan är skapad.")).to_be_visible()
    pages.look(page, "colleagues")


def _fill_in_step(page: Page, values: dict[str, str]) -> None:
    """Type the values whose controls this step shows; the others are the later steps'."""
    pages.fill(
        page,
        {name: v for name, v in values.items() if page.locator(f'[name="{name}"]:visible').count()},
    )


def _go_on(page: Page, step: str) -> None:
    page.get_by_role("button", name="Spara och fortsätt").click()
    expect(page.get_by_text(step)).to_be_visible()
    expect(page.get_by_text(SAVED)).to_be_visible()


def _fill_in_certificate(page: Page) -> None:
    """The guided form, step by step, with a mistake caught in its step and fixed there."""
    page.get_by_role("link", name="Nytt intyg", exact=True).click()
    expect(page.get_by_text("Steg 1", exact=True)).to_be_visible()
    company = page.get_by_role("navigation", name="Arbetsgivare")
    expect(company.get_by_role("link", name="Kollegor")).to_be_visible()
    pages.look(page, "certificate-step-om-intyget")
    page.get_by_label("Fullständigt intyg med arbetad tid och lön per månad").check()
    page.get_by_label("Anställningsform").select_option("Tillsvidare")
    page.get_by_label("Nej, anställningen har upphört").check()
    page.get_by_role("button", name="Fortsätt").click()

    values, counts = cf.from_content(f.content("full"))
    expect(page.get_by_text("Steg 2 av 6")).to_be_visible()
    expect(page.locator('[name="employer.name"]')).to_have_value("Byggbolaget Demo AB")
    _fill_in_step(page, values | {"employee.personnummer": "19121212-1213"})
    pages.look(page, "certificate-step-personer")
    page.get_by_role("button", name="Spara och fortsätt").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Kontrollera personnumret")
    summary.get_by_role("link").first.click()
    personnummer = page.locator('[name="employee.personnummer"]')
    expect(personnummer).to_be_focused()
    expect(personnummer).to_have_attribute("aria-invalid", "true")
    pages.look(page, "certificate-form-error")
    personnummer.fill(values["employee.personnummer"])
    _go_on(page, "Steg 3 av 6")

    expect(company).to_be_visible()
    start = page.get_by_label("Anställningstid: Från och med")
    expect(start).to_have_attribute("type", "text")  # typed as 2019-03-01 in any browser
    _fill_in_step(page, values)
    pages.look(page, "certificate-step-anstallning")
    _go_on(page, "Steg 4 av 6")
    _fill_in_step(page, values)
    pages.look(page, "certificate-step-avslut")
    _go_on(page, "Steg 5 av 6")

    months = page.locator(f'[name="{cf.row_count_name("worked_time.months")}"]')
    expect(months).to_have_value("12")  # the twelve months before the end, ready to fill in
    expect(page.locator('[name="worked_time.months.0.month"]')).to_have_value("7")
    supplements = page.locator(f'[name="{cf.row_count_name("salary.supplements")}"]')
    while int(supplements.input_value()) < counts["salary.supplements"]:
        before = supplements.input_value()
        page.locator('button[name="action"][value="add:salary.supplements"]').click()
        expect(supplements).not_to_have_value(before)
    _fill_in_step(page, values)
    pages.look(page, "certificate-step-tid-och-lon")
    _go_on(page, "Steg 6 av 6")
    _fill_in_step(page, values)
    pages.look(page, "certificate-step-ovrigt")
    page.get_by_role("button", name="Spara och granska").click()
    expect(page.get_by_role("heading", name="Granska och skriv under")).to_be_visible()
    bankid_text = page.get_by_role("region", name="Det här visas i BankID när du skriver under")
    expect(bankid_text.get_by_role("heading", name="Arbetsgivarintyg")).to_be_visible()
    expect(bankid_text).not_to_contain_text("# ")
    pages.look(page, "certificate-review")


def test_register_invite_fill_in_sign_and_send(page: Page, bankid: LiveBankID) -> None:
    pages.log_in(page, bankid, f.ADMIN_PNR)
    pages.choose_role(page)
    pages.look(page, "role-choice")
    _register_company(page)
    _invite_colleague(page)
    page.get_by_role("link", name="Företagets uppgifter").click()
    pages.look(page, "settings")

    _fill_in_certificate(page)
    page.get_by_role("button", name="Skriv under och skicka med BankID").click()
    expect(page.get_by_role("heading", name="Skriv under med BankID")).to_be_visible()
    pages.approve_in_bankid(page, bankid, f.ADMIN_PNR)
    signed = page.get_by_role("region", name="Underskrivna dokument")
    # Sealing the XML and the PDF/A takes seconds on a busy machine.
    expect(signed.get_by_role("link", name="PDF")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("definition").filter(has_text="Skickat")).to_be_visible()
    pages.look(page, "certificate-sent")
    # The form's order, not the alphabet's, and the Swedish forms of the numbers.
    assert pages.terms(page, "A. Arbetstagare")[:3] == ["Förnamn", "Efternamn", "Personnummer"]
    assert pages.terms(page, "B. Arbetsgivare")[:5] == [
        "Namn",
        "Organisationsnummer",
        "Gatuadress",
        "Postnummer",
        "Ort",
    ]
    expect(pages.summary_value(page, "Organisationsnummer")).to_have_text("559999-9991")
    expect(pages.summary_value(page, "Belopp (kr)")).to_have_text("34\xa0500,00")

    page.get_by_role("link", name="Importer").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pages.look(page, "imports")

    page.get_by_role("link", name="Intyg", exact=True).click()
    page.get_by_role("link", name="Skickade (1)").click()
    expect(page.get_by_role("cell", name="Tolvansson", exact=False)).to_be_visible()
    pages.look(page, "employer-list")


def test_the_accessibility_check_fails_on_a_serious_violation(page: Page) -> None:
    """Guards the guard: a page with an unlabelled input and an image without text fails."""
    page.set_content('<html lang="sv"><title>t</title><main><input><img src="x.png"></main>')
    found = {v["id"] for v in pages.axe_violations(page)}
    assert {"label", "image-alt"} <= found
