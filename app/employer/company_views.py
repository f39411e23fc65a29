"""The company account: registering one, its settings, and colleagues (admins only)."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.audit.service import Actor
from app.auth import login_required
from app.companies import service as companies
from app.companies.models import Membership, Role
from app.employer import context
from app.employer.blueprint import bp
from app.employer.forms import InvitationForm, RegisterCompanyForm, RoleForm, SettingsForm
from app.errors import Conflict
from app.extensions import db

Page = str | tuple[str, int] | Response


def _actor() -> Actor:
    return Actor.person(current_user.person.id)


@bp.route("/foretag/nytt", methods=["GET", "POST"])
@login_required
def register_company() -> Page:
    form = RegisterCompanyForm()
    if not form.validate_on_submit():
        return render_template("employer/register.html", form=form), 422 if form.errors else 200
    try:
        company = companies.register_company(
            db.session,
            organisationsnummer=form.organisationsnummer.data,
            name=form.name.data,
            admin=current_user.person,
            **form.details(),
        )
    except Conflict:
        form.organisationsnummer.errors.append(
            _("Företaget har redan ett konto. Be företagets administratör att bjuda in dig.")
        )
        return render_template("employer/register.html", form=form), 409
    session[context.COMPANY_KEY] = str(company.id)
    flash(
        _(
            "%(name)s är registrerat med arbetsgivar-id %(id)s. Du är administratör.",
            name=company.name,
            id=company.employer_id,
        )
    )
    return redirect(url_for("employer.certificate_list"))


@bp.route("/foretag/installningar", methods=["GET", "POST"])
@login_required
def settings() -> Page:
    membership = context.current_admin()
    company = membership.company
    form = SettingsForm(obj=company)
    if not form.validate_on_submit():
        page = render_template("employer/settings.html", form=form, membership=membership)
        return page, 422 if form.errors else 200
    companies.update_company(
        db.session,
        company,
        actor=_actor(),
        notify_on_approval=bool(form.notify_on_approval.data),
        name=form.name.data,
        **form.details(),
    )
    flash(_("Företagets uppgifter är sparade."))
    return redirect(url_for("employer.settings"))


@bp.get("/kollegor")
@login_required
def colleagues() -> str:
    return _colleagues(context.current_admin(), InvitationForm())


def _colleagues(membership: Membership, form: InvitationForm, error: str | None = None) -> str:
    return render_template(
        "employer/colleagues.html",
        membership=membership,
        members=companies.members(db.session, membership.company_id),
        invitations=companies.pending_invitations(db.session, membership.company_id),
        form=form,
        error=error,
    )


@bp.post("/kollegor/inbjudan")
@login_required
def invite() -> Page:
    membership = context.current_admin()
    form = InvitationForm()
    if not form.validate_on_submit():
        return _colleagues(membership, form), 422
    try:
        companies.invite(
            db.session,
            membership.company,
            personnummer=form.personnummer.data,
            email=form.email.data,
            role=Role(form.role.data),
            invited_by=current_user.person,
        )
    except Conflict as conflict:
        form.personnummer.errors.append(
            _("Personen är redan med i företaget.")
            if conflict.code == "already_member"
            else _("Personen är redan inbjuden.")
        )
        return _colleagues(membership, form), 409
    flash(_("Inbjudan är skapad. Den gäller när kollegan loggar in med BankID nästa gång."))
    return redirect(url_for("employer.colleagues"))


@bp.post("/kollegor/inbjudan/<uuid:invitation_id>/ta-bort")
@login_required
def revoke_invitation(invitation_id: uuid.UUID) -> Response:
    membership = context.current_admin()
    companies.revoke_invitation(db.session, membership.company_id, invitation_id, actor=_actor())
    flash(_("Inbjudan är borttagen."))
    return redirect(url_for("employer.colleagues"))


def _last_admin() -> str:
    return str(
        _("Företaget måste ha minst en administratör. Gör någon annan till administratör först.")
    )


@bp.post("/kollegor/<uuid:membership_id>/roll")
@login_required
def change_role(membership_id: uuid.UUID) -> Page:
    admin = context.current_admin()
    target = companies.member(db.session, admin.company_id, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _colleagues(admin, InvitationForm(formdata=None)), 422
    try:
        companies.change_role(db.session, target, Role(form.role.data), actor=_actor())
    except Conflict:
        return _colleagues(admin, InvitationForm(formdata=None), error=_last_admin()), 409
    flash(_("Rollen är ändrad."))
    return redirect(url_for("employer.colleagues"))


@bp.post("/kollegor/<uuid:membership_id>/ta-bort")
@login_required
def remove_member(membership_id: uuid.UUID) -> Page:
    admin = context.current_admin()
    target = companies.member(db.session, admin.company_id, membership_id)
    try:
        companies.remove_member(db.session, target, actor=_actor())
    except Conflict:
        return _colleagues(admin, InvitationForm(formdata=None), error=_last_admin()), 409
    flash(_("Personen är borttagen från företaget."))
    if target.person_id == current_user.person.id:
        return redirect(url_for("auth.start"))
    return redirect(url_for("employer.colleagues"))
