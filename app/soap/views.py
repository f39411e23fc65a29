"""/HR_SystemService/ArbetsgivarintygService.svc: POST a SOAP request, GET ?wsdl.

Answers are SOAP, never HTML: every error in this blueprint becomes a fault. No cookies and no
CSRF: the sender authenticates in the body.
"""

from __future__ import annotations

import io

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.api import throttle
from app.errors import DomainError
from app.extensions import db
from app.i18n import current_locale
from app.intake.messages import describe_key, outcome_text, problem_text
from app.intake.records import Outcome
from app.soap import envelope
from app.soap.envelope import CONTENT_TYPE, Namespaces, Row
from app.soap.service import CertificateResult, ImportResult, ResultCode, SoapFault, import_request
from app.soap.wsdl import wsdl
from app.web.errors import field_message, problem_errors
from payroll_adapters import Problem
from payroll_adapters.messages import describe

PATH = "/HR_SystemService/ArbetsgivarintygService.svc"
bp = Blueprint("soap", __name__)


def _xml(body: bytes, status: int = 200) -> Response:
    return Response(body, status=status, content_type=CONTENT_TYPE)


def _fault(code: str, message: str, detail: str) -> Response:
    # SOAP 1.1 over HTTP answers every fault with 500 (WS-I Basic Profile R1126).
    return _xml(envelope.fault(code, message, detail=detail, lang=current_locale()), 500)


@bp.get(PATH)
def service_description() -> Response:
    if "wsdl" not in {name.lower() for name in request.args}:
        return _fault("Client", _("Hämta tjänstebeskrivningen med ?wsdl."), "wsdl_only")
    return _xml(wsdl(request.base_url))


@bp.post(PATH)
def save_certificates() -> Response:
    limit: int = current_app.config["SOAP_MAX_BYTES"]
    if (request.content_length or 0) > limit:
        return _too_large(limit)
    data = request.stream.read(limit + 1)
    try:
        result = import_request(db.session, io.BytesIO(data), max_bytes=limit)
    except SoapFault as fault:
        return _fault("Client", _describe(fault.problem), fault.problem.code)
    if result.code == ResultCode.NOT_AUTHENTICATED:
        throttle.record_failure()
    return _xml(_answer(result, envelope.namespaces_of(data)))


def _answer(result: ImportResult, namespaces: Namespaces) -> bytes:
    if result.code == ResultCode.NOT_AUTHENTICATED:
        message = _("ArbetsgivareId och ApiNyckel hör inte ihop med någon giltig API-nyckel.")
    else:
        counts = {
            _("skapade"): result.count(Outcome.CREATED),
            _("uppdaterade"): result.count(Outcome.UPDATED),
            _("oförändrade"): result.count(Outcome.UNCHANGED),
            _("redan underskrivna"): result.count(Outcome.LOCKED),
            _("avvisade"): result.count(Outcome.REFUSED),
        }
        message = _(
            "%(total)s intyg – %(counts)s.",
            total=len(result.certificates),
            counts=", ".join(f"{name}: {count}" for name, count in counts.items() if count),
        )
    rows = [
        Row(str(item.certificate_id or ""), int(item.code), _certificate_message(item))
        for item in result.certificates
    ]
    return envelope.import_response(namespaces, code=int(result.code), message=message, rows=rows)


def _certificate_message(item: CertificateResult) -> str:
    """What became of the certificate, in the words every face uses, then each warning to
    check before signing; field by field when its content was refused."""
    locale = current_locale()
    if item.result is None:
        return "\n".join(_describe(problem) for problem in item.problems)
    if item.result.outcome is not Outcome.REFUSED:
        pointers = item.result.pointers
        warnings = [
            _("Varning: %(text)s", text=_at_field(pointers.get(key, ""), describe_key(key, locale)))
            for key in item.result.warnings
        ]
        return "\n".join([outcome_text(item.result, locale), *warnings])
    return "\n".join(
        _at_field(entry["pointer"], entry["detail"])
        for entry in problem_errors(item.result.errors, locale)
    )


def _at_field(pointer: str, text: str) -> str:
    """A message after the content field it is about, named as a dotted path."""
    return f"{pointer.lstrip('/').replace('/', '.')}: {text}".lstrip(": ")


def _describe(problem: Problem) -> str:
    """The problem in plain words with where it is: line, element path, field."""
    locale = current_locale()
    text = problem_text(
        problem.code, problem.params, locale, field=problem.field, pointer=problem.pointer
    )
    where = [describe("at_line", (str(problem.line),), locale)] if problem.line is not None else []
    where += [problem.pointer] if problem.pointer else []
    return f"{', '.join(where)}: {text}" if where else text


def _too_large(limit: int) -> Response:
    return _fault(
        "Client", field_message("too_large", (str(limit),), current_locale()), "too_large"
    )


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    return _fault(
        "Client" if (error.code or 500) < 500 else "Server", error.name, f"http_{error.code}"
    )


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Response:
    return _fault("Server", _("Intygen kunde inte sparas. Försök igen."), error.code)


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled error in the SOAP service", exc_info=error)
    return _fault(
        "Server", _("Ett oväntat fel inträffade. Försök igen om en stund."), "internal_error"
    )
