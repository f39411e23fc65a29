"""Probes for the load balancer and metrics for Prometheus. /metrics is for operators only: a
bearer token when METRICS_TOKEN is set, else only from this machine."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.wrappers import Response

from app import seal
from app.extensions import db
from app.operations import health, metrics

bp = Blueprint("operations", __name__)

LOOPBACK = frozenset({"127.0.0.1", "::1"})


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Alive: this process answers and reaches its database."""
    check = health.database(db.session)
    if not check.ok:
        current_app.logger.error("health check: database unreachable (%s)", check.detail)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready for traffic: database, Redis (when configured) and the seal all answer."""
    checks = [
        health.database(db.session),
        health.redis_server(current_app.config.get("REDIS_URL")),
        health.seal(seal.current()),
    ]
    found = [check for check in checks if check is not None]
    ready = all(check.ok for check in found)
    body: dict[str, Any] = {"status": "ok" if ready else "error"}
    body |= {check.name: check.detail for check in found}
    if not ready:
        current_app.logger.error("readiness check failed: %s", body)
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def metrics_page() -> Response:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").encode()
        if not hmac.compare_digest(given, token.encode()):
            abort(404)
    elif request.remote_addr not in LOOPBACK:
        abort(404)
    return metrics.exposition(db.new_session)
