"""Logging in with BankID through HTTP, against the BankID test server on a loopback port."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import SECRET_NAMES, ConfigurationError, resolve
from app.eid import service as eid_service
from app.eid.models import EidOrder
from app.people import service as people
from signing.bankid.messages import user_message
from signing.bankid.testserver import USER_CANCEL
from signing.bankid.testserver.people import name_for
from tests import factories as f
from tests import web
from tests.conftest import AppFactory, LiveBankID
from tests.security.test_production_config import BANKID, strong_settings


def test_login_creates_the_person_and_rotates_the_session(
    client: FlaskClient, bankid: LiveBankID, session: Session
) -> None:
    assert people.find_person(session, f.OUTSIDER_PNR) is None
    page, token = web.start_login(client)
    html = client.get(page).get_data(as_text=True)
    assert "<svg" in html, "the animated QR code is drawn"
    assert (client.get(f"{page}/status").json or {})["status"] == "pending"
    before = client.get_cookie("session")
    assert before is not None
    assert bankid.approve(token, f.OUTSIDER_PNR)["status"] == "complete"
    finished = web.post(client, f"{page}/klar", form_page=page)
    assert finished.status_code == 302
    assert finished.headers["Location"] == "/start"
    after = client.get_cookie("session")
    assert after is not None
    assert after.value != before.value
    assert "HttpOnly" in finished.headers["Set-Cookie"]
    assert "SameSite=Lax" in finished.headers["Set-Cookie"]
    person = people.find_person(session, f.OUTSIDER_PNR)
    assert person is not None
    assert "Välkommen, " + person.first_name in client.get("/start").get_data(as_text=True)


def test_an_existing_person_is_found_not_duplicated_and_named_by_their_eid(
    client: FlaskClient, bankid: LiveBankID, session: Session
) -> None:
    """An employer typed "Anna Admin"; her own BankID says otherwise, and that is her name."""
    known = f.person(session, f.ADMIN_PNR, "Anna", "Admin")
    web.log_in(client, bankid, f.ADMIN_PNR)
    given, surname = name_for(f.ADMIN_PNR)
    assert (given, surname) != ("Anna", "Admin")
    page = client.get("/start").get_data(as_text=True)
    assert f"Välkommen, {given}" in page
    assert f"{given} {surname}" in page, "the header names the person as their eID does"
    assert "Anna Admin" not in page
    assert people.find_person(session, f.ADMIN_PNR) is known
    session.refresh(known)
    assert (known.first_name, known.last_name) == (given, surname)


def test_pages_behind_login_send_you_to_log_in(client: FlaskClient) -> None:
    response = client.get("/start")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_logout_ends_the_session(client: FlaskClient, bankid: LiveBankID) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    assert web.post(client, "/logga-ut", form_page="/start").status_code == 302
    assert client.get("/start").status_code == 302


def test_a_completed_order_is_used_once(client: FlaskClient, bankid: LiveBankID) -> None:
    page, token = web.start_login(client)
    bankid.approve(token, f.ADMIN_PNR)
    captured = client.get_cookie("session")
    assert captured is not None
    form_token = web.csrf(client, page)
    assert client.post(f"{page}/klar", data={"csrf_token": form_token}).status_code == 302
    client.set_cookie("session", captured.value)  # an attacker replaying the old request
    replay = client.post(f"{page}/klar", data={"csrf_token": form_token})
    assert replay.status_code == 409


def test_nobody_else_can_follow_or_finish_my_order(
    app: Flask, client: FlaskClient, bankid: LiveBankID
) -> None:
    page, token = web.start_login(client)
    bankid.approve(token, f.ADMIN_PNR)
    other = app.test_client()
    assert other.get(f"{page}/status").status_code == 404
    assert other.get(page).status_code == 404
    stolen = web.post(other, f"{page}/klar", form_page="/logga-in")
    assert stolen.status_code == 404


def test_finishing_before_completion_is_refused(client: FlaskClient) -> None:
    page, _token = web.start_login(client)
    response = web.post(client, f"{page}/klar", form_page=page)
    assert response.status_code == 400


def test_the_user_cancelling_in_the_app_is_shown(client: FlaskClient, bankid: LiveBankID) -> None:
    page, token = web.start_login(client)
    bankid.approve(token, USER_CANCEL)
    state = client.get(f"{page}/status").json
    assert state is not None
    assert state["status"] == "failed"
    assert state["hint_code"] == "userCancel"
    assert state["message"] == user_message("failed", "userCancel", qr_shown=True)


def test_cancelling_on_our_page_cancels_the_order(client: FlaskClient, session: Session) -> None:
    page, _token = web.start_login(client)
    assert web.post(client, f"{page}/avbryt", form_page=page).status_code == 302
    order = session.scalars(select(EidOrder)).one()
    assert (order.status, order.hint_code) == ("failed", "cancelled")


def test_forms_need_their_csrf_token(client: FlaskClient) -> None:
    assert client.post("/logga-in", data={}).status_code == 400


@pytest.fixture
def unreachable_bankid(make_app: AppFactory) -> Flask:
    return make_app(BANKID_URL="http://127.0.0.1:9/rp/v6.0/")


def test_bankid_down_gives_a_clear_message_and_no_order(
    unreachable_bankid: Flask, session: Session
) -> None:
    client = unreachable_bankid.test_client()
    response = web.post(client, "/logga-in", form_page="/logga-in")
    assert response.status_code == 503
    assert "Försök igen" in response.get_data(as_text=True)
    assert session.scalars(select(EidOrder)).all() == []


@pytest.fixture
def untrusting_app(make_app: AppFactory) -> Flask:
    return make_app(BANKID_ROOTS=None)


def test_a_signature_that_does_not_chain_to_a_trusted_root_logs_nobody_in(
    untrusting_app: Flask, bankid: LiveBankID
) -> None:
    client = untrusting_app.test_client()
    page, token = web.start_login(client)
    bankid.approve(token, f.ADMIN_PNR)
    state = client.get(f"{page}/status").json
    assert state is not None
    assert (state["status"], state["hint_code"]) == ("failed", "verificationFailed")
    assert web.post(client, f"{page}/klar", form_page="/logga-in").status_code == 400


def test_production_cookies_are_secure_and_need_real_bankid(tmp_path: Path) -> None:
    settings = strong_settings(tmp_path)
    bankid = {name: settings.pop(name) for name in BANKID}
    secrets = {name: settings.pop(name) for name in SECRET_NAMES} | settings
    with pytest.raises(ConfigurationError, match="BANKID_URL"):
        resolve(tmp_path, {"INTYGA_ENV": "production", **secrets})
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        resolve(tmp_path, {"INTYGA_ENV": "production", **bankid})
    config = resolve(tmp_path, {"INTYGA_ENV": "production", **secrets, **bankid})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["BANKID_TEST_SERVER"] is False
    assert resolve(tmp_path, {})["SESSION_COOKIE_SECURE"] is False


def test_old_orders_are_purged(client: FlaskClient, session: Session) -> None:
    web.start_login(client)
    order = session.scalars(select(EidOrder)).one()
    assert eid_service.purge(session, now=order.started_at + timedelta(hours=23)) == 0
    assert eid_service.purge(session, now=order.started_at + timedelta(days=1, seconds=1)) == 1
    assert session.scalars(select(EidOrder)).all() == []
