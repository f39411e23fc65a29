"""Logging in and out, and the role a person comes as: employer, employee or a-kassa officer.

The role is chosen on the start page's cards (carried through login) or after login, kept in
the session and remembered on the person for next time, and shown with a switch on every page:
logging in as the wrong role and not finding the certificate is the most common support
question of the real service. The a-kassa role is offered only to people an administrator made
staff of a fund (`flask akassa-staff add`).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.akassa import service as akassa_service
from app.auth import log_in, log_out, log_out_everywhere, login_required, logins
from app.companies import service as companies
from app.database import utcnow
from app.eid import views as eid_views
from app.eid.models import EidOrder
from app.employer import context as employer_context
from app.extensions import db
from app.logins.store import limits_from
from app.people.models import Person
from app.web.views import safe_next

bp = Blueprint("auth", __name__, template_folder="templates")

ROLE_KEY = "role"
ROLES = ("employer", "employee", "akassa")
HOMES = {"employer": "/arbetsgivare/", "employee": "/arbetstagare", "akassa": "/akassa/"}


def current_role() -> str | None:
    role = session.get(ROLE_KEY)
    if role == "akassa" and role not in available_roles():
        return None  # no longer staff: the header must not claim otherwise
    return role if role in ROLES else None


def enter_role(role: str) -> None:
    """Say in this session which side the person is on (the pages of that side call this)."""
    session[ROLE_KEY] = role


def roles_of(person: Person) -> tuple[str, ...]:
    """The roles `person` may come as: everyone is employer and employee, staff also a-kassa."""
    if akassa_service.staff_of(db.session, person.id) is None:
        return ROLES[:2]
    return ROLES


def available_roles() -> tuple[str, ...]:
    """The logged-in person's roles, looked up once per request (the header asks on every page)."""
    if "available_roles" not in g:
        g.available_roles = roles_of(current_user.person)
    roles: tuple[str, ...] = g.available_roles
    return roles


@bp.app_context_processor
def _role_in_templates() -> dict[str, Any]:
    return {
        "current_role": current_role,
        "role_homes": HOMES,
        "available_roles": available_roles,
    }


def _asked_role(value: str | None) -> str | None:
    return value if value in ROLES else None


@bp.get("/logga-in")
def login() -> str | Response:
    """`?roll=` comes from a card on the start page: log in for that role, or, already logged
    in, go straight to it."""
    role = _asked_role(request.args.get("roll"))
    if role is not None and current_user.is_authenticated:
        return _go_to(role, current_user.person)
    return render_template(
        "auth/login.html", next=safe_next(request.args.get("next"), default=""), role=role
    )


@bp.post("/logga-in")
def start_login() -> Response:
    role = _asked_role(request.form.get("role"))
    return eid_views.start_order(
        purpose="login",
        visible_text="Logga in på Intyga",
        subject={
            "flow": "login",
            "next": safe_next(request.form.get("next"), url_for("auth.start")),
            "role": role,
            "next_given": bool(request.form.get("next")),
        },
    )


def _go_to(role: str, person: Person) -> Response:
    """Enter `role` when the person has it; otherwise say why and let them choose."""
    if role not in roles_of(person):
        flash(
            _(
                "Du är inte handläggare på någon a-kassa i Intyga. Välj att komma som"
                " arbetsgivare eller arbetstagare, eller be din a-kassa lägga till dig."
            ),
            "error",
        )
        return redirect(url_for("auth.start"))
    enter_role(role)
    person.portal_role = role
    return redirect(HOMES[role])


@bp.post("/logga-ut")
@login_required
def logout() -> Response:
    log_out()
    return redirect(url_for("web.index"))


@bp.get("/konto/inloggningar")
@login_required
def logins_page() -> str:
    """The person's logins in every browser, and the way to end them all (a lost phone, a
    shared computer)."""
    limits = limits_from(current_app.config)
    return render_template(
        "auth/logins.html",
        logins=logins().active(current_user.person.id, utcnow()),
        idle_minutes=round(limits.idle.total_seconds() / 60),
        max_hours=round(limits.absolute.total_seconds() / 3600),
    )


@bp.post("/konto/logga-ut-overallt")
@login_required
def logout_everywhere() -> Response:
    ended = log_out_everywhere()
    flash(_("Du är utloggad i alla webbläsare (%(count)d inloggningar).", count=ended))
    return redirect(url_for("web.index"))


@bp.get("/start")
@login_required
def start() -> str:
    return render_template(
        "auth/start.html",
        person=current_user.person,
        roles=available_roles(),
        companies=employer_context.memberships(),
        remembered=current_user.person.portal_role,
        staff=akassa_service.staff_of(db.session, current_user.person.id),
    )


@bp.post("/roll")
@login_required
def choose_role() -> Response:
    """Come as employer, employee or (staff only) a-kassa; remembered for the next login."""
    role = request.form.get("role", "")
    if role not in available_roles():
        return redirect(url_for("auth.start"))
    enter_role(role)
    current_user.person.portal_role = role
    return redirect(HOMES[role])


def finish_login(order: EidOrder) -> Response:
    person = db.session.get(Person, order.person_id)
    if person is None:
        return redirect(url_for("auth.login"))
    companies.accept_invitations(db.session, person)
    log_in(person)
    # The profile's language, unless the person switched language on the way in.
    session.setdefault("lang", person.language)
    asked = _asked_role(order.subject.get("role"))
    if asked is not None and not order.subject.get("next_given"):
        return _go_to(asked, person)
    if person.portal_role in roles_of(person):
        enter_role(person.portal_role)
    return redirect(safe_next(order.subject.get("next"), url_for("auth.start")))


eid_views.register_finisher("login", finish_login)
