from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from app import seal
from app.eid.provider import settings
from app.verification import service

bp = Blueprint("verification", __name__, template_folder="templates")


@bp.route("/verifiera", methods=["GET", "POST"])
def verify_page() -> tuple[str, int]:
    """Anyone may check a file; nothing of it is stored or logged."""
    if request.method == "GET":
        return render_template("verification/verify.html", report=None, error=None), 200
    limit = current_app.config["VERIFY_MAX_UPLOAD"]
    upload = request.files.get("file")
    data = b""
    if upload:
        with upload.stream as stream:
            data = stream.read(limit + 1)
    if not data:
        return render_template("verification/verify.html", report=None, error="empty"), 400
    if len(data) > limit:
        return render_template("verification/verify.html", report=None, error="too_large"), 413
    report = service.verify(
        data,
        seals=[seal.current().certificate],
        bankid_roots=settings().trusted_roots,
        max_bytes=limit,
    )
    current_app.logger.info("file verified on /verifiera: %s", "valid" if report.ok else "invalid")
    return render_template("verification/verify.html", report=report, error=None), 200
