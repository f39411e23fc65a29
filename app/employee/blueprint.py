"""The employee blueprint, shared by its view modules; being here puts you on the employee side."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from app.auth import views as auth_views

bp = Blueprint("employee", __name__, url_prefix="/arbetstagare", template_folder="templates")


@bp.before_request
def _on_the_employee_side() -> None:
    """The header then says "arbetstagare", whichever way the person got here."""
    if current_user.is_authenticated:
        auth_views.enter_role("employee")
