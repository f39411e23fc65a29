"""The employer blueprint, shared by its view modules; being here puts you on the employer side."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from app.auth import views as auth_views

bp = Blueprint(
    "employer",
    __name__,
    url_prefix="/arbetsgivare",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.before_request
def _on_the_employer_side() -> None:
    """The header then says "arbetsgivare", whichever way the person got here."""
    if current_user.is_authenticated and request.endpoint != "employer.static":
        auth_views.enter_role("employer")
