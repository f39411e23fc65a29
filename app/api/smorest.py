"""flask-smorest set up our way: errors mapped by `app.web.errors`, problem+json documented.

flask-smorest ships no type hints; `ApiBlueprint` states the part of its Blueprint we use.
"""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from flask_smorest import Api
from marshmallow import Schema, fields

from schemas import fields as content_fields

F = TypeVar("F", bound=Callable[..., Any])
PROBLEM_JSON = "application/problem+json"


class ApiBlueprint(Protocol):
    name: str

    def route(self, rule: str, **options: Any) -> Callable[[F], F]: ...

    def arguments(self, schema: Any, **options: Any) -> Callable[[F], F]: ...

    def response(
        self, status_code: int, schema: Any = None, **options: Any
    ) -> Callable[[F], F]: ...

    def alt_response(
        self, status_code: int, response: Any = None, **options: Any
    ) -> Callable[[F], F]: ...

    def doc(self, **kwargs: Any) -> Callable[[F], F]: ...

    def before_request(self, f: F) -> F: ...


class FieldErrorSchema(Schema):
    code = fields.String(metadata={"description": "Stable message key, e.g. `invalid_date`."})
    detail = fields.String(metadata={"description": "The message in the requested language."})
    pointer = fields.String(metadata={"description": "JSON pointer (RFC 6901) into the body."})
    parameter = fields.String(metadata={"description": "The query parameter at fault."})


class ProblemSchema(Schema):
    """RFC 9457 problem details, with `code` and field-level `errors`."""

    type = fields.String(metadata={"description": "`/problems/<code>`."})
    title = fields.String(metadata={"description": "In Swedish, or the Accept-Language asked."})
    status = fields.Integer()
    code = fields.String(metadata={"description": "Stable key of the problem."})
    errors = fields.List(fields.Nested(FieldErrorSchema))


def content_attributes(
    _converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """What apispec cannot see in the content fields: their codes (`Choice`), blocks a variant
    refuses, bounds as JSON numbers, and the SOAP element named in `metadata["xml"]`
    (OpenAPI's own `xml` keyword means something else, so the name moves to an extension)."""
    found: dict[str, Any] = {}
    name = field.metadata.get("xml")
    if isinstance(name, str):
        ret.pop("xml", None)
        found["x-soap-element"] = name
    if isinstance(field, content_fields.Choice):
        found["enum"] = list(field.choices)
    if isinstance(field, content_fields.NotInVariant):
        found |= {"not": {}, "description": "Not part of this variant."}
    for bound in (v for v in field.validators if isinstance(v, content_fields.InRange)):
        # apispec writes bounds through the field, and a Number dumps as a string ("168.00").
        found["minimum"] = bound.min
        if bound.max is not None:
            found["maximum"] = bound.max
    return found


class IntygaApi(Api):  # type: ignore[misc]  # flask-smorest is untyped
    """flask-smorest's Api, leaving error handling to `app.web.errors` (errors are mapped in
    one place) and documenting every error as application/problem+json."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        """Deliberately none: `app.web.errors` answers every error."""

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            if status >= 400:
                self.spec.components.response(
                    status.name,
                    {
                        "description": status.phrase,
                        "content": {PROBLEM_JSON: {"schema": self.ERROR_SCHEMA}},
                    },
                    lazy=True,
                )
