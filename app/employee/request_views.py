"""Asking an employer for a certificate: the form, and the employee's own requests with their
answers on the same page."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth import login_required
from app.certificate_requests import service as certificate_requests
from app.certificate_requests.forms import CertificateRequestForm, as_date
from app.employee.blueprint import bp
from app.errors import Conflict, NotFound
from app.extensions import db

Page = str | tuple[str, int] | Response


@bp.route("/begar-intyg", methods=["GET", "POST"])
@login_required
def request_certificate() -> Page:
    form = CertificateRequestForm()
    if not form.validate_on_submit():
        return _page(form), 422 if form.errors else 200
    person = current_user.person
    try:
        asked = certificate_requests.request_certificate(
            db.session,
            person,
            form.organisationsnummer.data,
            as_date(form.period_start.data),
            as_date(form.period_end.data),
            message=form.message.data,
        )
    except NotFound:
        form.organisationsnummer.errors.append(
            _(
                "Företaget finns inte hos Intyga än, så begäran kan inte skickas. Be "
                "arbetsgivaren om intyget direkt, eller be dem registrera företaget hos Intyga."
            )
        )
        return _page(form), 422
    except Conflict:
        form.period_start.errors.append(
            _("Du har redan bett företaget om ett intyg för samma period. Vänta på svaret.")
        )
        return _page(form), 409
    flash(_("Din begäran är skickad till %(name)s.", name=asked.company.name))
    return redirect(url_for("employee.request_certificate"))


def _page(form: CertificateRequestForm) -> str:
    return render_template(
        "employee/request_certificate.html",
        form=form,
        requests=certificate_requests.of_person(db.session, current_user.person.id),
    )
