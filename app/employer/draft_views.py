"""Certificates by hand, in guided steps (`form_steps`): the first step (variant, form of
employment, has it ended), then one page per part of the form, saved as a draft at each step, and
at last the summary to sign (`review_views`).

Each page posts back to itself with an `action`: `next` (check this step, save the draft, go on),
`save` (save the draft as it is and leave), `refresh` (show the parts that now apply),
`add:<table>` or `remove:<table>:<row>`. Only `next` and `save` write. A page carries the other
steps' values as hidden fields, so every post holds the whole certificate and needs no session.

A new certificate may answer an employee's request (`begaran=<id>`, carried through every step):
the form starts with the employee and the period, and saving the draft fulfils the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, cast

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth import login_required
from app.certificate_requests import service as certificate_requests
from app.certificate_requests.models import CertificateRequest, RequestState
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies.models import Company
from app.employer import certificate_form as cf
from app.employer import context, disclosure, form_page
from app.employer import form_steps as steps
from app.employer.blueprint import bp
from app.employer.form_spec import Situation
from app.errors import NotFound
from app.extensions import db
from app.i18n import current_locale
from app.intake import service as intake
from app.intake.messages import localize, outcome_text
from app.intake.records import Outcome
from app.web.form_fields import posted_lock_version
from schemas import VARIANTS, ContentInvalid, identity_warnings, load_content

NOT_VALUES = {"csrf_token", "action", "lock_version", "variant", "begaran", "steg", "granska"}
Page = str | tuple[str, int] | Response


@bp.get("/intyg/nytt")
@login_required
def new_certificate() -> Page:
    context.current_membership()
    asked = _asked()
    if asked is not None and asked.state != RequestState.OPEN:
        flash(_("Begäran är redan besvarad."))
        return redirect(url_for("employer.certificate_list"))
    return _first_step({}, {}, asked)


@bp.post("/intyg/nytt")
@login_required
def new_certificate_form() -> Page:
    membership = context.current_membership()
    asked = _asked()
    variant = request.form.get("variant", "")
    values, counts = _posted()
    action = request.form.get("action", "refresh")
    if action == "start":
        return _started(membership.company, variant, values, counts, asked)
    if variant not in VARIANTS:
        return _first_step(values, {}, asked), 422
    step = _posted_step(variant, values)
    if action not in ("save", "next"):
        return _form(None, variant, values, counts, step, action=action, asked=asked)
    content = cf.to_content(values, counts, variant)
    if action == "next" and (problems := _step_problems(step, content, variant)):
        return _form(None, variant, values, counts, step, action="save", errors=problems)
    result = intake.save(
        db.session,
        company=membership.company,
        variant=variant,
        content=content,
        actor=intake.person_actor(current_user.person.id),
    )
    if result.certificate is None:
        return _form(
            None, variant, values, counts, step, action="save", errors=result.errors, asked=asked
        )
    if asked is not None:
        _answer(asked, result.certificate)
    return _saved(result, step, values, action, content)


def _started(
    company: Company,
    variant: str,
    values: cf.Values,
    counts: cf.Counts,
    asked: CertificateRequest | None,
) -> Page:
    """The first step answered: the next step, with the company (and the request) filled in."""
    problems = _first_step_problems(variant, values)
    if problems:
        return _first_step(values, problems, asked), 422
    values |= _employer_block(company)
    following = steps.after(steps.FIRST, Situation.of(variant, values)) or steps.FIRST
    if asked is None:
        return _form(None, variant, values, counts, following, action="start")
    values |= _requested(asked)
    page = _form(None, variant, values, counts, following, action="start", asked=asked)
    disclosure.full_personnummer_shown(company.id, request_id=str(asked.id))
    return page


def _asked() -> CertificateRequest | None:
    """The request this new certificate answers, through the current company only."""
    raw = request.values.get("begaran", "")
    if not raw:
        return None
    try:
        request_id = uuid.UUID(raw)
    except ValueError as error:
        raise NotFound("request_not_found") from error
    membership = context.current_membership()
    return certificate_requests.get_for_company(db.session, membership.company_id, request_id)


def _requested(asked: CertificateRequest) -> cf.Values:
    """The employee and the period the request names, so nobody types them again."""
    return {
        "employee.personnummer": asked.person.personnummer,
        "employee.first_name": asked.person.first_name,
        "employee.last_name": asked.person.last_name,
        "employment.period.start": asked.period_start.isoformat(),
        "employment.period.end": asked.period_end.isoformat(),
    }


def _answer(asked: CertificateRequest, certificate: Certificate) -> None:
    """The draft answers the request, unless it was made for someone else after all (the
    request then stays open) or a colleague answered it meanwhile."""
    if asked.state != RequestState.OPEN:
        flash(_("Begäran var redan besvarad."))
    elif certificate.employee_id != asked.person_id:
        flash(_("Intyget gäller en annan person än begäran, så begäran är fortfarande öppen."))
    else:
        certificate_requests.fulfil(
            db.session, asked, certificate, actor=intake.person_actor(current_user.person.id)
        )


@bp.get("/intyg/<uuid:certificate_id>/redigera")
@login_required
def edit_draft(certificate_id: uuid.UUID) -> Page:
    certificate = _draft(certificate_id)
    if certificate.state != State.DRAFT:
        return redirect(url_for("employer.certificate_page", certificate_id=certificate.id))
    content = certificates.current_version(db.session, certificate).content
    values, counts = cf.from_content(content)
    situation = Situation.of(certificate.variant, values)
    step = steps.find(request.args.get("steg", ""), situation, steps.FIRST)
    if "worked_time.months" in steps.tables(step, situation):
        steps.prefill_months(values, counts, situation)
    page = _form(certificate, certificate.variant, values, counts, step, action="refresh")
    disclosure.full_personnummer_shown(certificate.company_id, certificate.id)
    return page


@bp.post("/intyg/<uuid:certificate_id>/redigera")
@login_required
def save_draft(certificate_id: uuid.UUID) -> Page:
    certificate = _draft(certificate_id)
    values, counts = _posted()
    variant = certificate.variant
    action = request.form.get("action", "refresh")
    step = _posted_step(variant, values)
    if action not in ("save", "next"):
        return _form(certificate, variant, values, counts, step, action=action)
    content = cf.to_content(values, counts, variant)
    if action == "next" and (problems := _step_problems(step, content, variant)):
        return _form(certificate, variant, values, counts, step, action="save", errors=problems)
    result = intake.save(
        db.session,
        company=certificate.company,
        variant=variant,
        content=content,
        actor=intake.person_actor(current_user.person.id),
        certificate=certificate,
        expected_lock_version=posted_lock_version(),
    )
    if result.outcome is Outcome.REFUSED:
        return _form(
            certificate, variant, values, counts, step, action="save", errors=result.errors
        )
    if result.outcome is Outcome.LOCKED:
        title = outcome_text(result, current_locale())
        return render_template("web/error.html", title=title, status=409), 409
    return _saved(result, step, values, action, content)


def _posted_step(variant: str, values: Mapping[str, str]) -> steps.Step:
    situation = Situation.of(variant, values)
    fallback = steps.after(steps.FIRST, situation) or steps.FIRST
    return steps.find(request.form.get("steg", ""), situation, fallback)


def _step_problems(
    step: steps.Step, content: Mapping[str, Any], variant: str
) -> dict[str | int, Any]:
    """What stops this step from being done: its fields checked as for signing (required ones
    too). Other steps' gaps wait for their own pages and the summary."""
    try:
        load_content(content, variant)
    except ContentInvalid as error:
        found: dict[str | int, Any] = {}
        found.update(steps.errors_of(step, cf.flat_errors(error.errors)))
        return found
    return {}


