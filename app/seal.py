"""The service's seal (key and certificate): made under instance/ on first run in development,
or read from SEAL_KEY and SEAL_CERT (a production key kept elsewhere)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from app.config import ConfigurationError
from signing.seal import ServiceSeal


def init_app(app: Flask) -> None:
    key, cert = app.config.get("SEAL_KEY"), app.config.get("SEAL_CERT")
    if key and cert:
        try:
            seal = ServiceSeal.from_files(Path(key), Path(cert))
        except (OSError, ValueError) as exc:
            msg = f"the seal in SEAL_KEY and SEAL_CERT cannot be used: {exc}"
            raise ConfigurationError(msg) from exc
    else:
        seal = ServiceSeal.load_or_create(Path(app.config["SEAL_DIR"]))
    app.extensions["intyga.seal"] = seal


def current() -> ServiceSeal:
    seal: ServiceSeal = current_app.extensions["intyga.seal"]
    return seal
