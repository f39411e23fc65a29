"""The company's API keys (admins only): made with a name, the key shown once (only its hash is
kept), revoked, and when each was last used."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.apikeys import service as apikeys
from app.audit.service import Actor
from app.auth import login_required
from app.companies.models import Membership
from app.employer import context
from app.employer.blueprint import bp
from app.extensions import db


class ApiKeyForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        _l("Namn på nyckeln"),
        [
            DataRequired(message=_l("Fältet måste fyllas i.")),
            Length(
                max=apikeys.NAME_MAX_LENGTH,
                message=_l("Högst %(max)d tecken.", max=apikeys.NAME_MAX_LENGTH),
            ),
        ],
        description=_l(
            "Till exempel lönesystemets namn, så att ni vet vilken nyckel som är vilken."
        ),
    )


@bp.route("/foretag/api-nycklar", methods=["GET"])
@login_required
def api_keys_page() -> str:
    return _page(context.current_admin(), ApiKeyForm(formdata=None))


@bp.route("/foretag/api-nycklar", methods=["POST"])
@login_required
def create_api_key() -> tuple[str, int, dict[str, str]] | tuple[str, int]:
    admin = context.current_admin()
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _page(admin, form), 422
    new = apikeys.create(
        db.session,
        company=admin.company,
        name=form.name.data.strip(),
        actor=Actor.person(current_user.person.id),
    )
    # The key is on this answer only: never stored in the session, never cached.
    page = _page(admin, ApiKeyForm(formdata=None), new=new)
    return page, 201, {"Cache-Control": "no-store"}


@bp.route("/foretag/api-nycklar/<uuid:key_id>/aterkalla", methods=["POST"])
@login_required
def revoke_api_key(key_id: uuid.UUID) -> Response:
    admin = context.current_admin()
    apikeys.revoke(
        db.session,
        company_id=admin.company_id,
        key_id=key_id,
        actor=Actor.person(current_user.person.id),
    )
    flash(_("API-nyckeln är återkallad."))
    return redirect(url_for("employer.api_keys_page"))


def _page(admin: Membership, form: ApiKeyForm, new: apikeys.NewKey | None = None) -> str:
    return render_template(
        "employer/api_keys.html",
        membership=admin,
        form=form,
        new=new,
        keys=apikeys.list_for_company(db.session, admin.company_id),
    )
