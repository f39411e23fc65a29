"""The employee's preliminary assessment: an income table per month (typed in, or filled from
the employer's data), the first day without work and the membership start, and what the 2025
rules make of them. Nothing is stored: the table lives in the form."""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.akassa import service as akassa_service
from app.assessment import RulesNotInForce, YearMonth, assess, default_rules
from app.assessment.views_support import AssessmentView, language
from app.auth import login_required
from app.certificates.models import Certificate
from app.database import utcnow
from app.employee import assessment_service
from app.employee.assessment_forms import AssessmentForm
from app.employee.blueprint import bp
from app.extensions import db
from app.i18n import current_locale
from app.income import service as income

FRAME_ROWS = 12


@bp.route("/bedomning", methods=["GET", "POST"])
@login_required
def assessment() -> tuple[str, int]:
    today = utcnow().date()
    action = request.form.get("action", "calculate")
    if request.method == "GET":
        return _page(_fresh_form(today, _default_unemployed_on(today)))
    form = AssessmentForm()
    if action == "employer":
        return _from_employer(today)
    if action == "add":
        form.add_rows()
        return _page(form)
    valid = form.validate_on_submit()
    valid = form.validate_rows_in(today) and valid
    if not valid:
        return _page(form, status=422)
    try:
        result = assess(
            form.months(),
            unemployed_on=form.unemployed_on.data,
            member_since=form.member_since.data,
        )
    except RulesNotInForce:
        form.unemployed_on.errors.append(
            _(
                "Den inkomstbaserade försäkringen gäller den som blir arbetslös från och med "
                "%(start)s.",
                start=default_rules().rows[0].effective_from.isoformat(),
            )
        )
        return _page(form, status=422)
    return _page(form, AssessmentView(result, current_locale()))


def _from_employer(today: date) -> tuple[str, int]:
    """The table from the person's certificates and AGI statements, to check and change."""
    person = current_user.person
    derived = assessment_service.employer_months(
        db.session, person, income.records_for(db.session, person.personnummer)
    )
    form = _fresh_form(today, _default_unemployed_on(today))
    if derived.months:
        form.set_rows([(month.when, month.amount, None) for month in reversed(derived.months)])
        form.add_rows()
    notes = derived.note_texts(language(current_locale()))
    if not derived.months:
        notes.insert(0, _("Det finns inga inkomster från dina arbetsgivare att hämta än."))
    return _page(form, employer_notes=notes)


def _fresh_form(today: date, unemployed_on: date) -> AssessmentForm:
    """Dates as the person's data suggest, and the twelve months before as empty rows."""
    membership = akassa_service.membership_of(db.session, current_user.person.id)
    form = AssessmentForm(formdata=None)
    form.unemployed_on.data = unemployed_on.isoformat()
    form.member_since.data = membership.member_since.isoformat() if membership else ""
    last = YearMonth.of(unemployed_on).shifted(-1)
    form.set_rows([(last.shifted(-back), None, None) for back in range(FRAME_ROWS)])
    return form


def _default_unemployed_on(today: date) -> date:
    """The day after the person's latest employment ended, else the first of this month."""
    ended = db.session.scalar(
        select(func.max(Certificate.period_end)).where(
            Certificate.employee_id == current_user.person.id,
            Certificate.state.in_(assessment_service.USABLE),
        )
    )
    if ended is not None and ended < today:
        return ended + timedelta(days=1)
    return today.replace(day=1)


def _page(
    form: AssessmentForm,
    result: AssessmentView | None = None,
    *,
    employer_notes: list[str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return (
        render_template(
            "employee/assessment.html",
            form=form,
            result=result,
            rules=AssessmentView(None, current_locale()),
            employer_notes=employer_notes or [],
        ),
        status,
    )