def _saved(
    result: intake.Result,
    step: steps.Step,
    values: Mapping[str, str],
    action: str,
    content: Mapping[str, Any],
) -> Response:
    """Say what became of the form, in the words every face uses, then go on: to the next step,
    to the summary after the last one (or at once when the step was opened from the summary to
    change it), or to the certificate's page when the employer chose to stop for now."""
    certificate = cast(Certificate, result.certificate)  # only refusals have none
    flash(outcome_text(result, current_locale()))
    _flash_identity_warnings(content)
    if action == "save":
        return redirect(url_for("employer.certificate_page", certificate_id=certificate.id))
    following = steps.after(step, Situation.of(certificate.variant, values))
    if following is None or request.form.get("granska"):
        return redirect(url_for("employer.review", certificate_id=certificate.id))
    return redirect(
        url_for("employer.edit_draft", certificate_id=certificate.id, steg=following.key)
    )


def _draft(certificate_id: uuid.UUID) -> Certificate:
    membership = context.current_membership()
    return certificates.get_for_company(db.session, membership.company_id, certificate_id)


def _posted() -> tuple[cf.Values, cf.Counts]:
    values = {
        key: value
        for key, value in request.form.items()
        if key not in NOT_VALUES and not key.endswith(".rows")
    }
    return values, cf.counts_from(request.form)


