"""What operators run the service by: liveness and readiness probes and Prometheus metrics."""

from __future__ import annotations

from flask import Flask

from app.operations import metrics


def init_app(app: Flask) -> None:
    from app.operations import views  # noqa: PLC0415 - the views need the app's extensions

    metrics.init_app(app)
    app.register_blueprint(views.bp)
