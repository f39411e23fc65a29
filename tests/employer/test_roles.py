"""Choosing employer or employee after login, and seeing the choice on every page."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.companies.models import Company
from app.people import service as people
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID


def test_the_role_is_chosen_shown_everywhere_and_remembered(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    start = client.get("/start").get_data(as_text=True)
    assert "Fortsätt som arbetsgivare" in start
    assert "Fortsätt som arbetstagare" in start
    assert "Du har inte valt roll än." in start
    chosen = web.post(client, "/roll", form_page="/start", role="employer")
    assert chosen.status_code == 302
    assert chosen.headers["Location"] == "/arbetsgivare/"
    for page in ("/arbetsgivare/", "/start", "/verifiera", "/"):
        html = client.get(page).get_data(as_text=True)
        assert "Du är inloggad som arbetsgivare" in html, page
        assert "Byt till arbetstagare" in html, page
    person = people.find_person(session, f.CERTIFIER_PNR)
    assert person is not None
    session.refresh(person)
    assert person.portal_role == "employer"

    switched = web.post(client, "/roll", form_page="/start", role="employee")
    assert switched.headers["Location"] == "/arbetstagare"
    assert "Du är inloggad som arbetstagare" in client.get("/start").get_data(as_text=True)

    web.post(client, "/logga-ut", form_page="/start")
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    html = client.get("/start").get_data(as_text=True)
    assert "Du är inloggad som arbetstagare" in html, "the last choice is remembered"
    assert "Förra gången kom du som arbetstagare." in html


def test_an_unknown_role_changes_nothing(client: FlaskClient, bankid: LiveBankID) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    response = web.post(client, "/roll", form_page="/start", role="akassa")
    assert response.headers["Location"] == "/start"
    assert "Du har inte valt roll än." in client.get("/start").get_data(as_text=True)


def test_employer_pages_put_you_on_the_employer_side(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    web.post(client, "/roll", form_page="/start", role="employee")
    html = client.get("/arbetsgivare/").get_data(as_text=True)
    assert "Du är inloggad som arbetsgivare" in html


def test_an_employee_without_a_company_is_pointed_to_the_employee_side(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    html = client.get("/arbetsgivare/").get_data(as_text=True)
    assert "Du har inget företagskonto" in html
    assert "Det finns under Arbetstagare." in html
    assert 'href="/arbetstagare"' in html


def test_an_empty_company_hints_at_the_employee_side(
    client: FlaskClient, bankid: LiveBankID, other_company: Company
) -> None:
    web.log_in(client, bankid, f.OUTSIDER_PNR)
    html = client.get("/arbetsgivare/").get_data(as_text=True)
    assert "Letar du efter ett intyg som har utfärdats till dig?" in html


def test_anonymous_visitors_see_no_role_banner(client: FlaskClient) -> None:
    assert "Du är inloggad som" not in client.get("/").get_data(as_text=True)
