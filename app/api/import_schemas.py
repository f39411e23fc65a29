"""What the import routes take and answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields

from app.api.schemas import QuerySchema
from app.i18n import current_locale
from app.imports.models import JobState
from app.imports.service import FORMATS
from app.intake.messages import job_message
from schemas import fields as f


class ImportArgs(QuerySchema):
    format = f.Choice(
        FORMATS,
        required=True,
        metadata={"description": "The file's format: `json`, `paxml`, `agi` or `csv`."},
    )
    filename = f.Text(metadata={"description": "The file's name, shown in the job list."})


class ImportProblemOut(Schema):
    code = fields.String(metadata={"description": "Stable key, e.g. `invalid_personnummer`."})
    detail = fields.String(metadata={"description": "The problem in the requested language."})
    pointer = fields.String(
        metadata={
            "description": "Where in the file: an element path (XML), a JSON pointer, or "
            "`#cell=row,column` (CSV, RFC 7111)."
        }
    )
    line = fields.Integer(allow_none=True)
    field = fields.String(allow_none=True, metadata={"description": "The content field at fault."})
    severity = fields.String(
        metadata={
            "description": "`error`: the record (or the file) was not used; `warning`: the "
            "record was stored, and this is what looked wrong in it.",
            "enum": ["error", "warning"],
        }
    )


def _message(job: Any) -> str | None:
    error = job["error"] if isinstance(job, Mapping) else job.error
    return job_message(error, current_locale()) if error else None


class ImportJobOut(Schema):
    id = fields.UUID()
    format = fields.String()
    filename = fields.String(allow_none=True)
    size = fields.Integer(metadata={"description": "Bytes received."})
    state = fields.String(
        metadata={"description": "`queued`, `running`, `done` or `failed`.", "enum": list(JobState)}
    )
    records_read = fields.Integer()
    created = fields.Integer(metadata={"description": "Drafts or income statements created."})
    updated = fields.Integer(metadata={"description": "Existing ones brought up to date."})
    unchanged = fields.Integer(metadata={"description": "Already imported exactly so."})
    locked = fields.Integer(
        metadata={
            "description": "Sent again with other content after the certificate was signed: "
            "left as it is (each with a `record_locked` problem)."
        }
    )
    failed = fields.Integer(metadata={"description": "Records that could not be used."})
    problem_count = fields.Integer(
        metadata={"description": "All problems; `problems` lists the first 1,000 entries."}
    )
    warning_count = fields.Integer(
        metadata={"description": "Warnings about records that were stored (`severity` warning)."}
    )
    error = fields.String(
        allow_none=True,
        metadata={
            "description": "Why a failed job stopped (a problem code), or "
            "`nothing_importable` when a job read the file to its end (`done`) and nothing in "
            "it could be stored: `problems` say why."
        },
    )
    message = fields.Function(
        _message,
        allow_none=True,
        metadata={"type": "string", "description": "`error` in words, in the requested language."},
    )
    created_at = fields.AwareDateTime()
    started_at = fields.AwareDateTime(allow_none=True)
    finished_at = fields.AwareDateTime(allow_none=True)


class ImportJobDetailOut(ImportJobOut):
    problems = fields.List(fields.Nested(ImportProblemOut))


class ImportJobPage(Schema):
    imports = fields.List(fields.Nested(ImportJobOut))
