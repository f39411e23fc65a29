"""The employer's certificates: the lists, one certificate with its preview, signing with BankID,
revising after a completion request, withdrawing, and the sealed documents."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import seal
from app.audit.service import Actor
from app.auth import login_required
from app.certificate_requests import service as certificate_requests
from app.certificates import sealing
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.certificates.service import TRANSITIONS
from app.eid import views as eid_views
from app.eid.models import EidOrder
from app.employer import (
    apikey_views,
    company_views,
    context,
    disclosure,
    draft_views,
    employment_views,
    import_views,
    listing,
    outbox_views,
    preview,
    request_views,
    review_views,
    webhook_views,
)
from app.employer.blueprint import bp
from app.employer.forms import WithdrawForm
from app.errors import NotFound
from app.extensions import db
from app.i18n import current_locale
from app.income import service as income
from app.web.downloads import sealed_download
from app.web.form_fields import posted_lock_version

__all__ = [
    "apikey_views",
    "bp",
    "company_views",
    "draft_views",
    "employment_views",
    "import_views",
    "outbox_views",
    "request_views",
    "review_views",
    "webhook_views",
]  # importing them adds their routes to `bp`

WITHDRAWABLE = TRANSITIONS["withdraw"][0]


@bp.get("/")
@login_required
def certificate_list() -> str:
    mine = context.memberships()
    if not mine:
        return render_template("employer/no_company.html")
    membership = context.current_membership(mine)
    query = listing.Query.parse(
        request.args.get("flik", "all"),
        request.args.get("sok", ""),
        request.args.get("sortera", "updated"),
        after=request.args.get("efter", ""),
        before=request.args.get("fore", ""),
    )
    return render_template(
        "employer/list.html",
        membership=membership,
        memberships=mine,
        query=query,
        found=listing.find(db.session, membership.company_id, query),
        count_cap=format_number(listing.COUNT_CAP),
        days_left=certificates.days_left,
        requests=certificate_requests.open_for_company(db.session, membership.company_id),
    )


@bp.post("/foretag/<uuid:company_id>")
@login_required
def choose_company(company_id: uuid.UUID) -> Response:
    context.choose(company_id)
    return redirect(url_for("employer.certificate_list"))


def _certificate(certificate_id: uuid.UUID) -> Certificate:
    """A certificate of the current company; any other id does not exist here (404)."""
    membership = context.current_membership()
    return certificates.get_for_company(db.session, membership.company_id, certificate_id)


@bp.get("/intyg/<uuid:certificate_id>")
@login_required
def certificate_page(certificate_id: uuid.UUID) -> str:
    certificate = _certificate(certificate_id)
    page = _page(certificate, WithdrawForm() if _withdrawable(certificate) else None)
    disclosure.full_personnummer_shown(certificate.company_id, certificate.id)
    return page


def _withdrawable(certificate: Certificate) -> bool:
    """Withdraw what was signed or sent; a first draft is deleted instead."""
    return certificate.state in WITHDRAWABLE and not certificates.deletable(certificate)


def _page(certificate: Certificate, withdraw_form: WithdrawForm | None) -> str:
    version = certificates.current_version(db.session, certificate)
    return render_template(
        "employer/certificate.html",
        membership=context.current_membership(),
        certificate=certificate,
        version=version,
        messages=certificates.messages(db.session, certificate),
        days_left=certificates.days_left(certificate),
        sealed=sealing.sealed_documents(db.session, certificate),
        preview=preview.build(db.session, certificate, version, current_locale()),
        withdraw_form=withdraw_form,
        deletable=certificates.deletable(certificate),
        agi_income=income.months_for(
            db.session, certificate.company_id, certificate.employee.personnummer
        )
        if certificate.state == State.DRAFT
        else [],
    )


@bp.post("/intyg/<uuid:certificate_id>/skriv-under")
@login_required
def sign(certificate_id: uuid.UUID) -> Response:
    """Open BankID for the current draft; finishing the order signs, seals and sends it."""
    membership = context.current_membership()
    certificate = _certificate(certificate_id)
    signer = current_user.person
    # The warnings shown next to the sign button, confirmed by ticking its box.
    confirmed = request.form.getlist("warning") if request.form.get("confirm_warnings") else []
    signing = sealing.employer_request(
        db.session,
        certificate,
        signer,
        confirmed_warnings=confirmed,
        locale=current_locale(),
        expected_lock_version=posted_lock_version(),
    )
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
    flash(
        _(
            "Intyget är underskrivet och skickat till %(name)s. Hen får ett meddelande och har"
            " sex veckor på sig att svara.",
            name=certificate.employee.full_name,
        )
    )
    return redirect(order.subject["back"])


eid_views.register_finisher("employer_sign", finish_signing)


@bp.post("/intyg/<uuid:certificate_id>/revidera")
@login_required
def revise(certificate_id: uuid.UUID) -> Response:
    """Answer a completion request: a new draft version starting from the previous content."""
    certificate = _certificate(certificate_id)
    certificates.revise(db.session, certificate, actor=Actor.person(current_user.person.id))
    flash(_("En ny version har skapats som utkast. Ändra det som ska kompletteras."))
    return redirect(url_for("employer.review", certificate_id=certificate.id))


@bp.post("/intyg/<uuid:certificate_id>/ta-bort")
@login_required
def delete_draft(certificate_id: uuid.UUID) -> Response:
    certificate = _certificate(certificate_id)
    name = certificate.employee.full_name
    if not certificates.deletable(certificate):
        flash(
            _("Intyget har redan skrivits under och kan inte tas bort. Återkalla det i stället."),
            "error",
        )
        return redirect(url_for("employer.certificate_page", certificate_id=certificate.id))
    certificates.delete_draft(
        db.session,
        certificate,
        actor=Actor.person(current_user.person.id),
        expected_lock_version=posted_lock_version(),
    )
    flash(_("Utkastet till %(name)s är borttaget.", name=name))
    return redirect(url_for("employer.certificate_list"))


@bp.post("/intyg/<uuid:certificate_id>/aterkalla")
@login_required
def withdraw(certificate_id: uuid.UUID) -> Response | tuple[str, int]:
    certificate = _certificate(certificate_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _page(certificate, form), 422
    certificates.withdraw(
        db.session,
        certificate,
        actor=Actor.person(current_user.person.id),
        reason=form.reason.data,
    )
    flash(_("Intyget är återkallat."))
    return redirect(url_for("employer.certificate_page", certificate_id=certificate.id))


@bp.get("/intyg/<uuid:certificate_id>/version/<number:number>/intyg.<any(xml, pdf):kind>")
@login_required
def sealed_document(certificate_id: uuid.UUID, number: int, kind: str) -> Response:
    certificate = _certificate(certificate_id)
    found = sealing.sealed_document(db.session, certificate, number)
    disclosure.full_personnummer_shown(certificate.company_id, certificate.id, document=kind)
    return sealed_download(certificate, found, kind)
