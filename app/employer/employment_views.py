"""The company's employment numbers (admins only): which person each of the payroll system's
employment ids stands for. Learned from import files that name both; here an administrator adds
the ones the files never name with a personnummer, corrects or removes them."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField

from app.audit.service import Actor
from app.auth import login_required
from app.companies.models import Membership
from app.employer import context
from app.employer.blueprint import bp
from app.employments import service as employments
from app.employments.models import EmploymentNumber
from app.errors import InvalidContent
from app.extensions import db
from app.i18n import current_locale
from app.intake.messages import describe_key


class EmploymentNumberForm(FlaskForm):  # type: ignore[misc]
    number = StringField(
        _l("Anställningsnummer"),
        description=_l("Som lönesystemet skriver det (anstid i PAXml)."),
    )
    personnummer = StringField(
        _l("Personnummer eller samordningsnummer"),
        description=_l("12 siffror, till exempel 19121212-1212."),
    )
    first_name = StringField(_l("Förnamn"))
    last_name = StringField(_l("Efternamn"))


@bp.get("/foretag/anstallningsnummer")
@login_required
def employment_numbers() -> str:
    return _list_page(context.current_admin(), EmploymentNumberForm(formdata=None))


@bp.post("/foretag/anstallningsnummer")
@login_required
def add_employment_number() -> Response | tuple[str, int]:
    admin = context.current_admin()
    form = EmploymentNumberForm()
    if not _saved(admin, form, None):
        return _list_page(admin, form), 422
    flash(_("Anställningsnumret är sparat."))
    return redirect(url_for("employer.employment_numbers"))


@bp.get("/foretag/anstallningsnummer/<int:entry_id>")
@login_required
def employment_number(entry_id: int) -> str:
    admin = context.current_admin()
    entry = employments.get(db.session, admin.company_id, entry_id)
    form = EmploymentNumberForm(
        formdata=None,
        number=entry.number,
        personnummer=entry.personnummer,
        first_name=entry.first_name,
        last_name=entry.last_name,
    )
    return _edit_page(admin, entry, form)


@bp.post("/foretag/anstallningsnummer/<int:entry_id>")
@login_required
def change_employment_number(entry_id: int) -> Response | tuple[str, int]:
    admin = context.current_admin()
    entry = employments.get(db.session, admin.company_id, entry_id)
    form = EmploymentNumberForm()
    if not _saved(admin, form, entry):
        return _edit_page(admin, entry, form), 422
    flash(_("Anställningsnumret är ändrat."))
    return redirect(url_for("employer.employment_numbers"))


@bp.post("/foretag/anstallningsnummer/<int:entry_id>/ta-bort")
@login_required
def remove_employment_number(entry_id: int) -> Response:
    admin = context.current_admin()
    employments.remove(
        db.session,
        company_id=admin.company_id,
        entry_id=entry_id,
        actor=Actor.person(current_user.person.id),
    )
    flash(_("Anställningsnumret är borttaget."))
    return redirect(url_for("employer.employment_numbers"))


def _saved(admin: Membership, form: EmploymentNumberForm, entry: EmploymentNumber | None) -> bool:
    """Whether the posted form was saved; its fields carry the errors when not."""
    if not form.validate_on_submit():
        return False
    try:
        with db.session.begin_nested():
            employments.save(
                db.session,
                company_id=admin.company_id,
                number=form.number.data or "",
                personnummer=form.personnummer.data or "",
                first_name=form.first_name.data or "",
                last_name=form.last_name.data or "",
                actor=Actor.person(current_user.person.id),
                entry=entry,
            )
    except InvalidContent as invalid:
        locale = current_locale()
        for name, keys in invalid.errors.items():
            getattr(form, str(name)).errors = [describe_key(key, locale) for key in keys]
        return False
    return True


def _list_page(admin: Membership, form: EmploymentNumberForm) -> str:
    return render_template(
        "employer/employment_numbers.html",
        membership=admin,
        form=form,
        entries=employments.list_for_company(db.session, admin.company_id),
    )


def _edit_page(admin: Membership, entry: EmploymentNumber, form: EmploymentNumberForm) -> str:
    return render_template(
        "employer/employment_number.html", membership=admin, entry=entry, form=form
    )
