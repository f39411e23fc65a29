"""Who is logged in: Flask-Login over the person record, with sessions rotated at login."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import flask_login
from flask import Flask, session
from flask_login import LoginManager, UserMixin, login_user

from app.extensions import db
from app.people.models import Person

P = ParamSpec("P")
R = TypeVar("R")

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


class SessionUser(UserMixin):  # type: ignore[misc]  # Flask-Login ships no type hints
    """The logged-in person, as Flask-Login wants it; the domain never sees this class."""

    def __init__(self, person: Person) -> None:
        self.person = person

    def get_id(self) -> str:
        return str(self.person.id)


def _load(person_id: str) -> SessionUser | None:
    try:
        person = db.session.get(Person, uuid.UUID(person_id))
    except ValueError:
        return None
    return SessionUser(person) if person else None


login_manager.user_loader(_load)


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Flask-Login's decorator, typed."""
    wrapped: Callable[P, R] = flask_login.login_required(view)
    return wrapped


def log_in(person: Person) -> None:
    """A fresh session for the new login: nothing from before it survives but the language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(SessionUser(person), fresh=True)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_message = None
