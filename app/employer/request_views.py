"""Certificate requests from employees, as the company answers them: declining with a reason.

(Fulfilling is making the certificate: the new-certificate form takes `?begaran=<id>`, see
`draft_views`.) Every request is found through the current company; another's id is a 404.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.audit.service import Actor
from app.auth import login_required
from app.certificate_requests import service as certificate_requests
from app.certificate_requests.models import CertificateRequest, RequestState
from app.employer import context
from app.employer.blueprint import bp
from app.employer.forms import DeclineRequestForm
from app.extensions import db

Page = str | tuple[str, int] | Response


def _request(request_id: uuid.UUID) -> CertificateRequest:
    membership = context.current_membership()
    return certificate_requests.get_for_company(db.session, membership.company_id, request_id)


@bp.route("/begaran/<uuid:request_id>/avboj", methods=["GET", "POST"])
@login_required
def decline_request(request_id: uuid.UUID) -> Page:
    found = _request(request_id)
    if found.state != RequestState.OPEN:
        flash(_("Begäran är redan besvarad."))
        return redirect(url_for("employer.certificate_list"))
    form = DeclineRequestForm()
    if not form.validate_on_submit():
        page = render_template(
            "employer/request_decline.html",
            membership=context.current_membership(),
            found=found,
            form=form,
        )
        return page, 422 if form.errors else 200
    certificate_requests.decline(
        db.session, found, actor=Actor.person(current_user.person.id), reason=form.reason.data
    )
    flash(_("Begäran är avböjd. Arbetstagaren får veta det."))
    return redirect(url_for("employer.certificate_list"))
