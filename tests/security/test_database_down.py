"""When the database goes away under a logged-in person, they get our own page (503, in Swedish,
with the way back), and the API a problem+json; never Werkzeug's bare error page."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app import create_app
from app.apikeys import service as apikeys
from app.audit.service import Actor
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID, app_config

# Nothing listens on port 1: every connection is refused, as when the database server is down.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/intyga?connect_timeout=2"


def database_gone(bankid: LiveBankID) -> Flask:
    """The same site (same secret key, so the same cookies), its database unreachable."""
    return create_app(app_config(UNREACHABLE, bankid))


def assert_our_page(response: object, *, logged_in_header: bool = False) -> None:
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 503, html  # type: ignore[attr-defined]
    assert response.headers["Retry-After"] == "30"  # type: ignore[attr-defined]
    assert response.mimetype == "text/html"  # type: ignore[attr-defined]
    assert '<a class="brand" href="/">Intyga</a>' in html
    assert "Intyga kan inte nå sin databas just nu" in html
    assert "Internal Server Error" not in html
    assert "Werkzeug" not in html
    assert response.headers["Cache-Control"] == "no-store"  # type: ignore[attr-defined]


def test_a_logged_in_person_gets_our_page(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    cookie = client.get_cookie("session")
    assert cookie is not None
    browser = database_gone(bankid).test_client()
    browser.set_cookie("session", cookie.value)
    for path in ("/arbetstagare", "/start", "/arbetsgivare/"):
        assert_our_page(browser.get(path))


def test_an_anonymous_visitor_gets_our_page(bankid: LiveBankID) -> None:
    browser = database_gone(bankid).test_client()
    page = browser.get("/sprak/en?next=/logga-in")
    assert page.status_code == 302
    response = web.post(browser, "/logga-in", form_page="/logga-in")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "cannot reach its database" in html


def test_the_api_answers_problem_json(session: Session, bankid: LiveBankID, w: f.World) -> None:
    key = apikeys.create(session, company=w.company, name="Lön", actor=Actor(label="test"))
    api = database_gone(bankid).test_client()
    response = api.get("/api/v1/certificates", headers={"Authorization": f"Bearer {key.plaintext}"})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.json is not None
    assert response.json["code"] == "database_unavailable"
    assert response.headers["Retry-After"] == "30"
