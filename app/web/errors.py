"""Domain errors to HTTP, in one place: an HTML page for people, RFC 9457 problem+json for the
API. Unexpected errors are logged and never show their text."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.errors import (
    Conflict,
    DeadlinePassed,
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidContent,
    NotFound,
)
from schemas import localize

STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (IllegalTransition, 409),
    (DeadlinePassed, 409),
    (InvalidContent, 422),
    (DomainError, 400),
)


def titles() -> dict[str, str]:
    return {
        "not_found": _("Sidan eller uppgiften finns inte."),
        "certificate_not_found": _("Intyget finns inte."),
        "forbidden": _("Du har inte behörighet till detta."),
        "not_allowed_for_company": _("Du har inte behörighet för det här företaget."),
        "conflict": _("Någon annan hann ändra först."),
        "changed_by_someone_else": _(
            "Någon annan har ändrat intyget medan du arbetade. Ladda om sidan och försök igen."
        ),
        "version_changed": _("Intyget har en nyare version. Läs den innan du godkänner."),
        "illegal_transition": _("Det går inte att göra så med intyget i dess nuvarande läge."),
        "deadline_passed": _("Tiden på sex veckor för att svara har gått ut."),
        "deadline_not_reached": _("Tiden att svara har inte gått ut än."),
        "invalid_content": _("Uppgifterna innehåller fel. Rätta de markerade fälten."),
        "message_required": _("Skriv ett meddelande."),
        "message_too_long": _("Meddelandet är för långt."),
        "company_exists": _("Företaget har redan ett konto."),
        "not_member_of_akassa": _("Du kan bara skicka intyget till din egen a-kassa."),
        "akassa_not_found": _("A-kassan finns inte."),
        "version_not_found": _("Versionen finns inte."),
        "domain_error": _("Det gick inte att genomföra."),
        "eid_order_not_found": _("Inloggningen eller underskriften finns inte. Börja om."),
        "eid_order_used": _("Den här inloggningen eller underskriften är redan använd. Börja om."),
        "eid_order_not_complete": _("BankID är inte klart än."),
    }


def status_of(error: DomainError) -> int:
    if getattr(error, "unavailable", False):
        return 503
    return next(code for kind, code in STATUS if isinstance(error, kind))


def _wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, code: str, title: str, **extra: Any) -> Response:
    body = {"type": f"/problems/{code}", "title": title, "status": status, "code": code, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def handle_domain_error(error: DomainError) -> Response | tuple[str, int]:
    status = status_of(error)
    title = getattr(error, "message", None) or titles().get(error.code, titles()["domain_error"])
    extra: dict[str, Any] = {}
    if isinstance(error, InvalidContent):
        extra["errors"] = localize(error.errors, _locale())
    if _wants_problem_json():
        return problem(status, error.code, title, **extra)
    return render_template("web/error.html", title=title, status=status, **extra), status


def handle_http_error(error: HTTPException) -> Response | tuple[str, int] | HTTPException:
    if error.code is None:
        return error
    title = error.name if error.code != 404 else titles()["not_found"]
    if _wants_problem_json():
        return problem(error.code, f"http_{error.code}", title)
    return render_template("web/error.html", title=title, status=error.code), error.code


def handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    current_app.logger.exception("unhandled error", exc_info=error)
    title = _("Ett oväntat fel inträffade. Försök igen om en stund.")
    if _wants_problem_json():
        return problem(500, "internal_error", title)
    return render_template("web/error.html", title=title, status=500), 500


def _locale() -> str:
    from app.i18n import current_locale  # noqa: PLC0415 - avoids an import cycle at start-up

    return current_locale()


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
