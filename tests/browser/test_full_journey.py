"""The whole journey in Chromium, each person in a browser of their own: the employer signs and
sends; the worker e-mails the employee through a real SMTP server, and the employee follows the
link, logs in with BankID and asks for a completion; the employer, following the worker's e-mail
in turn, revises and re-signs; the employee approves version 2 to their a-kassa with BankID; and
an a-kassa officer, set up with `flask akassa-staff add`, reads it with both signatures verified
and a preliminary assessment. Every new main page is checked with axe-core and photographed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from email.message import EmailMessage

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session, sessionmaker

from app.certificates import service as certificates
from app.worker.worker import Worker
from schemas import examples
from tests import factories as f
from tests.browser import pages
from tests.conftest import LiveBankID
from tests.notifications.conftest import LocalSmtp

pytestmark = pytest.mark.committing

OFFICER_PNR = "197001019806"
EMPLOYEE_MAIL = "tolvan.tolvansson@example.test"  # as tests.factories.person makes it
COMPANY_MAIL = "hr@example.test"
MESSAGE = "Min befattning var snickare och arbetsledare, inte bara snickare."
POSITION_AFTER = "Snickare och arbetsledare"

Mail = Callable[[str, str], str]


@pytest.fixture
def draft(committing: sessionmaker[Session], live: str) -> uuid.UUID:
    """A complete draft of the company's certificate for an a-kassa member, committed for the
    live app."""
    with committing() as session:
        w = f.world(session)
        cert = certificates.create_draft(
            session,
            company=w.company,
            variant="full",
            content=examples.shifted(f.content("full"), 12),
            actor=w.by_certifier,
        )
        session.commit()
        return cert.id


@pytest.fixture
def browsers(browser: Browser, live: str) -> Iterator[Callable[[], Page]]:
    """Opens one fresh browser profile per person."""
    opened: list[Page] = []

    def open_one() -> Page:
        opened.append(pages.new_page(browser, live))
        return opened[-1]

    yield open_one
    for page in opened:
        page.context.close()


@pytest.fixture
def mail(committing: sessionmaker[Session], live: str) -> Iterator[Mail]:
    """Runs one pass of the worker against a real SMTP server, and returns the link in the
    newest e-mail to an address with a subject."""
    smtp = LocalSmtp()
    smtp.start()
    worker = Worker(sessions=committing, senders={"email": smtp.mailer()}, public_url=live)

    def link_in_mail(to: str, subject: str) -> str:
        worker.run_pass()
        found = [m for m in smtp.messages if m["To"] == to and m["Subject"] == subject]
        assert found, f"no e-mail to {to} saying {subject!r}: {smtp.recipients()}"
        message = found[-1]
        assert isinstance(message, EmailMessage)
        link = re.search(rf"{re.escape(live)}/\S+", message.get_content())
        assert link, message.get_content()
        return link.group(0)

    yield link_in_mail
    smtp.stop()


def _sign(page: Page, bankid: LiveBankID, personal_number: str) -> None:
    page.get_by_role("button", name="Skriv under och skicka med BankID").click()
    expect(page.get_by_role("heading", name="Skriv under med BankID")).to_be_visible()
    pages.approve_in_bankid(page, bankid, personal_number)
    # Sealing the XML and the PDF/A takes seconds on a busy machine.
    expect(pages.summary_value(page, "Läge")).to_have_text("Skickat", timeout=30_000)


def _employer_signs_and_sends(page: Page, bankid: LiveBankID) -> None:
    pages.log_in(page, bankid, f.CERTIFIER_PNR)
    pages.choose_role(page)
    page.get_by_role("button", name="Fortsätt som arbetsgivare").click()
    page.get_by_role("link", name="Utkast (1)").click()
    page.get_by_role("link", name="Tolvan Tolvansson").click()
    page.get_by_role("link", name="Granska och skriv under").click()
    _sign(page, bankid, f.CERTIFIER_PNR)


def _employee_asks_for_completion(page: Page, bankid: LiveBankID, link: str) -> None:
    page.goto(link)
    pages.log_in_here(page, bankid, f.EMPLOYEE_PNR)
    expect(page.get_by_role("heading", name="Mina arbetsgivarintyg")).to_be_visible()
    expect(page.get_by_text("Du är inloggad som arbetstagare")).to_be_visible()
    pages.look(page, "employee-inbox")

    page.get_by_role("region", name="Nya arbetsgivarintyg").get_by_role(
        "link", name="Testbolaget AB"
    ).click()
    signatures = page.get_by_role("region", name="Underskrifter")
    expect(signatures).to_contain_text("underskriften är kontrollerad")
    pages.look(page, "employee-certificate")

    page.get_by_label("Vad behöver arbetsgivaren rätta eller lägga till?").fill(MESSAGE)
    page.get_by_role("button", name="Skicka begäran om komplettering").click()
    expect(page.get_by_text("Din begäran om komplettering är skickad")).to_be_visible()
    expect(pages.summary_value(page, "Läge")).to_have_text("Väntar på komplettering")


def _employer_revises_and_re_signs(page: Page, bankid: LiveBankID, link: str) -> None:
    page.goto(link)
    request = page.get_by_role("region", name="Arbetstagaren ber om komplettering")
    expect(request).to_contain_text(MESSAGE)
    request.get_by_role("button", name="Revidera").click()
    page.get_by_role("link", name="Ändra Anställningen").click()
    page.get_by_label("Befattning", exact=True).fill(POSITION_AFTER)
    page.get_by_role("button", name="Spara och granska").click()
    changes = page.get_by_role("region", name="Ändringar sedan version 1")
    expect(changes.get_by_role("listitem").filter(has_text="Befattning")).to_contain_text(
        POSITION_AFTER
    )
    _sign(page, bankid, f.CERTIFIER_PNR)
    expect(pages.summary_value(page, "Version")).to_have_text("2")


def _employee_approves(page: Page, bankid: LiveBankID) -> None:
    pages.log_in(page, bankid, f.EMPLOYEE_PNR)
    pages.choose_role(page)
    page.get_by_role("button", name="Fortsätt som arbetstagare").click()
    waiting = page.get_by_role("region", name="Nya arbetsgivarintyg")
    expect(waiting.get_by_role("row", name="Testbolaget AB")).to_contain_text("version 2")
    waiting.get_by_role("link", name="Testbolaget AB").click()

    changes = page.get_by_role("region", name="Ändringar sedan version 1")
    expect(changes.get_by_role("listitem").filter(has_text="Befattning")).to_contain_text(
        POSITION_AFTER
    )
    expect(page.get_by_label("A-kassa som ska få intyget")).to_have_value("unionens")
    page.get_by_label("Jag har läst intyget och vill skicka det till a-kassan").check()
    page.get_by_role("button", name="Godkänn med BankID").click()
    expect(page.get_by_role("heading", name="Skriv under med BankID")).to_be_visible()
    pages.approve_in_bankid(page, bankid, f.EMPLOYEE_PNR)
    expect(page.get_by_text("Intyget är godkänt och skickat till Unionens a-kassa.")).to_be_visible(
        timeout=30_000
    )
    expect(pages.summary_value(page, "Läge")).to_have_text("Godkänt")
    for link, name in (
        ("Min profil", "employee-profile"),
        ("Begär intyg", "employee-request"),
        ("Preliminär bedömning", "employee-assessment"),
    ):
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        pages.look(page, name)


def _officer_reads(page: Page, bankid: LiveBankID) -> None:
    pages.log_in(page, bankid, OFFICER_PNR)
    pages.choose_role(page)
    pages.look(page, "role-choice-akassa")
    page.get_by_role("button", name="Fortsätt som a-kassa").click()
    expect(
        page.get_by_role("heading", name="Arbetsgivarintyg till Unionens a-kassa")
    ).to_be_visible()
    pages.look(page, "akassa-list")

    page.get_by_role("link", name="Tolvan Tolvansson").click()
    signatures = page.get_by_role("region", name="Underskrifter")
    expect(signatures.get_by_role("status")).to_have_text(
        "Giltigt: intyget är oförändrat och underskrifterna stämmer."
    )
    for role in ("Arbetsgivaren", "Arbetstagaren"):
        expect(signatures.get_by_role("row", name=role)).to_contain_text("Giltig")
    expect(pages.summary_value(page, "Version")).to_have_text("2")
    assessment = page.get_by_role("region", name="Preliminär bedömning")
    expect(pages.summary_value(assessment, "Arbetslös från")).to_have_text("2026-07-01")
    expect(pages.summary_value(assessment, "Inkomstvillkoret")).to_have_text("Uppfyllt")
    pages.look(page, "akassa-certificate")


def test_employer_employee_and_akassa_from_draft_to_verified_certificate(
    app: Flask,
    bankid: LiveBankID,
    browsers: Callable[[], Page],
    mail: Mail,
    draft: uuid.UUID,
) -> None:
    officer = ["--first-name", "Olle", "--last-name", "Handläggare"]
    added = app.test_cli_runner().invoke(
        args=["akassa-staff", "add", OFFICER_PNR, "unionens", *officer]
    )
    assert added.exit_code == 0, added.output

    employer = browsers()
    _employer_signs_and_sends(employer, bankid)
    delivered = mail(EMPLOYEE_MAIL, "Du har fått ett arbetsgivarintyg")
    assert delivered.endswith("/arbetstagare")
    _employee_asks_for_completion(browsers(), bankid, delivered)
    asked = mail(COMPANY_MAIL, "Begäran om komplettering av ett arbetsgivarintyg")
    assert asked.endswith(f"/arbetsgivare/intyg/{draft}")
    _employer_revises_and_re_signs(employer, bankid, asked)
    _employee_approves(browsers(), bankid)
    _officer_reads(browsers(), bankid)
