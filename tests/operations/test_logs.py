"""Request ids and JSON log lines, and the proxy's forwarded address believed only when told."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from flask import current_app
from flask.testing import FlaskClient

from tests.conftest import AppFactory


def test_every_answer_carries_a_request_id(client: FlaskClient) -> None:
    first, second = client.get("/verifiera"), client.get("/verifiera")
    assert len(first.headers["X-Request-ID"]) == 32
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_proxys_request_id_is_kept_unless_it_is_not_one(client: FlaskClient) -> None:
    given = client.get("/verifiera", headers={"X-Request-ID": "lb-0123456789abcdef"})
    assert given.headers["X-Request-ID"] == "lb-0123456789abcdef"
    forged = client.get("/verifiera", headers={"X-Request-ID": 'x" injected'})
    assert forged.headers["X-Request-ID"] != 'x" injected'
    assert len(forged.headers["X-Request-ID"]) == 32


@pytest.fixture
def root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    kept, level = root.handlers[:], root.level
    yield
    root.handlers[:] = kept
    root.setLevel(level)


@pytest.mark.usefixtures("root_handlers")
def test_json_logs_name_the_request(
    make_app: AppFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(LOG_FORMAT="json")

    @app.get("/probe-log")
    def probe() -> str:
        current_app.logger.warning("probe happened")
        return "ok"

    response = app.test_client().get("/probe-log", headers={"X-Request-ID": "req-42-abcdefgh"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    entry = next(line for line in lines if line["message"] == "probe happened")
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == "req-42-abcdefgh"
    assert entry["name"] == app.logger.name


def test_forwarded_address_believed_only_behind_a_configured_proxy(
    client: FlaskClient, make_app: AppFactory
) -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert client.get("/metrics", headers=forwarded).status_code == 200
    proxied = make_app(PROXY_FIX_HOPS=1).test_client()
    assert proxied.get("/metrics", headers=forwarded).status_code == 404
    assert proxied.get("/metrics").status_code == 200
