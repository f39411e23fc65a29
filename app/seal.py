"""The service's seal (key and certificate): made under instance/ on first run in development,
or read from SEAL_KEY and SEAL_CERT (a production key kept elsewhere)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from signing.seal import ServiceSeal


def init_app(app: Flask) -> None:
    key, cert = app.config.get("SEAL_KEY"), app.config.get("SEAL_CERT")
    seal = (
        ServiceSeal.from_files(Path(key), Path(cert))
        if key and cert
        else ServiceSeal.load_or_create(Path(app.config["SEAL_DIR"]))
    )
    app.extensions["intyga.seal"] = seal


def current() -> ServiceSeal:
    seal: ServiceSeal = current_app.extensions["intyga.seal"]
    return seal
