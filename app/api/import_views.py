"""/api/v1/imports: payroll files queued for the worker, and how far it has come with them.

A file is stored as it streams in and answered 202 at once; the worker (`flask worker`) reads
it into drafts or AGI income. Registered on the API blueprint, so the key, the rate limit and
problem+json apply as to every other route.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import IO, Any, BinaryIO, cast

from flask import Response, current_app, jsonify, request, url_for
from marshmallow import RAISE
from werkzeug.exceptions import RequestEntityTooLarge

from app.api import idempotency
from app.api.auth import current_key
from app.api.import_schemas import ImportArgs, ImportJobDetailOut, ImportJobOut, ImportJobPage
from app.api.schemas import IdempotencyHeader
from app.api.views import bp
from app.extensions import db
from app.i18n import current_locale
from app.imports import service as imports
from app.imports import spool
from app.imports.models import ImportJob
from app.intake.messages import problem_text
from payroll_adapters import csv_template

IMPORT_BODY = {
    "required": True,
    "description": "The file itself, as the request body (not a form). Its size is limited by "
    "`IMPORT_MAX_BYTES` (200 MiB unless configured): larger is a 413.",
    "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "application/xml": {"schema": {"type": "string"}},
        "application/json": {"schema": {}},
        "text/csv": {"schema": {"type": "string"}},
    },
}


class _Hashing:
    """The request body as it is read, hashed on the way for `Idempotency-Key`."""

    def __init__(self, stream: IO[bytes], digest: hashlib._Hash) -> None:
        self._stream, self.digest = stream, digest

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.digest.update(data)
        return data


def job_json(job: ImportJob) -> dict[str, Any]:
    answer: dict[str, Any] = ImportJobOut().dump(job)
    return answer


@bp.route("/imports", methods=["POST"])
@bp.doc(
    summary="Queue a payroll file for import",
    description="JSON (our certificate format), PAXml 2.x, Skatteverket's AGI XML 1.1 or our "
    "CSV. Answers 202 with the job at once; follow `Location` for its progress. Drafts are "
    "created for certificates, AGI statements fill the income tables. Importing the same "
    "file again creates nothing new.",
    requestBody=IMPORT_BODY,
)
@bp.arguments(ImportArgs, location="query", unknown=RAISE)
@bp.arguments(IdempotencyHeader(), location="headers")
@bp.response(202, ImportJobOut)
@bp.alt_response(400, response="BAD_REQUEST")
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def create_import(args: dict[str, Any], headers: dict[str, Any]) -> Response:
    key = current_key()
    limit = int(current_app.config["IMPORT_MAX_BYTES"])
    if (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    request.max_content_length = limit
    given = headers.get("idempotency_key")
    idempotency_key = idempotency.check_key(given) if given is not None else None
    body = _Hashing(
        request.stream, idempotency.hasher("POST", f"{request.path}?format={args['format']}")
    )
    try:
        job = imports.create_job(
            db.session,
            company_id=key.company_id,
            format=args["format"],
            stream=cast(BinaryIO, body),  # it has the one method read
            max_bytes=limit,
            filename=args.get("filename"),
            api_key_id=key.id,
        )
    except spool.TooLarge:
        raise RequestEntityTooLarge() from None
    answer = job_json(job)
    replayed = False
    if idempotency_key is not None:
        fingerprint = body.digest.hexdigest()
        stored = idempotency.replay(db.session, key, idempotency_key, fingerprint)
        if stored is not None:
            db.session.rollback()  # the first request's job is the one
            answer, replayed = stored.body, True
        else:
            idempotency.remember(
                db.session, key, idempotency_key, fingerprint, status=202, body=answer
            )
    response = jsonify(answer)
    response.status_code = 202
    response.headers["Location"] = url_for("api.import_job", job_id=answer["id"])
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.route("/imports", methods=["GET"])
@bp.doc(summary="The company's import jobs, newest first (the latest 50)")
@bp.response(200, ImportJobPage)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def import_jobs() -> dict[str, Any]:
    key = current_key()
    jobs = imports.list_jobs(db.session, key.company_id)
    return {"imports": jobs}


@bp.route("/imports/<uuid:job_id>", methods=["GET"])
@bp.doc(
    summary="One import job: its progress and the problems found, each with a pointer",
    description="Poll while `state` is `queued` or `running`; the counters grow as the "
    "worker commits.",
)
@bp.response(200, ImportJobDetailOut)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def import_job(job_id: uuid.UUID) -> dict[str, Any]:
    key = current_key()
    job = imports.get_job(db.session, key.company_id, job_id)
    found = imports.problems(db.session, job)
    locale = current_locale()
    return {name: getattr(job, name) for name in ImportJobOut().fields if name != "message"} | {
        "problems": [
            {
                "code": problem.code,
                "detail": problem_text(
                    problem.code,
                    problem.params,
                    locale,
                    field=problem.field,
                    pointer=problem.pointer,
                ),
                "severity": problem.severity,
                "pointer": problem.pointer,
                "line": problem.line,
                "field": problem.field,
            }
            for problem in found
        ]
    }


@bp.route("/imports/template.csv", methods=["GET"])
@bp.doc(
    summary="The CSV template: every column, and one example row",
    responses={
        "200": {
            "description": "Semicolon-separated, UTF-8, decimal comma.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
@bp.alt_response(401, response="UNAUTHORIZED")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
def import_template() -> Response:
    return csv_response()


def csv_response() -> Response:
    return Response(
        csv_template().encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="intyga-mall.csv"'},
    )
