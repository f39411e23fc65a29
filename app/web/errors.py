"""Domain errors to HTTP, in one place: an HTML page for people, RFC 9457 problem+json for the
API. Unexpected errors are logged and never show their text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.errors import (
    Conflict,
    DeadlinePassed,
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidContent,
    NotFound,
    Unauthenticated,
    WarningsNotConfirmed,
)
from app.extensions import db
from app.intake.messages import describe, localize, problem_text

STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (Conflict, 409),
    (IllegalTransition, 409),
    (DeadlinePassed, 409),
    (InvalidContent, 422),
    (WarningsNotConfirmed, 422),
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
        "warnings_not_confirmed": _(
            "Intyget har varningar. Kontrollera dem och bekräfta innan du skriver under."
        ),
        "message_required": _("Skriv ett meddelande."),
        "message_too_long": _("Meddelandet är för långt."),
        "company_exists": _("Företaget har redan ett konto."),
        "not_member_of_akassa": _("Du kan bara skicka intyget till din egen a-kassa."),
        "akassa_not_found": _("A-kassan finns inte."),
        "not_akassa_staff": _("Du är inte handläggare på någon a-kassa i Intyga."),
        "version_not_found": _("Versionen finns inte."),
        "request_not_found": _("Begäran om intyg finns inte."),
        "company_not_registered": _("Företaget finns inte hos Intyga än."),
        "already_requested": _("Du har redan bett företaget om ett intyg för samma period."),
        "certificate_for_someone_else": _("Intyget gäller en annan person än begäran."),
        "reason_required": _("Skriv ett skäl."),
        "reason_too_long": _("Skälet är för långt."),
        "domain_error": _("Det gick inte att genomföra."),
        "eid_order_not_found": _("Inloggningen eller underskriften finns inte. Börja om."),
        "eid_order_used": _("Den här inloggningen eller underskriften är redan använd. Börja om."),
        "eid_order_not_complete": _("BankID är inte klart än."),
        "unauthenticated": _("Du behöver logga in."),
        "api_key_invalid": _(
            "API-nyckeln saknas, är fel eller har återkallats. Skicka den som "
            "Authorization: Bearer <nyckel>."
        ),
        "api_key_not_found": _("API-nyckeln finns inte."),
        "api_key_name_required": _("Ge nyckeln ett namn."),
        "api_key_name_too_long": _("Nyckelns namn är för långt."),
        "idempotency_key_reused": _(
            "Idempotency-Key har redan använts för ett annat anrop. Använd en ny nyckel."
        ),
        "idempotency_key_in_use": _(
            "Ett anrop med samma Idempotency-Key pågår redan. Försök igen om en stund."
        ),
        "document_not_signed": _("Intyget har ingen underskriven version än."),
        "invalid_cursor": _("Ogiltig cursor. Börja om från första sidan."),
        "idempotency_key_invalid": _("Idempotency-Key ska vara 1–255 skrivbara tecken."),
        "http_422": _("Anropet innehåller fel. Se errors."),
        "http_429": _("För många anrop. Vänta en stund och försök igen."),
        "database_unavailable": _(
            "Intyga kan inte nå sin databas just nu. Inget av det du gjorde har sparats "
            "till hälften. Försök igen om en stund."
        ),
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
    if _wants_problem_json():
        extra: dict[str, Any] = {}
        if isinstance(error, InvalidContent):
            extra["errors"] = problem_errors(error.errors, _locale())
        response = problem(status, error.code, title, **extra)
        if isinstance(error, Unauthenticated):
            response.headers["WWW-Authenticate"] = 'Bearer realm="intyga"'
        return response
    errors = localize(error.errors, _locale()) if isinstance(error, InvalidContent) else None
    return error_page(title, status, errors=errors)


def handle_http_error(error: HTTPException) -> Response | tuple[str, int] | HTTPException:
    if error.code is None:
        return error
    code = f"http_{error.code}"
    title = titles()["not_found"] if error.code == 404 else titles().get(code, error.name)
    if _wants_problem_json():
        extra: dict[str, Any] = {}
        data = getattr(error, "data", None)  # webargs puts validation messages here
        if isinstance(data, Mapping) and isinstance(data.get("messages"), Mapping):
            extra["errors"] = [
                entry
                for location, errors in data["messages"].items()
                for entry in problem_errors(errors, _locale(), location=str(location))
            ]
        response = problem(error.code, code, title, **extra)
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
    return error_page(title, error.code)


def handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    current_app.logger.exception("unhandled error", exc_info=error)
    _roll_back()
    if _database_down(error):
        status, code, title = 503, "database_unavailable", titles()["database_unavailable"]
    else:
        status, code = 500, "internal_error"
        title = _("Ett oväntat fel inträffade. Försök igen om en stund.")
    if _wants_problem_json():
        response = problem(status, code, title)
    else:
        # Without a database the full page cannot say who is logged in: the plain one at once.
        page = plain_error_page(title) if status == 503 else error_page(title, status)[0]
        response = Response(page, status=status, mimetype="text/html")
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response


def error_page(title: str, status: int, **context: Any) -> tuple[str, int]:
    """Our own error page; when even that cannot be drawn (the header asks the database who is
    logged in), a plain one that needs nothing but the request. Never Werkzeug's bare page."""
    try:
        return render_template("web/error.html", title=title, status=status, **context), status
    except Exception:
        current_app.logger.exception("the error page failed; answering with the plain one")
        _roll_back()
        return plain_error_page(title), status


