"""/api/v1: certificates for payroll systems, authenticated by the company's API key.

Thin: authenticate, call `app.api.service`, commit once, answer. Errors are answered by
`app.web.errors` as application/problem+json.
"""

from __future__ import annotations

import io
import uuid
from typing import Any, cast

import flask
from flask import Response, current_app, jsonify, request, url_for
from flask_smorest import Blueprint
from marshmallow import RAISE
from werkzeug.exceptions import RequestEntityTooLarge

from app.api import idempotency
from app.api import service as api_service
from app.api.auth import current_key
from app.api.schemas import (
    CertificateDetailOut,
    CertificatePage,
    CreatedPage,
    DocumentArgs,
    IdempotencyHeader,
    ListArgs,
)
from app.api.smorest import ApiBlueprint
from app.certificates.models import Certificate
from app.extensions import db
from app.i18n import current_locale
from app.intake import service as intake
from app.intake.messages import message_keys, outcome_text, warning_entries
from app.intake.records import Outcome
from app.web.downloads import MEDIA_TYPES, sealed_download

blueprint: flask.Blueprint = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Certificates: create drafts, follow their state, fetch signed documents.",
)
bp = cast(ApiBlueprint, blueprint)

CERTIFICATE_REF = {
    "oneOf": [
        {"$ref": "#/components/schemas/FullCertificate"},
        {"$ref": "#/components/schemas/Income2025Certificate"},
    ],
    "discriminator": {
        "propertyName": "variant",
        "mapping": {
            "full": "#/components/schemas/FullCertificate",
            "income_2025": "#/components/schemas/Income2025Certificate",
        },
    },
}
CREATE_BODY = {
    "required": True,
    "description": 'One certificate, a list of them, or {"certificates": [...]}. Each is stored '
    "as a draft, or none is: any problem is a 422 with a pointer. A certificate sent again (the "
    "same employment, or the same content) is matched to its draft by its record key: updated "
    "while a draft, unchanged when the same, locked (left as it is) once signed.",
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    CERTIFICATE_REF,
                    {"type": "array", "items": CERTIFICATE_REF},
                    {
                        "type": "object",
                        "required": ["certificates"],
                        "properties": {"certificates": {"type": "array", "items": CERTIFICATE_REF}},
                    },
                ]
            }
        }
    },
}


# Made once: a schema instance holds nothing of a dump, and making one costs as much as using it.
CREATED_PAGE = CreatedPage()


@bp.before_request
def _authenticate() -> None:
    """Every route needs the key, before its arguments are even read."""
    current_key()


def _summary(certificate: Certificate, **extra: Any) -> dict[str, Any]:
    fields = (
        "id",
        "variant",
        "state",
        "current_version",
        "employee",
        "period_start",
        "period_end",
        "created_at",
        "updated_at",
        "answer_deadline",
    )
    return {name: getattr(certificate, name) for name in fields} | extra


