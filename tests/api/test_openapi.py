"""The OpenAPI document: served, readable without loading anything, and checked in."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner

from app.api.docs import CHECKED_IN

REGENERATE = "flask --app wsgi openapi-write"


def test_the_checked_in_document_matches_the_api(client: FlaskClient) -> None:
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.mimetype == "application/json"
    assert served.get_data(as_text=True) == CHECKED_IN.read_text(encoding="utf-8"), (
        f"docs/openapi.json is out of date: run `{REGENERATE}` and commit the result"
    )


def test_the_document_describes_every_route_and_problem(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    assert spec is not None
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {
        "/api/v1/certificates",
        "/api/v1/certificates/{certificate_id}",
        "/api/v1/certificates/{certificate_id}/document.xml",
        "/api/v1/certificates/{certificate_id}/document.pdf",
        "/api/v1/imports",
        "/api/v1/imports/{job_id}",
        "/api/v1/imports/template.csv",
    }
    create = spec["paths"]["/api/v1/certificates"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert set(create["responses"]) >= {"201", "401", "409", "422", "429"}
    problem = spec["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert list(problem) == ["application/problem+json"]
    schemas = spec["components"]["schemas"]
    employee = schemas["Employee"]["properties"]["personnummer"]
    assert employee["x-soap-element"] == "Personnummer"
    assert "xml" not in employee
    assert schemas["Income2025Certificate"]["properties"]["salary"]["not"] == {}
    assert spec["security"] == [{"bearer": []}]


def test_the_docs_page_is_made_on_the_server_from_the_document(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "POST /api/v1/certificates" in html
    assert "Idempotency-Key" in html
    assert 'id="schema-FullCertificate"' in html
    assert "<script" not in html
    assert "//cdn" not in html
    assert "https://" not in html


def test_the_cli_writes_the_document(runner: FlaskCliRunner, tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    result = runner.invoke(args=["openapi-write", "--path", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text()) == json.loads(CHECKED_IN.read_text())
