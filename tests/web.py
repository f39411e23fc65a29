"""Helpers for HTTP tests: CSRF tokens from pages, and logging in through BankID."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import LiveBankID

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
AUTOSTART = re.compile(r"autostarttoken=([0-9a-f-]+)")


def csrf(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on `path`, as a browser would submit it."""
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no form with a CSRF token on {path}"
    return match.group(1)


def post(client: FlaskClient, path: str, *, form_page: str, **data: str) -> TestResponse:
    return client.post(path, data={"csrf_token": csrf(client, form_page), **data})


def start_login(client: FlaskClient, next_path: str = "") -> tuple[str, str]:
    """Start a BankID login; returns (order page path, autostart token)."""
    started = post(client, "/logga-in", form_page="/logga-in", next=next_path)
    assert started.status_code == 302, started.get_data(as_text=True)
    page = started.headers["Location"]
    token = AUTOSTART.search(client.get(page).get_data(as_text=True))
    assert token, "the order page has an autostart link"
    return page, token.group(1)


def log_in(client: FlaskClient, bankid: LiveBankID, personal_number: str) -> TestResponse:
    """The whole login: start, approve in the test app, poll, continue."""
    page, token = start_login(client)
    assert bankid.approve(token, personal_number)["status"] == "complete"
    assert client.get(f"{page}/status").json == {
        "status": "complete",
        "message": "",
        "hint_code": None,
        "qr": None,
    }
    return post(client, f"{page}/klar", form_page=page)


def complete_order(
    client: FlaskClient, bankid: LiveBankID, page: str, personal_number: str
) -> TestResponse:
    """Approve an order already started on `page` in the test app, then continue."""
    token = AUTOSTART.search(client.get(page).get_data(as_text=True))
    assert token, "the order page has an autostart link"
    answer = bankid.approve(token.group(1), personal_number)
    assert answer.get("status") == "complete", answer
    return post(client, f"{page}/klar", form_page=page)


def assert_field_error(html: str, field: str, message: str) -> None:
    """The message stands next to its field and the error summary links to the field."""
    assert f'<p class="field-error" id="{field}-error">{message}' in html
    assert f'href="#{field}"' in html


def sign_as_employer(
    client: FlaskClient, bankid: LiveBankID, certificate_id: object, personal_number: str
) -> TestResponse:
    """Sign and send a draft from its page, as the logged-in certifier does, with BankID."""
    page = f"/arbetsgivare/intyg/{certificate_id}"
    started = post(client, f"{page}/skriv-under", form_page=page)
    assert started.status_code == 302, started.get_data(as_text=True)
    finished = complete_order(client, bankid, started.headers["Location"], personal_number)
    assert finished.status_code == 302
    return finished
