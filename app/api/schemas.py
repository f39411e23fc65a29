"""The API's own schemas: query parameters, and what the API answers. Certificate content is
`schemas/`'s; these only wrap it. Every error is a message key, as in the content schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from app.api.idempotency import KEY_MAX_LENGTH
from app.certificates.models import State
from schemas import (
    FullCertificateSchema,
    Income2025CertificateSchema,
    mask_personnummer,
    validate_personnummer,
)
from schemas import fields as f
from schemas.messages import msg


class QuerySchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"unknown": msg("unknown_field"), "type": msg("not_object")}  # noqa: RUF012 - marshmallow's API


class ListArgs(QuerySchema):
    state = f.Choice(tuple(State), metadata={"description": "Only certificates in this state."})
    personnummer = f.Normalised(
        validate_personnummer,
        msg("invalid_personnummer"),
        metadata={"description": "Only this employee's certificates (10 or 12 digits)."},
    )
    updated_since = fields.AwareDateTime(
        error_messages={"invalid": msg("invalid"), "invalid_awareness": msg("invalid")},
        metadata={"description": "Only certificates changed at or after this time (RFC 3339)."},
    )
    cursor = f.Text(metadata={"description": "`next_cursor` of the previous page."})
    limit = f.Whole(
        load_default=50,
        validate=f.in_range(1, 200),
        metadata={"description": "Certificates per page, 1–200."},
    )


# Versions are stored as PostgreSQL `integer`: a larger number cannot name one (422, not 500).
VERSION_MAX = 2**31 - 1


class DocumentArgs(QuerySchema):
    version = f.Whole(
        validate=f.in_range(1, VERSION_MAX),
        metadata={"description": "The signed version; the newest signed one when left out."},
    )


class IdempotencyHeader(Schema):
    """Declared as a header argument (not in `@doc(parameters=...)`, which would replace a
    route's query parameters in the OpenAPI document). The view checks the key itself, so a
    bad one is the documented 400."""

    class Meta:
        unknown = EXCLUDE

    idempotency_key = fields.String(
        data_key="Idempotency-Key",
        metadata={
            "description": "Send the same key when retrying: the same body gets the first "
            "answer and nothing is created twice; the same key with another body is refused "
            "(409). 1–255 printable characters, not only spaces; otherwise 400.",
            "minLength": 1,
            "maxLength": KEY_MAX_LENGTH,
        },
    )


class MaskedPersonnummer(fields.String):
    """A personnummer shown as YYMMDD-****, as every list shows it."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else mask_personnummer(str(value))


class _Names(Schema):
    first_name = fields.String()
    last_name = fields.String()


class EmployeeOut(_Names):
    personnummer = MaskedPersonnummer(metadata={"description": "Masked: YYMMDD-****."})


class FullEmployeeOut(_Names):
    personnummer = fields.String(metadata={"description": "12 digits."})


class CertificateOut(Schema):
    id = fields.UUID()
    variant = fields.String(validate=validate.OneOf(["full", "income_2025"]))
    state = fields.String(validate=validate.OneOf(list(State)))
    current_version = fields.Integer()
    employee = fields.Nested(EmployeeOut)
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    answer_deadline = fields.AwareDateTime(
        allow_none=True, metadata={"description": "When the employee's six weeks end."}
    )


class CertificatePage(Schema):
    certificates = fields.List(fields.Nested(CertificateOut))
    next_cursor = fields.String(
        allow_none=True, metadata={"description": "Pass as `cursor` for the next page; null: done."}
    )


class WarningOut(Schema):
    """One warning, shaped as the entries of a problem's `errors`."""

    code = fields.String(
        metadata={"description": "Stable code of the rule, e.g. `identical_months`."}
    )
    key = fields.String(
        metadata={
            "description": "The code with its parameters after colons, as the signer "
            "confirms it, e.g. `century_assumed:1912`."
        }
    )
    pointer = fields.String(
        metadata={
            "description": "JSON pointer (RFC 6901) into this certificate as sent; empty "
            "when the warning is about the certificate as a whole."
        }
    )
    detail = fields.String(
        metadata={
            "description": "What to check or change, in Swedish or the Accept-Language asked."
        }
    )


class CreatedOut(CertificateOut):
    outcome = fields.String(
        metadata={
            "description": "What became of the record: created, updated (a draft sent again "
            "with other content), unchanged (sent again as it was) or locked (sent again with "
            "other content after it was signed: left as it is).",
            "enum": ["created", "updated", "unchanged", "locked"],
        }
    )
    detail = fields.String(metadata={"description": "The outcome in words, for people."})
    problems = fields.List(
        fields.String(),
        metadata={"description": "Message keys of why the record was left as it is (locked)."},
    )
    complete = fields.Boolean(
        metadata={"description": "Whether the draft passes every rule and can be signed as is."}
    )
    warnings = fields.List(
        fields.Nested(WarningOut),
        metadata={
            "description": "What looks wrong but may be true: the draft is stored, and the "
            "signer confirms each warning before signing."
        },
    )


class CreatedPage(Schema):
    certificates = fields.List(fields.Nested(CreatedOut))


class VersionOut(Schema):
    number = fields.Integer()
    created_at = fields.AwareDateTime()
    created_by = fields.String(attribute="created_by_label")
    signed_at = fields.AwareDateTime(allow_none=True)
    content_hash = fields.String(allow_none=True)
    content = fields.Dict(
        metadata={
            "description": "The content, as `FullCertificate` or `Income2025Certificate` define it."
        }
    )


class MessageOut(Schema):
    version_number = fields.Integer()
    author_role = fields.String()
    body = fields.String()
    created_at = fields.AwareDateTime()


class DocumentOut(Schema):
    version_number = fields.Integer()
    stage = fields.String(metadata={"description": "signed, or approved (with the employee's)."})
    created_at = fields.AwareDateTime()


class CertificateDetailOut(CertificateOut):
    employee = fields.Nested(FullEmployeeOut)
    delivered_at = fields.AwareDateTime(allow_none=True)
    approved_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    versions = fields.List(fields.Nested(VersionOut))
    completion_messages = fields.List(fields.Nested(MessageOut))
    documents = fields.List(fields.Nested(DocumentOut))


class FullCertificateIn(FullCertificateSchema):
    variant = fields.String(required=True, validate=validate.OneOf(["full"]))


class Income2025CertificateIn(Income2025CertificateSchema):
    variant = fields.String(required=True, validate=validate.OneOf(["income_2025"]))