def _employer_block(company: Company) -> cf.Values:
    """Block B from the company account, so nobody types it twice."""
    prefill = {
        "employer.name": company.name,
        "employer.organisation_number": company.organisationsnummer,
        "employer.address.street": company.street,
        "employer.address.care_of": company.care_of,
        "employer.address.postal_code": company.postal_code,
        "employer.address.city": company.city,
        "employer.email": company.notification_email,
    }
    return {key: value for key, value in prefill.items() if value}


def _first_step_problems(variant: str, values: Mapping[str, str]) -> dict[str, str]:
    problems = {}
    if variant not in VARIANTS:
        problems["variant"] = _("Välj vilket intyg du fyller i.")
    if not values.get("employment_form.type"):
        problems["employment_form.type"] = _("Välj anställningsform.")
    if values.get("employment.still_employed") not in ("true", "false"):
        problems["employment.still_employed"] = _("Svara om personen fortfarande är anställd.")
    return problems


def _first_step(
    values: Mapping[str, str], problems: Mapping[str, str], asked: CertificateRequest | None
) -> str:
    variant = request.form.get("variant", "")
    return render_template(
        "employer/new.html",
        membership=context.current_membership(),
        values=values,
        variant=variant,
        problems=problems,
        employment_types=form_page.choices_of("employment_form.type", current_locale()),
        asked=asked,
        of=len(steps.steps(Situation.of(variant, values))) if variant in VARIANTS else None,
    )


def _form(
    certificate: Certificate | None,
    variant: str,
    values: cf.Values,
    counts: cf.Counts,
    step: steps.Step,
    *,
    action: str = "refresh",
    errors: Mapping[str | int, Any] | None = None,
    asked: CertificateRequest | None = None,
) -> tuple[str, int]:
    """Apply a row action, check what is filled in, and show one step of the form (422 if a
    save failed). A failed save whose errors lie in other steps shows the first of those."""
    if action.startswith("add:"):
        cf.add_row(values, counts, action.removeprefix("add:"))
    elif action.startswith("remove:"):
        table, _sep, index = action.removeprefix("remove:").rpartition(":")
        if index.isdigit():
            cf.remove_row(values, counts, table, int(index))
    locale = current_locale()
    content = cf.to_content(values, counts, variant)
    try:
        load_content(content, variant, partial=True)
    except ContentInvalid as error:
        errors = errors or error.errors
    flat = cf.flat_errors(localize(errors or {}, locale))
    situation = Situation.of(variant, values)
    if action == "save" and flat and not steps.errors_of(step, flat):
        step = next((s for s in steps.steps(situation) if steps.errors_of(s, flat)), step)
    number, of = steps.number(step, situation)
    shown = steps.value_keys(step, situation, counts)
    page = render_template(
        "employer/form.html",
        membership=context.current_membership(),
        certificate=certificate,
        variant=variant,
        step=step,
        step_title=step.title_in(locale),
        number=number,
        of=of,
        previous=steps.before(step, situation),
        last=steps.after(step, situation) is None,
        hidden={k: v for k, v in values.items() if k not in shown},
        page=form_page.build(
            variant,
            values,
            counts,
            steps.errors_of(step, flat),
            locale,
            sections=steps.sections(step, situation),
        ),
        asked=asked,
        from_summary=bool(request.values.get("granska")),
    )
    return page, 422 if flat and action == "save" else 200


def _flash_identity_warnings(content: Mapping[str, Any]) -> None:
    """What was assumed about the employee's identity (a 10-digit personnummer's century): the
    stored 12 digits no longer show it, so it is said once, when the draft is saved."""
    for text in localize(identity_warnings(content), current_locale()):
        flash(text, "warning")