def plain_error_page(title: str) -> str:
    """Rendered without the context processors, which look up the logged-in person."""
    template = current_app.jinja_env.get_template("web/error_plain.html")
    return template.render(title=title, lang=_locale())


def _database_down(error: Exception) -> bool:
    """Lost connections, refused connections, a session left unusable by one of them."""
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or type(error.orig).__name__ in (
            "OperationalError",
            "InterfaceError",
        )
    return isinstance(error, SQLAlchemyError) and "rolled back" in str(error)


def _roll_back() -> None:
    """Undo the request's work before answering: nothing half done, and a session that can be
    used again (or is dropped, if its connection is gone)."""
    try:
        db.session.rollback()
    except Exception:
        current_app.logger.warning("rollback after an error failed", exc_info=True)


def problem_errors(
    errors: Mapping[Any, Any] | list[Any], locale: str, *, location: str = "json"
) -> list[dict[str, str]]:
    """Field errors (message keys in marshmallow's nested shape) as RFC 9457 `errors`: one
    entry per message, with a JSON pointer into the body, or the parameter's name."""
    found = []
    for path, key in _leaves(errors, ()):
        code, *params = key.split(":")
        entry = {"code": code, "detail": field_message(code, params, locale)}
        if location == "json":
            entry["pointer"] = "".join("/" + _escape(part) for part in path)
            entry["detail"] = _named(code, params, locale, path)
        else:
            entry["parameter"] = ".".join(str(part) for part in path)
        found.append(entry)
    return found


def field_message(code: str, params: Sequence[str], locale: str) -> str:
    """The text of a field error or import problem (`app.intake.messages`)."""
    return describe(code, params, locale)


def _named(code: str, params: Sequence[str], locale: str, path: tuple[Any, ...]) -> str:
    """The message naming its field (and which certificate of a list): "Personnummer saknas
    i intyg 2."."""
    parts = [str(part) for part in path]
    record = parts[: 2 if parts[:1] == ["certificates"] else 1] if parts else []
    if not (record and record[-1].isdigit()):
        record = []
    field = ".".join(parts[len(record) :])
    pointer = "".join("/" + part for part in record)
    return problem_text(code, params, locale, field=field, pointer=pointer)


def _leaves(errors: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(errors, str):
        yield path, errors
    elif isinstance(errors, Mapping):
        for name, value in errors.items():
            yield from _leaves(value, path if name == "_schema" else (*path, name))
    elif isinstance(errors, list | tuple):
        for item in errors:
            yield from _leaves(item, path)


def _escape(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _locale() -> str:
    from app.i18n import current_locale  # noqa: PLC0415 - avoids an import cycle at start-up

    return current_locale()


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
