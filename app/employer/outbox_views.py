"""Messages to the company that were given up after the last try (admins only): what they were
about, why they failed, and a button to put one back in line once the cause is fixed."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth import login_required
from app.employer import context
from app.employer.blueprint import bp
from app.extensions import db
from app.i18n import current_locale
from app.notifications.texts import TEXTS, Audience, text_for
from app.outbox import service as outbox

AUDIENCES: tuple[Audience, ...] = ("company", "invitee")


@bp.get("/foretag/meddelanden")
@login_required
def dead_letters() -> str:
    admin = context.current_admin()
    letters = outbox.dead_letters(db.session, admin.company_id)
    return render_template(
        "employer/dead_letters.html",
        membership=admin,
        letters=letters,
        subjects={m.id: _subject(m.template) for m in letters},
    )


@bp.post("/foretag/meddelanden/<number:message_id>/forsok-igen")
@login_required
def retry_dead_letter(message_id: int) -> Response:
    admin = context.current_admin()
    outbox.retry_dead_letter(db.session, admin.company_id, message_id)
    flash(_("Meddelandet skickas igen vid nästa försök."))
    return redirect(url_for("employer.dead_letters"))


def _subject(template: str) -> str:
    """The message's subject line; a company's letters include invitations it sent."""
    for audience in AUDIENCES:
        if (template, audience) in TEXTS:
            return text_for(template, audience, current_locale()).subject
    return template
