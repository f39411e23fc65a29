"""Intyga: employer certificates from employer to unemployment fund."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import app.certificates.immutability  # noqa: F401 - registers the signed-version guard
from app import config as configuration
from app.audit import service as audit
from app.extensions import db
from app.privacy import vault
from app.web.converters import NumberConverter


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    flask_app = Flask(__name__, instance_relative_config=True)
    flask_app.url_map.converters["number"] = NumberConverter
    instance_path = Path(flask_app.instance_path)
    flask_app.config.update(configuration.resolve(instance_path, config))
    vault.configure(vault.Vault(flask_app.config["PII_KEYS"], flask_app.config["BLIND_INDEX_KEY"]))
    audit.configure(flask_app.config["AUDIT_KEY"])

    db.init_app(flask_app)

    from app import api as payroll_api  # noqa: PLC0415
    from app import auth, cli, i18n, seal  # noqa: PLC0415 - these import the blueprints' views
    from app import soap as payroll_soap  # noqa: PLC0415
    from app.akassa_portal import views as akassa_views  # noqa: PLC0415
    from app.auth import views as auth_views  # noqa: PLC0415
    from app.eid import provider as eid_provider  # noqa: PLC0415
    from app.eid import views as eid_views  # noqa: PLC0415
    from app.employee import (  # noqa: F401, PLC0415 - importing them adds their routes to `bp`
        assessment_views,
        profile_views,
        request_views,
    )
    from app.employee import views as employee_views  # noqa: PLC0415
    from app.employer import views as employer_views  # noqa: PLC0415
    from app.operations import init_app as init_operations  # noqa: PLC0415
    from app.verification import views as verification_views  # noqa: PLC0415
    from app.web import errors, headers  # noqa: PLC0415
    from app.web import views as web_views  # noqa: PLC0415

    CSRFProtect(flask_app)
    i18n.init_app(flask_app)
    errors.init_app(flask_app)
    headers.init_app(flask_app)
    auth.init_app(flask_app)
    eid_provider.init_app(flask_app)
    seal.init_app(flask_app)
    blueprints = (
        web_views.bp,
        auth_views.bp,
        eid_views.bp,
        employer_views.bp,
        employee_views.bp,
        verification_views.bp,
        akassa_views.bp,
    )
    for blueprint in blueprints:
        flask_app.register_blueprint(blueprint)
    init_operations(flask_app)
    payroll_api.init_app(flask_app)
    payroll_soap.init_app(flask_app)
    cli.init_app(flask_app)
    db.commit_boundary(flask_app)
    hops = int(flask_app.config["PROXY_FIX_HOPS"])
    if hops:
        # Behind a proxy every client would share its address (rate limits, logs) without this.
        flask_app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            flask_app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    return flask_app
