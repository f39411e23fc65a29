"""Helpers for the API tests: problem checks and request bodies."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.test import TestResponse

from tests import factories as f


def is_problem(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status and code; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert isinstance(body, dict)
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"/problems/{code}"
    assert body["title"]
    return body


def certificate_json(variant: str = "full", employee_pnr: str = f.EMPLOYEE_PNR) -> dict[str, Any]:
    return {"variant": variant, **f.content(variant, employee_pnr)}


def body(document: Any) -> bytes:
    return json.dumps(document).encode()


def json_of(response: TestResponse) -> dict[str, Any]:
    document = response.json
    assert isinstance(document, dict), response.get_data(as_text=True)
    return document
