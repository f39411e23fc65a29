"""Who is logged in: Flask-Login over revocable login records (app/logins/store.py).

The signed cookie holds a random login token as Flask-Login's user id; each request finds the
person through the token's record, so ending the record ends the login in every copy of the
cookie. A new login gets a new token and an emptied session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

import flask_login
import redis
from flask import Flask, current_app, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from app.database import utcnow
from app.extensions import db
from app.logins.store import DatabaseLogins, LoginStore, RedisLogins, limits_from
from app.people.models import Person

P = ParamSpec("P")
R = TypeVar("R")

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
_TOKEN = "_user_id"  # noqa: S105 - where Flask-Login keeps get_id() in the session


class SessionUser(UserMixin):  # type: ignore[misc]  # Flask-Login ships no type hints
    """The logged-in person, as Flask-Login wants it; the domain never sees this class."""

    def __init__(self, person: Person, token: str) -> None:
        self.person = person
        self.token = token

    def get_id(self) -> str:
        return self.token


def logins() -> LoginStore:
    store: LoginStore = current_app.extensions["intyga.logins"]
    return store


def _load(token: str) -> SessionUser | None:
    person_id = logins().check(token, utcnow())
    if person_id is None:
        return None
    person = db.session.get(Person, person_id)
    return SessionUser(person, token) if person else None


login_manager.user_loader(_load)


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Flask-Login's decorator, typed."""
    wrapped: Callable[P, R] = flask_login.login_required(view)
    return wrapped


def log_in(person: Person) -> None:
    """A fresh session for the new login: nothing from before it survives but the language, and
    a login this browser had before ends."""
    if previous := session.get(_TOKEN):
        logins().end(str(previous))
    _clear_session()
    login_user(SessionUser(person, logins().start(person.id, utcnow())), fresh=True)


def log_out() -> None:
    """End this browser's login; the caller commits."""
    if current_user.is_authenticated:
        logins().end(current_user.token)
    logout_user()
    _clear_session()


def log_out_everywhere() -> int:
    """End every login of the current person, this one included; the caller commits."""
    ended = logins().end_all(current_user.person.id)
    logout_user()
    _clear_session()
    return ended


def _clear_session() -> None:
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _check_login_first() -> None:
    """Check the login before the request's own transaction begins: the check may write the
    last use in a transaction of its own, which on SQLite must not wait for the request's.
    Static files need no login: they cost no lookup."""
    endpoint = request.endpoint or ""
    if _TOKEN in session and endpoint != "static" and not endpoint.endswith(".static"):
        _ = current_user.is_authenticated


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_message = None
    limits = limits_from(app.config)
    store: LoginStore
    if app.config.get("REDIS_URL"):
        store = RedisLogins(limits, redis.Redis.from_url(app.config["REDIS_URL"]))
    else:
        store = DatabaseLogins(limits, lambda: db.session, db.new_session)
    app.extensions["intyga.logins"] = store
    app.before_request(_check_login_first)