@bp.route("/certificates", methods=["POST"])
@bp.doc(
    summary="Create certificate drafts",
    requestBody=CREATE_BODY,
)
@bp.arguments(IdempotencyHeader(), location="headers")
@bp.response(201, CreatedPage, description="At least one record became a new draft.")
@bp.alt_response(
    200,
    schema=CreatedPage,
    description="Every record was known by its record key: updated, unchanged or locked.",
)
@bp.alt_response(400, response="BAD_REQUEST")
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def create_certificates(headers: dict[str, Any]) -> Response:
    key = current_key()
    limit: int = current_app.config["API_MAX_BYTES"]
    if (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    body = request.get_data(cache=False)
    given = headers.get("idempotency_key")
    idempotency_key = idempotency.check_key(given) if given is not None else None
    fingerprint = idempotency.request_hash(request.method, request.path, body)
    if idempotency_key is not None:
        stored = idempotency.replay(db.session, key, idempotency_key, fingerprint)
        if stored is not None:
            replayed = jsonify(stored.body)
            replayed.status_code = stored.status
            replayed.headers["Idempotent-Replayed"] = "true"
            return replayed
    db.pause()  # reading and validating the body needs no database (nor SQLite's write lock)
    results = intake.take_json(db.session, api_key=key, stream=io.BytesIO(body), max_bytes=limit)
    answer = CREATED_PAGE.dump({"certificates": [_result(item) for item in results]})
    status = 201 if any(item.outcome is Outcome.CREATED for item in results) else 200
    if idempotency_key is not None:
        idempotency.remember(
            db.session, key, idempotency_key, fingerprint, status=status, body=answer
        )
    response = jsonify(answer)
    response.status_code = status
    if len(results) == 1 and results[0].certificate is not None:
        response.headers["Location"] = url_for(
            "api.certificate", certificate_id=results[0].certificate.id
        )
    return response


def _result(result: intake.Result) -> dict[str, Any]:
    """A record's certificate, what became of it, and (when locked) why it was left alone."""
    locale = current_locale()
    return _summary(
        cast(Certificate, result.certificate),  # refused records made the request a 422
        outcome=str(result.outcome),
        detail=outcome_text(result, locale),
        problems=message_keys(result.errors),
        complete=result.complete,
        warnings=warning_entries(result, locale),
    )


@bp.route("/certificates", methods=["GET"])
@bp.doc(
    summary="List the company's certificates",
    description="Least recently changed first, so that paging with `updated_since` follows "
    "changes; pass `next_cursor` as `cursor` for the next page. Personnummer are masked.",
)
@bp.arguments(ListArgs, location="query", unknown=RAISE)
@bp.response(200, CertificatePage)
@bp.alt_response(400, response="BAD_REQUEST")
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def certificates(args: dict[str, Any]) -> dict[str, Any]:
    key = current_key()
    page = api_service.list_for_company(db.session, key.company_id, **args)
    return {
        "certificates": [_summary(c) for c in page.certificates],
        "next_cursor": page.next_cursor,
    }


@bp.route("/certificates/<uuid:certificate_id>", methods=["GET"])
@bp.doc(summary="One certificate: state, versions, completion messages, sealed documents")
@bp.response(200, CertificateDetailOut)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def certificate(certificate_id: uuid.UUID) -> dict[str, Any]:
    key = current_key()
    found = api_service.detail(db.session, key.company_id, certificate_id)
    c = found.certificate
    return _summary(
        c,
        delivered_at=c.delivered_at,
        approved_at=c.approved_at,
        closed_at=c.closed_at,
        versions=found.versions,
        completion_messages=found.messages,
        documents=found.documents,
    )


def _document(certificate_id: uuid.UUID, kind: str, version: int | None) -> Response:
    key = current_key()
    certificate, sealed = api_service.document(db.session, key.company_id, certificate_id, version)
    return sealed_download(certificate, sealed, kind)


def _document_doc(kind: str) -> dict[str, Any]:
    sealed = "XAdES-BES sealed XML" if kind == "xml" else "PAdES sealed PDF (the XML attached)"
    return {
        "summary": f"The signed certificate as {kind.upper()}",
        "responses": {
            "200": {
                "description": f"The {sealed} of the signed version.",
                "content": {MEDIA_TYPES[kind]: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    }


@bp.route("/certificates/<uuid:certificate_id>/document.xml", methods=["GET"])
@bp.doc(**_document_doc("xml"))
@bp.arguments(DocumentArgs, location="query", unknown=RAISE)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def document_xml(args: dict[str, Any], certificate_id: uuid.UUID) -> Response:
    return _document(certificate_id, "xml", args.get("version"))


@bp.route("/certificates/<uuid:certificate_id>/document.pdf", methods=["GET"])
@bp.doc(**_document_doc("pdf"))
@bp.arguments(DocumentArgs, location="query", unknown=RAISE)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def document_pdf(args: dict[str, Any], certificate_id: uuid.UUID) -> Response:
    return _document(certificate_id, "pdf", args.get("version"))
