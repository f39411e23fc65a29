"""The employer's journey in Chromium: log in with BankID, register a company, invite a colleague,
fill in a `full` certificate by hand, fix a validation error, sign it with BankID and find it
among the sent ones. Every main page is checked with axe-core and photographed on the way."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.employer import certificate_form as cf
from tests import factories as f
from tests.browser import pages
from tests.conftest import LiveBankID

ROW_TABLES = ("worked_time.months", "salary.supplements")


def test_anonymous_pages_are_accessible(page: Page) -> None:
    page.goto("/")
    pages.look(page, "start")
    page.goto("/logga-in")
    pages.look(page, "login")
    page.goto("/verifiera")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pages.look(page, "verify")


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


def _fill_in_certificate(page: Page) -> None:
    page.get_by_role("link", name="Nytt intyg").click()
    page.get_by_label("Fullständigt intyg med arbetad tid och lön per månad").check()
    page.get_by_label("Anställningsform").select_option("Tillsvidare")
    page.get_by_label("Nej, anställningen har upphört").check()
    page.get_by_role("button", name="Fortsätt").click()

    values, counts = cf.from_content(f.content("full"))
    for table in ROW_TABLES:
        rows = page.locator(f'[name="{cf.row_count_name(table)}"]')
        while int(rows.input_value()) < counts[table]:
            before = rows.input_value()
            page.locator(f'button[name="action"][value="add:{table}"]').click()
            expect(rows).not_to_have_value(before)
    pages.fill(page, values | {"worked_time.months.2.hours_worked": "många"})
    pages.look(page, "certificate-form")

    page.get_by_role("button", name="Spara utkast").first.click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Ange ett tal, till exempel 37,5.")
    summary.get_by_role("link").first.click()
    hours = page.locator('[name="worked_time.months.2.hours_worked"]')
    expect(hours).to_be_focused()
    expect(hours).to_have_attribute("aria-invalid", "true")
    pages.look(page, "certificate-form-error")
    hours.fill("168")
    page.get_by_role("button", name="Spara utkast").first.click()
    expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()


def test_register_invite_fill_in_sign_and_send(page: Page, bankid: LiveBankID) -> None:
    pages.log_in(page, bankid, f.ADMIN_PNR)
    pages.choose_role(page)
    pages.look(page, "role-choice")
    _register_company(page)
    _invite_colleague(page)
    page.get_by_role("link", name="Företagets uppgifter").click()
    pages.look(page, "settings")

    _fill_in_certificate(page)
    pages.look(page, "certificate-draft")
    page.get_by_role("button", name="Skriv under och skicka med BankID").click()
    expect(page.get_by_role("heading", name="Skriv under med BankID")).to_be_visible()
    pages.approve_in_bankid(page, bankid, f.ADMIN_PNR)
    signed = page.get_by_role("region", name="Underskrivna dokument")
    expect(signed.get_by_role("link", name="PDF")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Skickat")).to_be_visible()
    pages.look(page, "certificate-sent")

    page.get_by_role("link", name="Intyg", exact=True).click()
    page.get_by_role("link", name="Skickade (1)").click()
    expect(page.get_by_role("cell", name="Tolvansson", exact=False)).to_be_visible()
    pages.look(page, "employer-list")


def test_the_accessibility_check_fails_on_a_serious_violation(page: Page) -> None:
    """Guards the guard: a page with an unlabelled input and an image without text fails."""
    page.set_content('<html lang="sv"><title>t</title><main><input><img src="x.png"></main>')
    found = {v["id"] for v in pages.axe_violations(page)}
    assert {"label", "image-alt"} <= found
