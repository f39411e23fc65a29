from __future__ import annotations

import uuid

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import seal
from app.auth import login_required
from app.certificates import sealing
from app.certificates import service as certificates
from app.certificates.models import Certificate
from app.eid import views as eid_views
from app.eid.models import EidOrder
from app.employer import context
from app.errors import NotFound
from app.extensions import db
from app.i18n import current_locale

bp = Blueprint("employer", __name__, url_prefix="/arbetsgivare", template_folder="templates")


@bp.get("/")
@login_required
def certificate_list() -> str:
    membership = context.current_membership()
    rows = db.session.scalars(
        select(Certificate)
        .where(Certificate.company_id == membership.company_id)
        .order_by(Certificate.updated_at.desc())
        .limit(100)
    ).all()
    return render_template(
        "employer/list.html",
        membership=membership,
        memberships=context.memberships(),
        certificates=rows,
        days_left=certificates.days_left,
    )


@bp.post("/foretag/<uuid:company_id>")
@login_required
def choose_company(company_id: uuid.UUID) -> Response:
    context.choose(company_id)
    return redirect(url_for("employer.certificate_list"))


@bp.get("/intyg/<uuid:certificate_id>")
@login_required
def certificate_page(certificate_id: uuid.UUID) -> str:
    membership = context.current_membership()
    certificate = certificates.get_for_company(db.session, membership.company_id, certificate_id)
    return render_template(
        "employer/certificate.html",
        membership=membership,
        certificate=certificate,
        version=certificates.current_version(db.session, certificate),
        messages=certificates.messages(db.session, certificate),
        days_left=certificates.days_left(certificate),
        sealed=sealing.sealed_documents(db.session, certificate),
    )


@bp.post("/intyg/<uuid:certificate_id>/skriv-under")
@login_required
def sign(certificate_id: uuid.UUID) -> Response:
    """Open BankID for the current draft; finishing the order signs, seals and sends it."""
    membership = context.current_membership()
    certificate = certificates.get_for_company(db.session, membership.company_id, certificate_id)
    signer = current_user.person
    signing = sealing.employer_request(db.session, certificate, signer, locale=current_locale())
    back = url_for("employer.certificate_page", certificate_id=certificate.id)
    return eid_views.start_order(
        purpose="sign",
        visible_text=signing.visible_text,
        document_digest=signing.digest,
        signer=signer,
        subject=signing.subject | {"back": back, "company_id": str(membership.company_id)},
    )


def finish_signing(order: EidOrder) -> Response:
    membership = context.current_membership()
    if str(membership.company_id) != order.subject["company_id"]:
        raise NotFound("certificate_not_found")
    certificate = certificates.get_for_company(
        db.session, membership.company_id, uuid.UUID(order.subject["certificate_id"])
    )
    sealing.finish_employer(db.session, certificate, order, seal.current())
    db.commit()
    return redirect(order.subject["back"])


eid_views.register_finisher("employer_sign", finish_signing)


@bp.get("/intyg/<uuid:certificate_id>/version/<int:number>/intyg.<any(xml, pdf):kind>")
@login_required
def sealed_document(certificate_id: uuid.UUID, number: int, kind: str) -> Response:
    membership = context.current_membership()
    certificate = certificates.get_for_company(db.session, membership.company_id, certificate_id)
    found = sealing.sealed_document(db.session, certificate, number)
    name = f"arbetsgivarintyg-{certificate.company.employer_id}-{certificate.id}-v{number}.{kind}"
    return Response(
        found.xml if kind == "xml" else found.pdf,
        mimetype="application/xml" if kind == "xml" else "application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
