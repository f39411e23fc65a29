"""The REST API for payroll systems (/api/v1), its OpenAPI document and rate limits."""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter

from app.api import (
    ratelimit,  # noqa: F401 - registers the swept-memory:// storage
    throttle,
)
from app.api.auth import rate_limit_key
from app.api.schemas import FullCertificateIn, Income2025CertificateIn
from app.api.smorest import IntygaApi, content_attributes

API_VERSION = "1.0.0"
DESCRIPTION = """\
Intyga's API for payroll systems. Authenticate every call with the company's API key:
`Authorization: Bearer intyga_...` (made in the employer portal or with
`flask --app wsgi api-key create ORGNR NAME`). A key sees its own company's certificates only.

Certificates are created as drafts in the JSON format below; a person signs them with BankID in
the web app. Send `Idempotency-Key` with every POST to retry safely. Errors are RFC 9457
`application/problem+json`, with field-level `errors` in Swedish or, with
`Accept-Language: en`, English. Calls are rate limited per key (`X-RateLimit-*`,
`Retry-After`)."""


def _rate_limit() -> str:
    limit: str = current_app.config["API_RATE_LIMIT"]
    return limit


def init_app(app: Flask) -> None:
    # The views need the app's extensions; import_views adds its routes to views.bp.
    from app.api import docs, import_views, views  # noqa: F401, PLC0415

    api = IntygaApi(
        spec_kwargs={
            "title": "Intyga API",
            "version": API_VERSION,
            "openapi_version": "3.1.0",
            "info": {"description": DESCRIPTION},
            "security": [{"bearer": []}],
        }
    )
    api.init_app(app)
    api.ma_plugin.converter.add_attribute_function(content_attributes)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "The company's API key."}
    )
    api.spec.components.schema("FullCertificate", schema=FullCertificateIn)
    api.spec.components.schema("Income2025Certificate", schema=Income2025CertificateIn)
    api.register_blueprint(views.bp)
    app.extensions["intyga.api"] = api

    throttle.init_app(app)
    limiter = Limiter(rate_limit_key, storage_uri=app.config["RATELIMIT_STORAGE_URI"])
    limiter.init_app(app)
    limiter.limit(_rate_limit, key_func=rate_limit_key)(views.blueprint)
    app.extensions["intyga.limiter"] = limiter

    app.extensions["csrf"].exempt(views.blueprint)  # no cookies here: nothing to forge
    app.register_blueprint(docs.bp)
