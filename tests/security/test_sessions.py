"""Logins the server can end: logging out ends the login in every copy of the cookie, "Logga ut
överallt" ends all of a person's logins, and logins end after the idle and absolute limits. The
same behaviour holds with the records in the database and in Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from app.database import utcnow
from app.logins import store as logins
from app.logins.models import LoginSession
from app.logins.store import DatabaseLogins, Limits, LoginStore, RedisLogins
from app.people.models import Person
from tests import factories as f
from tests import web
from tests.akassa import support as akassa_support
from tests.conftest import AppFactory, LiveBankID

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
LIMITS = Limits(idle=timedelta(minutes=30), absolute=timedelta(hours=12))


def logged_in(app: Flask, bankid: LiveBankID, personal_number: str) -> FlaskClient:
    client = app.test_client()
    web.log_in(client, bankid, personal_number)
    assert client.get("/start").status_code == 200
    return client


def is_logged_in(client: FlaskClient) -> bool:
    response = client.get("/start")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/logga-in")
        return False
    assert response.status_code == 200
    return True


def cookie(client: FlaskClient) -> str:
    found = client.get_cookie("session")
    assert found is not None
    return found.value


def test_a_cookie_copied_before_logout_no_longer_works(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    copied = cookie(client)
    assert web.post(client, "/logga-ut", form_page="/start").status_code == 302
    assert not is_logged_in(client)

    client.set_cookie("session", copied)  # the attacker's copy
    assert not is_logged_in(client)
    assert client.get("/arbetstagare").status_code == 302


def test_logging_out_everywhere_ends_every_browser(
    app: Flask, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    phone = logged_in(app, bankid, f.EMPLOYEE_PNR)
    laptop = logged_in(app, bankid, f.EMPLOYEE_PNR)
    colleague = logged_in(app, bankid, f.ADMIN_PNR)
    page = laptop.get("/konto/inloggningar").get_data(as_text=True)
    assert page.count("<tr><td>") == 2, "the person's own two logins, not the colleague's"

    profile = phone.get("/arbetstagare/profil").get_data(as_text=True)
    assert 'action="/konto/logga-ut-overallt"' in profile
    ended = web.post(phone, "/konto/logga-ut-overallt", form_page="/arbetstagare/profil")
    assert ended.status_code == 302
    assert "utloggad i alla webbläsare (2 inloggningar)" in phone.get("/").get_data(as_text=True)

    assert not is_logged_in(phone)
    assert not is_logged_in(laptop)
    assert is_logged_in(colleague), "only the person's own logins end"
    employee_id = session.scalar(select(Person.id).where(Person.id == w.employee.id))
    assert (
        session.scalars(select(LoginSession).where(LoginSession.person_id == employee_id)).all()
        == []
    )


def test_every_role_finds_the_way_to_log_out_everywhere(
    app: Flask, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    akassa_support.staff(session, akassa_support.OFFICER_PNR, "unionens")
    session.flush()
    employer = logged_in(app, bankid, f.ADMIN_PNR)
    assert "/konto/inloggningar" in employer.get("/arbetsgivare/").get_data(as_text=True)
    officer = logged_in(app, bankid, akassa_support.OFFICER_PNR)
    assert "/konto/inloggningar" in officer.get("/akassa/").get_data(as_text=True)
    page = officer.get("/konto/inloggningar").get_data(as_text=True)
    assert "Logga ut överallt" in page
    assert "30 minuter utan aktivitet" in page


def test_a_new_login_in_the_same_browser_ends_the_one_before(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    as_admin = cookie(client)
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    assert cookie(client) != as_admin
    client.set_cookie("session", as_admin)
    assert not is_logged_in(client)
    assert session.scalars(select(LoginSession.person_id)).all() == [w.employee.id]


def _age(session: Session, *, started: timedelta, idle: timedelta) -> None:
    now = utcnow()
    session.execute(update(LoginSession).values(started_at=now - started, last_seen_at=now - idle))
    session.flush()


def test_an_idle_login_ends(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    _age(session, started=timedelta(minutes=40), idle=timedelta(minutes=29))
    assert is_logged_in(client)
    seen = session.scalars(select(LoginSession.last_seen_at)).one()
    assert utcnow() - seen < timedelta(minutes=1), "use keeps the login alive"
    _age(session, started=timedelta(minutes=40), idle=timedelta(minutes=31))
    assert not is_logged_in(client)


def test_a_login_ends_after_the_absolute_limit_even_in_use(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    _age(session, started=timedelta(hours=11, minutes=59), idle=timedelta(0))
    assert is_logged_in(client)
    _age(session, started=timedelta(hours=12, minutes=1), idle=timedelta(0))
    assert not is_logged_in(client)


def test_the_worker_purges_ended_logins(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    web.log_in(app_client := client.application.test_client(), bankid, f.ADMIN_PNR)
    assert is_logged_in(app_client)
    session.execute(
        update(LoginSession)
        .where(LoginSession.person_id == w.employee.id)
        .values(last_seen_at=utcnow() - timedelta(hours=1))
    )
    assert logins.purge(session, LIMITS) == 1
    assert session.scalars(select(LoginSession.person_id)).all() == [w.admin.id]


# --- the same contract on both stores ---------------------------------------------------------


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (set TEST_REDIS_URL)")
    yield client
    client.close()


@pytest.fixture(params=["database", "redis"])
def store(request: pytest.FixtureRequest, session: Session, connection: Connection) -> LoginStore:
    if request.param == "redis":
        client = request.getfixturevalue("redis_client")
        return RedisLogins(LIMITS, client, prefix=f"intyga-test:{uuid.uuid4().hex}:")
    return DatabaseLogins(
        LIMITS,
        lambda: session,
        lambda: Session(bind=connection, join_transaction_mode="create_savepoint"),
    )


def test_the_store_ends_logins(store: LoginStore, session: Session, w: f.World) -> None:
    now = utcnow()
    first = store.start(w.employee.id, now)
    second = store.start(w.employee.id, now)
    other = store.start(w.admin.id, now)
    assert store.check(first, now) == w.employee.id
    assert store.check("made-up", now) is None
    assert len(store.active(w.employee.id, now)) == 2

    store.end(first)
    assert store.check(first, now) is None
    assert store.check(second, now) == w.employee.id
    assert store.end_all(w.employee.id) == 1
    assert store.check(second, now) is None
    assert store.check(other, now) == w.admin.id
    assert store.active(w.employee.id, now) == []


def test_the_store_applies_the_limits(store: LoginStore, w: f.World) -> None:
    start = utcnow()
    token = store.start(w.employee.id, start)
    later = start
    for _ in range(25):  # used every 29 minutes: alive until the absolute limit
        later += timedelta(minutes=29)
        if later - start >= LIMITS.absolute:
            assert store.check(token, later) is None
            break
        assert store.check(token, later) == w.employee.id, later - start
    else:
        pytest.fail("the absolute limit was never reached")
    idle = store.start(w.employee.id, start)
    assert store.check(idle, start + timedelta(minutes=31)) is None


def test_with_redis_a_copied_cookie_is_refused_after_logout(
    make_app: AppFactory, bankid: LiveBankID, redis_client: redis.Redis, w: f.World
) -> None:
    with_redis = make_app(REDIS_URL=REDIS_URL)
    client = logged_in(with_redis, bankid, f.EMPLOYEE_PNR)
    copied = cookie(client)
    assert web.post(client, "/logga-ut", form_page="/start").status_code == 302
    client.set_cookie("session", copied)
    assert not is_logged_in(client)
