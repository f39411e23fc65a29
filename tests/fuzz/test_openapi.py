"""Schemathesis over the published OpenAPI document, against the app on the run's database:
every answer must be documented (its status code) and none may be a server error.

Each operation gets FUZZ_EXAMPLES valid and as many invalid requests (schemathesis' positive
and negative generation), all with the tenant's API key. The document is loaded from the app
itself, so what is fuzzed is what the server publishes.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import given
from schemathesis.checks import not_a_server_error, status_code_conformance
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case
from sqlalchemy import Connection

from tests.api.conftest import Tenant
from tests.fuzz.conftest import FUZZ


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=lambda m: m.value)
def test_every_answer_is_documented_and_none_is_a_server_error(
    app: Flask, connection: Connection, mine: Tenant, mode: schemathesis.GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            pytest.fail(f"an operation schemathesis cannot read: {result.err()}")
        operations.append(result.ok())
    assert len(operations) >= 8  # the API's routes: a document that lost them fuzzes nothing

    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy(generation_mode=mode))
        def answer_is_documented(case: Case[Any]) -> None:
            response = case.call(headers=mine.headers)
            case.validate_response(response, checks=[not_a_server_error, status_code_conformance])

        answer_is_documented()
