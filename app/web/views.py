from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
)
from werkzeug.wrappers import Response

from app.extensions import db
from app.web import overview

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)


@bp.get("/")
def index() -> str:
    """Anonymous visitors see who uses the service only on a demo installation: elsewhere the
    names of companies and their users are nobody's business."""
    shown = overview.build(db.session) if current_app.config["DEMO_OVERVIEW"] else None
    return render_template("web/index.html", overview=shown)


@bp.get("/sprak/<lang>")
def switch_language(lang: str) -> Response:
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next")))


def safe_next(target: str | None, default: str = "/") -> str:
    """Only paths on this site: an unchecked `next` would be an open redirect. Control
    characters (a header injection, or a NUL that PostgreSQL refuses) fall back to `default`."""
    if not target or not target.isprintable():
        return default
    parts = urlsplit(target)
    # Browsers read a backslash as a slash, so "/\\host" is as foreign as "//host".
    if parts.scheme or parts.netloc or not target.startswith("/") or "\\" in target:
        return default
    if target.startswith("//"):
        return default
    return target


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for the icon at the root, whatever the page links to."""
    return send_from_directory(
        bp.static_folder or "static", "favicon.ico", mimetype="image/vnd.microsoft.icon"
    )
