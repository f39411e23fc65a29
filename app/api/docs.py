"""The OpenAPI document, served and checked in, and a readable page made from it.

The page is rendered on the server from the document itself: nothing is loaded from elsewhere,
and no script runs. `docs/openapi.json` holds the same document; a test fails when the two drift
(`flask --app wsgi openapi-write` writes it anew).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, Flask, Response, current_app, render_template
from flask.cli import with_appcontext

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1", template_folder="templates")

CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")


def document(app: Flask) -> dict[str, Any]:
    spec: dict[str, Any] = app.extensions["intyga.api"].spec.to_dict()
    return spec


def document_text(app: Flask) -> str:
    """The document as checked in: sorted keys, so a change shows as a readable diff."""
    return json.dumps(document(app), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@bp.get("/openapi.json")
def openapi_json() -> Response:
    return Response(document_text(current_app), mimetype="application/json")


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    body: str | None
    body_description: str
    responses: list[tuple[str, str, str]]

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".replace("/", "-").replace("{", "").replace("}", "")


@dataclass(frozen=True)
class Model:
    name: str
    description: str
    properties: list[Parameter] = field(default_factory=list)


def type_of(schema: Mapping[str, Any]) -> str:
    """A short, readable type: `Certificate`, `[Certificate]`, `string (date)`, `a | b`."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for combined in ("oneOf", "anyOf", "allOf"):
        if combined in schema:
            return " | ".join(type_of(part) for part in schema[combined])
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"] if value is not None)
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        kind = " | ".join(str(part) for part in kind if part != "null")
    if kind == "array":
        return f"[{type_of(schema.get('items', {}))}]"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def _responses(spec: Mapping[str, Any], responses: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    found = []
    for status, given in sorted(responses.items()):
        response = given
        if "$ref" in given:
            response = spec["components"]["responses"][given["$ref"].rsplit("/", 1)[-1]]
        content = response.get("content", {})
        kinds = ", ".join(
            f"{kind}: {type_of(body.get('schema', {}))}" for kind, body in content.items()
        )
        found.append((status, response.get("description", ""), kinds))
    return found


def operations(spec: Mapping[str, Any]) -> list[Operation]:
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody", {})
            body_types = [
                type_of(part.get("schema", {})) for part in body.get("content", {}).values()
            ]
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=[
                        Parameter(
                            name=parameter["name"],
                            where=parameter["in"],
                            type=type_of(parameter.get("schema", {})),
                            required=bool(parameter.get("required")),
                            description=parameter.get("description", ""),
                        )
                        for parameter in [
                            *item.get("parameters", []),
                            *operation.get("parameters", []),
                        ]
                    ],
                    body=" | ".join(body_types) if body_types else None,
                    body_description=body.get("description", ""),
                    responses=_responses(spec, operation.get("responses", {})),
                )
            )
    return found


def models(spec: Mapping[str, Any]) -> list[Model]:
    found = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        found.append(
            Model(
                name=name,
                description=schema.get("description", ""),
                properties=[
                    Parameter(
                        name=prop,
                        where="",
                        type=type_of(value),
                        required=prop in required,
                        description=value.get("description", ""),
                    )
                    for prop, value in schema.get("properties", {}).items()
                ],
            )
        )
    return found


@bp.get("/docs")
def docs_page() -> str:
    spec = document(current_app)
    return render_template(
        "api/docs.html",
        info=spec["info"],
        operations=operations(spec),
        models=models(spec),
    )


@click.command("openapi-write")
@click.option(
    "--path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=CHECKED_IN,
    show_default=True,
)
@with_appcontext
def openapi_write_command(path: Path) -> None:
    """Write the OpenAPI document to docs/openapi.json (the copy a test compares)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document_text(current_app), encoding="utf-8")
    click.echo(f"wrote {path}")
