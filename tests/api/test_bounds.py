"""Found by fuzzing: numbers beyond what the database stores, empty Idempotency-Keys, and an
OpenAPI document that must say what the server enforces (a client generated from it works)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.certificates.models import Certificate
from tests.api.conftest import Tenant
from tests.api.support import body, certificate_json, is_problem, json_of


@pytest.mark.parametrize("version", ["0", "-1", str(2**31), str(2**63), str(10**30)])
@pytest.mark.parametrize("kind", ["pdf", "xml"])
def test_a_version_beyond_any_stored_one_is_a_422(
    client: FlaskClient, mine: Tenant, draft: Certificate, version: str, kind: str
) -> None:
    response = client.get(
        f"/api/v1/certificates/{draft.id}/document.{kind}?version={version}", headers=mine.headers
    )
    problem = is_problem(response, 422, "http_422")
    assert [(e["parameter"], e["code"]) for e in problem["errors"]] in (
        [("version", "out_of_range")],
        [("version", "not_integer")],
    )


def test_the_largest_stored_version_is_a_plain_404(
    client: FlaskClient, mine: Tenant, draft: Certificate
) -> None:
    response = client.get(
        f"/api/v1/certificates/{draft.id}/document.pdf?version={2**31 - 1}", headers=mine.headers
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/arbetsgivare/intyg/{id}/version/{n}/intyg.pdf",
        "/arbetstagare/intyg/{id}/dokument/{n}.xml",
    ],
)
@pytest.mark.parametrize("number", [0, 2**31, 2**63, 10**30])
def test_a_number_in_a_page_path_beyond_the_database_is_a_404(
    client: FlaskClient, path: str, number: int
) -> None:
    response = client.get(path.format(id=uuid.uuid4(), n=number))
    assert response.status_code == 404


def test_a_message_number_beyond_the_database_is_a_404(client: FlaskClient) -> None:
    assert client.post(f"/foretag/meddelanden/{2**31}/forsok-igen").status_code == 404


@pytest.mark.parametrize("key", ["", "   ", "\x01", "k" * 256])
@pytest.mark.parametrize("path", ["/api/v1/certificates", "/api/v1/imports?format=json"])
def test_a_bad_idempotency_key_is_the_documented_400(
    client: FlaskClient, mine: Tenant, key: str, path: str
) -> None:
    response = client.post(
        path,
        data=body({"certificates": [certificate_json()]}),
        headers=mine.headers | {"Idempotency-Key": key, "Content-Type": "application/json"},
    )
    is_problem(response, 400, "idempotency_key_invalid")


def _operation(client: FlaskClient, path: str, method: str) -> dict[str, Any]:
    document = json_of(client.get("/api/v1/openapi.json"))
    operation: dict[str, Any] = document["paths"][path][method]
    return operation


def _parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation["parameters"]}


def test_the_import_endpoint_documents_its_format_and_key(client: FlaskClient) -> None:
    operation = _operation(client, "/api/v1/imports", "post")
    parameters = _parameters(operation)
    assert parameters["format"]["in"] == "query"
    assert parameters["format"]["required"] is True
    assert parameters["format"]["schema"]["enum"] == ["json", "paxml", "agi", "csv"]
    key = parameters["Idempotency-Key"]
    assert key["in"] == "header"
    assert key["schema"] | {"type": "string"} == {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
    }
    assert "400" in operation["responses"]


def test_the_document_states_the_bounds_the_server_enforces(client: FlaskClient) -> None:
    listing = _parameters(_operation(client, "/api/v1/certificates", "get"))
    assert (listing["limit"]["schema"]["minimum"], listing["limit"]["schema"]["maximum"]) == (
        1,
        200,
    )
    for kind in ("pdf", "xml"):
        path = f"/api/v1/certificates/{{certificate_id}}/document.{kind}"
        version = _parameters(_operation(client, path, "get"))["version"]["schema"]
        assert (version["minimum"], version["maximum"]) == (1, 2**31 - 1)
    created = _operation(client, "/api/v1/certificates", "post")
    assert _parameters(created)["Idempotency-Key"]["schema"]["minLength"] == 1
    assert "400" in created["responses"]
