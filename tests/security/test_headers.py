"""Every route, as every kind of visitor, answers with the security headers: a strict CSP with
nothing inline, no framing, nosniff, no referrer, and `Cache-Control: no-store` on everything
but static files (pages and downloads carry personnummer). Templates hold no inline script,
style or event handler that the CSP would block."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import AnyConverter, IntegerConverter, Rule, UUIDConverter
from werkzeug.test import TestResponse

from app.apikeys import service as apikeys
from app.audit.service import Actor
from app.certificates.models import Certificate
from app.web.headers import CONTENT_SECURITY_POLICY, HSTS
from tests import factories as f
from tests import web
from tests.conftest import AppFactory, LiveBankID
from tests.security.test_production_config import strong_settings

APP = Path(__file__).resolve().parents[2] / "app"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
STATIC_FILES = {
    "static": None,
    "web.static": "style.css",
    "eid.static": "eid.js",
    "employer.static": "portal.css",
}


def assert_secure(response: TestResponse, *, static: bool, where: str) -> None:
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "no-referrer", where
    assert "Strict-Transport-Security" not in headers, f"{where}: HSTS only in production"
    if not static:
        assert headers.get("Cache-Control") == "no-store", where


def url_for_rule(app: Flask, rule: Rule, certificate_id: uuid.UUID) -> str | None:
    """A URL of `rule` with real values: the sealed certificate's id, version 1, a real file."""
    values: dict[str, Any] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if name == "filename":
            static = STATIC_FILES.get(rule.endpoint)
            if static is None:
                return None  # the app-wide static folder is empty
            values[name] = static
        elif isinstance(converter, UUIDConverter):
            values[name] = certificate_id if name == "certificate_id" else uuid.uuid4()
        elif isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, AnyConverter):
            values[name] = "pdf"
        else:
            values[name] = "sv"
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def walk(
    app: Flask, client: FlaskClient, certificate_id: uuid.UUID, **options: Any
) -> dict[tuple[str, str], int]:
    """Every rule with every method once; returns {(method, path): status}."""
    seen: dict[tuple[str, str], int] = {}
    for rule in app.url_map.iter_rules():
        path = url_for_rule(app, rule, certificate_id)
        if path is None:
            continue
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            response = client.open(path, method=method, **options)
            static = rule.endpoint == "static" or rule.endpoint.endswith(".static")
            response.close()
            assert_secure(response, static=static, where=f"{method} {path}")
            seen[(method, path)] = response.status_code
    return seen


def test_every_route_has_the_headers_for_every_visitor(
    app: Flask,
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    sent: Certificate,
) -> None:
    anonymous = app.test_client()
    anonymous_seen = walk(app, anonymous, sent.id)
    assert len(anonymous_seen) >= 60, "the walk covers the whole URL map"

    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    employee_seen = walk(app, client, sent.id)
    assert employee_seen[("GET", f"/arbetstagare/intyg/{sent.id}/dokument/1.pdf")] == 200

    employer = app.test_client()
    web.log_in(employer, bankid, f.ADMIN_PNR)
    employer_seen = walk(app, employer, sent.id)
    assert employer_seen[("GET", f"/arbetsgivare/intyg/{sent.id}/version/1/intyg.pdf")] == 200
    assert employer_seen[("GET", "/arbetsgivare/foretag/api-nycklar")] == 200

    key = apikeys.create(session, company=w.company, name="walk", actor=Actor(label="test"))
    session.flush()
    api_seen = walk(
        app, app.test_client(), sent.id, headers={"Authorization": f"Bearer {key.plaintext}"}
    )
    assert api_seen[("GET", f"/api/v1/certificates/{sent.id}/document.pdf")] == 200


def test_static_files_may_be_cached_but_keep_the_other_headers(client: FlaskClient) -> None:
    response = client.get("/static/web/style.css")
    response.close()
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_production_adds_hsts(make_app: AppFactory, tmp_path: Path) -> None:
    settings = strong_settings(tmp_path)
    production = make_app(
        **{name: settings[name] for name in ("INTYGA_ENV", "SECRET_KEY", "BLIND_INDEX_KEY")},
        SEAL_KEY=settings["SEAL_KEY"],
        SEAL_CERT=settings["SEAL_CERT"],
    )
    for path in ("/", "/finns-inte", "/api/v1/certificates"):
        response = production.test_client().get(path)
        assert response.headers["Strict-Transport-Security"] == HSTS, path
        assert response.headers["Cache-Control"] == "no-store", path


INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


# The PDF's own template is rendered into the PDF by its own environment, never served.
PAGES = [
    path for path in APP.rglob("templates/**/*.html") if "certificates/templates" not in str(path)
]


@pytest.mark.parametrize("template", sorted(PAGES), ids=str)
def test_templates_have_nothing_inline_that_the_csp_blocks(template: Path) -> None:
    text = template.read_text()
    found = [kind for kind, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.relative_to(APP)}: move the {', '.join(found)} to a static file"
