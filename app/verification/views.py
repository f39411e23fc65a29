from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from app import seal
from app.eid.provider import settings
from app.i18n import current_locale
from app.verification import service
from app.verification.explain import evidence, explain

bp = Blueprint("verification", __name__, template_folder="templates")


@bp.route("/verifiera", methods=["GET", "POST"])
def verify_page() -> tuple[str, int]:
    """Anyone may check a file; nothing of it is stored or logged."""
    if request.method == "GET":
        return _page(), 200
    limit = current_app.config["VERIFY_MAX_UPLOAD"]
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(error="missing"), 400
    with upload.stream as stream:
        data = stream.read(limit + 1)
    if not data:
        return _page(error="empty"), 400
    if len(data) > limit:
        return _page(error="too_large"), 413
    report = service.verify(
        data,
        seals=seal.trusted(),
        bankid_roots=settings().trusted_roots,
        max_bytes=limit,
    )
    current_app.logger.info("file verified on /verifiera: %s", "valid" if report.ok else "invalid")
    return _page(report=report), 200


def _page(*, report: service.SealedReport | None = None, error: str | None = None) -> str:
    locale = current_locale()
    why = explain(report, locale) if report is not None else None
    proof = evidence(report, locale) if report is not None else None
    return render_template(
        "verification/verify.html", report=report, error=error, why=why, proof=proof
    )
