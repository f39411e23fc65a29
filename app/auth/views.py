from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from app.auth import log_in, login_required
from app.eid import views as eid_views
from app.eid.models import EidOrder
from app.employer import context as employer_context
from app.extensions import db
from app.people.models import Person
from app.web.views import safe_next

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.get("/logga-in")
def login() -> str:
    return render_template("auth/login.html", next=safe_next(request.args.get("next")))


@bp.post("/logga-in")
def start_login() -> Response:
    return eid_views.start_order(
        purpose="login",
        visible_text="Logga in på Intyga",
        subject={
            "flow": "login",
            "next": safe_next(request.form.get("next"), url_for("auth.start")),
        },
    )


@bp.post("/logga-ut")
@login_required
def logout() -> Response:
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    return redirect(url_for("web.index"))


@bp.get("/start")
@login_required
def start() -> str:
    return render_template(
        "auth/start.html", person=current_user.person, companies=employer_context.memberships()
    )


def finish_login(order: EidOrder) -> Response:
    person = db.session.get(Person, order.person_id)
    if person is None:
        return redirect(url_for("auth.login"))
    log_in(person)
    db.commit()
    return redirect(order.subject["next"])


eid_views.register_finisher("login", finish_login)
