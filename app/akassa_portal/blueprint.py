"""The a-kassa blueprint; only staff of a fund get past it, and being here puts them on the
a-kassa side."""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from app.akassa import service as akassa_service
from app.akassa.models import AkassaStaff
from app.auth import views as auth_views
from app.errors import Forbidden
from app.extensions import db

bp = Blueprint("akassa_portal", __name__, url_prefix="/akassa", template_folder="templates")


@bp.before_request
def _staff_only() -> None:
    """Anonymous visitors go on to the views' login redirect; a person who is not staff of a
    fund is refused before any certificate is looked up."""
    if not current_user.is_authenticated:
        return
    staff = akassa_service.staff_of(db.session, current_user.person.id)
    if staff is None:
        raise Forbidden("not_akassa_staff")
    g.akassa_staff = staff
    auth_views.enter_role("akassa")


def current_staff() -> AkassaStaff:
    """The logged-in officer's post (set by the blueprint's guard before every view)."""
    staff: AkassaStaff = g.akassa_staff
    return staff
