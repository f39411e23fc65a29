"""A completion round in Chromium: the employee has asked for a completion with a message; the
employer reads it on the certificate, revises, changes one field, sees exactly what changed,
signs version 2 with BankID and finds it among the sent ones again. The page with the message
and the page with the changes are checked with axe-core and photographed."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from app.certificates import service as certificates
from app.certificates.models import State
from tests import factories as f
from tests.browser import pages
from tests.conftest import LiveBankID

pytestmark = pytest.mark.committing

MESSAGE = "Min befattning var snickare och arbetsledare, inte bara snickare."
POSITION_BEFORE = "Snickare"
POSITION_AFTER = "Snickare och arbetsledare"

# The first save creates the draft, each later step updates it.
SAVED = re.compile(r"Utkastet är (sparat|uppdaterat)\.")


@pytest.fixture
def asked_to_complete(committing: sessionmaker[Session], live: str) -> uuid.UUID:
    """A sent certificate the employee has asked to have completed, committed for the live app."""
    with committing() as session:
        w = f.world(session)
        cert = f.certificate_in(session, w, State.SENT)
        certificates.request_completion(
            session, cert, employee=w.employee, message=MESSAGE, now=f.NOW + timedelta(days=1)
        )
        session.commit()
        return cert.id


def test_the_employer_answers_with_a_revised_re_signed_version(
    page: Page, bankid: LiveBankID, asked_to_complete: uuid.UUID
) -> None:
    pages.log_in(page, bankid, f.CERTIFIER_PNR)
    pages.choose_role(page)
    page.get_by_role("button", name="Fortsätt som arbetsgivare").click()
    page.get_by_role("link", name="Väntar på komplettering (1)").click()
    page.get_by_role("link", name="Tolvan Tolvansson").click()

    request = page.get_by_role("region", name="Arbetstagaren ber om komplettering")
    expect(request).to_contain_text(MESSAGE)
    pages.look(page, "certificate-completion-requested")

    request.get_by_role("button", name="Revidera").click()
    expect(page.get_by_text("En ny version har skapats som utkast.")).to_be_visible()
    expect(page.get_by_role("heading", name="Granska och skriv under")).to_be_visible()
    page.get_by_role("link", name="Ändra Anställningen").click()
    position = page.get_by_label("Befattning", exact=True)
    expect(position).to_have_value(POSITION_BEFORE)
    position.fill(POSITION_AFTER)
    page.get_by_role("button", name="Spara och granska").click()
    expect(page.get_by_text(SAVED)).to_be_visible()

    changes = page.get_by_role("region", name="Ändringar sedan version 1")
    expect(changes.get_by_role("listitem")).to_have_text(
        [f"Befattning ändrad från {POSITION_BEFORE} till {POSITION_AFTER}"]
    )
    pages.look(page, "certificate-revision-diff")

    page.get_by_role("button", name="Skriv under och skicka med BankID").click()
    expect(page.get_by_role("heading", name="Skriv under med BankID")).to_be_visible()
    pages.approve_in_bankid(page, bankid, f.CERTIFIER_PNR)
    signed = page.get_by_role("region", name="Underskrivna dokument")
    # Sealing the XML and the PDF/A takes seconds on a busy machine.
    expect(signed.get_by_role("listitem").filter(has_text="Version 2")).to_be_visible(
        timeout=30_000
    )
    expect(pages.summary_value(page, "Läge")).to_have_text("Skickat")

    page.get_by_role("link", name="Tillbaka till intygen").click()
    page.get_by_role("link", name="Skickade (1)").click()
    page.get_by_role("link", name="Tolvan Tolvansson").click()
    expect(pages.summary_value(page, "Version")).to_have_text("2")
    expect(pages.summary_value(page, "Läge")).to_have_text("Skickat")
    expect(page.get_by_role("region", name="Meddelanden")).to_contain_text(MESSAGE)
