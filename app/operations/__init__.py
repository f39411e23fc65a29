"""What operators run the service by: probes, Prometheus metrics, request ids and JSON logs."""

from __future__ import annotations

from flask import Flask

from app.operations import logs, metrics


def init_app(app: Flask) -> None:
    from app.operations import views  # noqa: PLC0415 - the views need the app's extensions

    logs.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(views.bp)
