"""The employee's profile: contact details, how to be told, and the language of the pages and
of every message we send."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth import login_required
from app.employee.blueprint import bp
from app.errors import InvalidContent
from app.extensions import db
from app.people import service as people
from app.people.forms import ProfileForm

Page = str | tuple[str, int] | Response


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile() -> Page:
    person = current_user.person
    form = ProfileForm(obj=person)
    if not form.validate_on_submit():
        return _page(form), 422 if form.errors else 200
    try:
        people.update_profile(
            db.session,
            person,
            email=form.email.data,
            mobile=form.mobile.data,
            notify_by=form.notify_by.data,
            language=form.language.data,
        )
    except InvalidContent as error:
        # The form checks the same rules; this is the service's last word, shown on its field.
        for name in error.errors:
            field = getattr(form, str(name), None) or form.notify_by
            field.errors.append(_("Kontrollera uppgiften."))
        return _page(form), 422
    session["lang"] = person.language
    refresh()  # the confirmation below is already in the newly chosen language
    flash(_("Dina uppgifter är sparade."))
    return redirect(url_for("employee.profile"))


def _page(form: ProfileForm) -> str:
    return render_template("employee/profile.html", form=form)
