"""The summary before signing ("Granska och skriv under"): the certificate as it will be sealed,
part by part with a way back to each step, what still stops signing, and the text BankID will
show, drawn as the app draws it."""

from __future__ import annotations

import uuid

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response

from app.auth import login_required
from app.certificates import service as certificates
from app.certificates.models import State
from app.eid import visible_text
from app.employer import certificate_form as cf
from app.employer import context, disclosure, preview
from app.employer import form_steps as steps
from app.employer.blueprint import bp
from app.employer.form_spec import Situation
from app.extensions import db
from app.i18n import current_locale


@bp.get("/intyg/<uuid:certificate_id>/granska")
@login_required
def review(certificate_id: uuid.UUID) -> str | Response:
    membership = context.current_membership()
    certificate = certificates.get_for_company(db.session, membership.company_id, certificate_id)
    if certificate.state != State.DRAFT:
        return redirect(url_for("employer.certificate_page", certificate_id=certificate.id))
    version = certificates.current_version(db.session, certificate)
    locale = current_locale()
    shown = preview.build(db.session, certificate, version, locale)
    values, _counts = cf.from_content(version.content)
    situation = Situation.of(certificate.variant, values)
    parts = [
        (step, step.title_in(locale), [b for b in shown.blocks if b.key in step.sections])
        for step in steps.steps(situation)
        if step is not steps.FIRST
    ]
    page = render_template(
        "employer/review.html",
        membership=membership,
        certificate=certificate,
        version=version,
        preview=shown,
        parts=parts,
        first=steps.FIRST,
        step_of=steps.step_of_path,
        bankid_text=visible_text.render(shown.summary) if shown.summary else None,
    )
    disclosure.full_personnummer_shown(certificate.company_id, certificate.id)
    return page
