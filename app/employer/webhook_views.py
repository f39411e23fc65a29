"""The company's webhooks (admins only): its endpoints, adding one (the secret is shown once),
deactivating one, and the log of delivery attempts."""

from __future__ import annotations

import uuid

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, URLField
from wtforms.validators import DataRequired, Length

from app.audit.service import Actor
from app.auth import login_required
from app.companies.models import Membership
from app.employer import context
from app.employer.blueprint import bp
from app.errors import DomainError
from app.extensions import db
from app.webhooks import service as webhooks
from app.webhooks.addresses import system_resolver

URL_ERRORS = {
    "webhook_url_not_https": _l("Adressen måste börja med https://."),
    "webhook_url_too_long": _l("Högst %(max)d tecken.", max=webhooks.URL_MAX_LENGTH),
    "webhook_url_internal": _l(
        "Adressen leder till ett internt nät (till exempel localhost eller 10.0.0.0/8). Ange "
        "lönesystemets adress på internet."
    ),
    "webhook_url_unresolvable": _l("Adressen hittades inte (DNS). Kontrollera namnet."),
}


class WebhookForm(FlaskForm):  # type: ignore[misc]
    url = URLField(
        _l("Adress (URL)"),
        [DataRequired(message=_l("Fältet måste fyllas i."))],
        description=_l("Lönesystemets adress som tar emot händelserna, med https://."),
    )
    description = StringField(
        _l("Beskrivning"),
        [
            Length(
                max=webhooks.DESCRIPTION_MAX_LENGTH,
                message=_l("Högst %(max)d tecken.", max=webhooks.DESCRIPTION_MAX_LENGTH),
            )
        ],
    )


@bp.route("/foretag/webhooks", methods=["GET"])
@login_required
def webhooks_page() -> str:
    return _page(context.current_admin(), WebhookForm(formdata=None))


@bp.route("/foretag/webhooks", methods=["POST"])
@login_required
def add_webhook() -> tuple[str, int, dict[str, str]] | tuple[str, int]:
    admin = context.current_admin()
    form = WebhookForm()
    if not form.validate_on_submit():
        return _page(admin, form), 422
    try:
        new = webhooks.register(
            db.session,
            company=admin.company,
            url=form.url.data,
            description=form.description.data or "",
            actor=Actor.person(current_user.person.id),
            allow_http_loopback=current_app.config["INTYGA_ENV"] != "production",
            public_only=None if current_app.config["WEBHOOK_ALLOW_INTERNAL"] else system_resolver,
        )
    except DomainError as error:
        form.url.errors = [URL_ERRORS.get(error.code, _l("Ange en giltig adress."))]
        return _page(admin, form), 422
    # Shown on this answer only, never stored in the session, never cached.
    page = _page(admin, WebhookForm(formdata=None), new=new)
    return page, 201, {"Cache-Control": "no-store"}


@bp.route("/foretag/webhooks/<uuid:endpoint_id>/inaktivera", methods=["POST"])
@login_required
def deactivate_webhook(endpoint_id: uuid.UUID) -> Response:
    admin = context.current_admin()
    webhooks.deactivate(
        db.session,
        company_id=admin.company_id,
        endpoint_id=endpoint_id,
        actor=Actor.person(current_user.person.id),
    )
    flash(_("Webhooken är inaktiverad."))
    return redirect(url_for("employer.webhooks_page"))


def _page(admin: Membership, form: WebhookForm, new: webhooks.NewEndpoint | None = None) -> str:
    return render_template(
        "employer/webhooks.html",
        membership=admin,
        form=form,
        new=new,
        endpoints=webhooks.list_for_company(db.session, admin.company_id),
        deliveries=webhooks.deliveries(db.session, admin.company_id),
    )
