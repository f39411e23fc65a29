"""The employee's pages: the inbox, one certificate with its sealed documents, approving it to an
a-kassa with BankID, and asking the employer for a completion."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import seal
from app.akassa import service as akassa_service
from app.auth import login_required
from app.certificates import sealing
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.eid import service as eid_service
from app.eid import views as eid_views
from app.eid.models import EidOrder
from app.eid.provider import settings
from app.employee import reading
from app.employee import service as employee_service
from app.employee.blueprint import bp
from app.employee.forms import ApproveForm, CompletionForm
from app.errors import DomainError, NotFound
from app.extensions import db
from app.i18n import current_locale
from app.web import errors
from app.web.downloads import sealed_download

__all__ = ["bp"]

# What went wrong, said to the employee: the shared titles speak to both sides.
_REFUSALS = {
    "changed_while_signing": lambda: _(
        "Intyget ändrades medan du skrev under, så inget har godkänts. Läs intyget igen och "
        "försök på nytt."
    ),
    "changed_by_someone_else": lambda: _(
        "Intyget har ändrats sedan du öppnade sidan, så inget har godkänts. Läs intyget igen."
    ),
    "illegal_transition": lambda: _(
        "Intyget kan inte besvaras längre: det är redan besvarat, återkallat eller utgånget."
    ),
    "deadline_passed": lambda: _(
        "Tiden på sex veckor att svara har gått ut. Inget har sparats. Kontakta arbetsgivaren "
        "om du behöver ett nytt intyg."
    ),
}


def _refusal(error: DomainError) -> str:
    own = _REFUSALS.get(error.code)
    return own() if own else errors.titles().get(error.code, errors.titles()["domain_error"])


@bp.get("")
@login_required
def inbox() -> str:
    return render_template(
        "employee/inbox.html",
        inbox=employee_service.inbox(db.session, current_user.person.id),
    )


def _certificate(certificate_id: uuid.UUID) -> Certificate:
    """The logged-in person's own certificate; anyone else's does not exist here (404)."""
    return certificates.get_for_employee(db.session, current_user.person.id, certificate_id)


@bp.get("/intyg/<uuid:certificate_id>")
@login_required
def certificate_page(certificate_id: uuid.UUID) -> str:
    certificate = _certificate(certificate_id)
    return _page(certificate, _approve_form(certificate), CompletionForm())


def _page(
    certificate: Certificate,
    approve_form: ApproveForm,
    completion_form: CompletionForm,
    *,
    refusal: str | None = None,
) -> str:
    read = reading.read(
        db.session,
        certificate,
        current_locale(),
        seals=seal.trusted(),
        bankid_roots=settings().trusted_roots,
    )
    days_left = certificates.days_left(certificate)
    return render_template(
        "employee/certificate.html",
        certificate=certificate,
        reading=read,
        messages=certificates.messages(db.session, certificate),
        days_left=days_left,
        answerable=certificate.state == State.SENT and bool(days_left),
        approve_form=approve_form,
        completion_form=completion_form,
        refusal=refusal,
    )


def _approve_form(certificate: Certificate, *, submitted: bool = False) -> ApproveForm:
    """Pre-filled with the person's a-kassa, and the version and lock shown on the page; or, when
    `submitted`, what the browser sent."""
    membership = akassa_service.membership_of(db.session, current_user.person.id)
    form = ApproveForm(
        **({} if submitted else {"formdata": None}),
        akassa=membership.akassa.code if membership else None,
        version=certificate.current_version,
        lock_version=certificate.lock_version,
    )
    form.akassa.choices = [("", _("Välj a-kassa"))] + [
        (fund.code, fund.name) for fund in akassa_service.active_funds(db.session)
    ]
    if membership:
        form.akassa.description = _(
            "Du är medlem i %(akassa)s. Intyget kan bara skickas till din egen a-kassa.",
            akassa=membership.akassa.name,
        )
    return form


@bp.post("/intyg/<uuid:certificate_id>/godkann")
@login_required
def approve(certificate_id: uuid.UUID) -> Response | tuple[str, int]:
    """Open BankID for the version the page showed; finishing the order approves and seals it."""
    certificate = _certificate(certificate_id)
    form = _approve_form(certificate, submitted=True)
    if not form.validate_on_submit():
        return _page(certificate, form, CompletionForm(formdata=None)), 422
    person = current_user.person
    try:
        signing = sealing.employee_request(
            db.session,
            certificate,
            person,
            akassa_service.get_by_code(db.session, form.akassa.data),
            version_number=form.version.data,
            lock_version=form.lock_version.data,
            locale=current_locale(),
        )
    except DomainError as error:
        if isinstance(error, NotFound) and error.code == "certificate_not_found":
            raise
        fresh = _approve_form(certificate)
        fresh.akassa.data = form.akassa.data
        page = _page(certificate, fresh, CompletionForm(formdata=None), refusal=_refusal(error))
        return page, errors.status_of(error)
    back = url_for("employee.certificate_page", certificate_id=certificate.id)
    return eid_views.start_order(
        purpose="sign",
        visible_text=signing.visible_text,
        document_digest=signing.digest,
        signer=person,
        subject=signing.subject | {"back": back},
    )


def finish_approval(order: EidOrder) -> Response:
    """Approve and seal; a refusal (changed, answered, too late) is told on the certificate's
    page with nothing approved, and the order stays used."""
    if not current_user.is_authenticated:
        raise NotFound("certificate_not_found")
    person = current_user.person
    certificate = _certificate(uuid.UUID(order.subject["certificate_id"]))
    try:
        sealing.finish_employee(db.session, certificate, order, seal.current(), employee=person)
    except DomainError as error:
        if isinstance(error, NotFound) and error.code == "certificate_not_found":
            raise
        db.session.rollback()
        eid_service.take(db.session, order)
        flash(_refusal(error), "error")
        return redirect(order.subject["back"])
    akassa = akassa_service.get_by_code(db.session, order.subject["akassa"])
    flash(_("Intyget är godkänt och skickat till %(akassa)s.", akassa=akassa.name))
    return redirect(order.subject["back"])


eid_views.register_finisher("employee_approve", finish_approval)


@bp.post("/intyg/<uuid:certificate_id>/komplettering")
@login_required
def request_completion(certificate_id: uuid.UUID) -> Response | tuple[str, int]:
    certificate = _certificate(certificate_id)
    form = CompletionForm()
    if not form.validate_on_submit():
        return _page(certificate, _approve_form(certificate), form), 422
    try:
        certificates.request_completion(
            db.session, certificate, employee=current_user.person, message=form.message.data
        )
    except DomainError as error:
        db.session.rollback()
        status = errors.status_of(error)
        return _page(certificate, _approve_form(certificate), form, refusal=_refusal(error)), status
    flash(_("Din begäran om komplettering är skickad till arbetsgivaren."))
    return redirect(url_for("employee.certificate_page", certificate_id=certificate.id))


@bp.get("/intyg/<uuid:certificate_id>/dokument/<number:number>.<any(xml, pdf):kind>")
@login_required
def sealed_document(certificate_id: uuid.UUID, number: int, kind: str) -> Response:
    certificate = _certificate(certificate_id)
    found = sealing.sealed_document(db.session, certificate, number)
    return sealed_download(certificate, found, kind)
