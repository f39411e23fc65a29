"""The start page leads somewhere: each audience's card into login for that role, /verifiera
from every page's footer, and /start speaks to the roles the person has."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests import web
from tests.akassa.support import OFFICER_PNR, staff
from tests.conftest import LiveBankID


def _log_in_for(client: FlaskClient, bankid: LiveBankID, role: str, pnr: str) -> str:
    """Follow a card: the login page for `role`, BankID, and where it lands."""
    page = client.get(f"/logga-in?roll={role}").get_data(as_text=True)
    assert f'<input type="hidden" name="role" value="{role}">' in page
    started = web.post(client, "/logga-in", form_page=f"/logga-in?roll={role}", role=role)
    order_page = started.headers["Location"]
    finished = web.complete_order(client, bankid, order_page, pnr)
    assert finished.status_code == 302
    return finished.headers["Location"]


def test_each_card_leads_into_login_for_its_role(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    for role in ("employer", "employee", "akassa"):
        assert f'href="/logga-in?roll={role}"' in page
    assert "<h1>Logga in som arbetsgivare</h1>" in client.get("/logga-in?roll=employer").get_data(
        as_text=True
    )
    assert 'href="/verifiera"' in page


def test_every_page_links_to_verification_from_its_footer(client: FlaskClient) -> None:
    for path in ("/", "/logga-in", "/verifiera"):
        footer = client.get(path).get_data(as_text=True).rpartition('<footer class="site-footer">')
        assert 'href="/verifiera"' in footer[2], path


def test_an_employee_card_lands_on_the_inbox(client: FlaskClient, bankid: LiveBankID) -> None:
    assert _log_in_for(client, bankid, "employee", f.EMPLOYEE_PNR) == "/arbetstagare"
    assert "Du är inloggad som arbetstagare" in client.get("/arbetstagare").get_data(as_text=True)
    # Logged in, a card goes straight to its role.
    switched = client.get("/logga-in?roll=employer")
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/arbetsgivare/"


def test_the_akassa_card_tells_a_non_officer_why_not(
    client: FlaskClient, bankid: LiveBankID
) -> None:
    assert _log_in_for(client, bankid, "akassa", f.OUTSIDER_PNR) == "/start"
    start = client.get("/start").get_data(as_text=True)
    assert "Du är inte handläggare på någon a-kassa i Intyga." in start
    assert "Fortsätt som a-kassa" not in start


def test_start_speaks_to_an_officers_roles(
    client: FlaskClient, bankid: LiveBankID, session: Session
) -> None:
    staff(session, OFFICER_PNR, "unionens")
    session.commit()
    web.log_in(client, bankid, OFFICER_PNR)
    start = client.get("/start").get_data(as_text=True)
    assert "som handläggare på Unionens a-kassa, som arbetsgivare eller som arbetstagare" in start
    assert "arbetsgivare eller arbetstagare</a>" not in start
    web.post(client, "/logga-ut", form_page="/start")
    assert _log_in_for(client, bankid, "akassa", OFFICER_PNR) == "/akassa/"
