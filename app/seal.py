"""The service's seal: key, chain, timestamping authority and trust anchors, from configuration.

Production reads the seal from SEAL_PKCS12 (or SEAL_KEY and SEAL_CERT), timestamps at TSA_URL and
trusts SEAL_ROOTS. In development the test PKI is mounted at /pki-test (PKI_TEST_SERVER): its seal
signs, its TSA and OCSP answer over HTTP, and its root is trusted beside SEAL_ROOTS. Without
either, a self-signed seal is made under SEAL_DIR (sealed at B-B, pinned by its certificate).
"""

from __future__ import annotations

import socket
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from flask import Flask, current_app
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from app.config import ConfigurationError
from signing.seal import ServiceSeal
from signing.testpki import PKITestServer, create_pki_server
from signing.testpki.server import serving_mounted

TEST_PKI_PATH = "/pki-test"


@dataclass(frozen=True)
class SealSettings:
    """The seal (with its TSA), what verification trusts, and the mounted test PKI if any."""

    seal: ServiceSeal
    roots: tuple[x509.Certificate, ...]
    test_pki: PKITestServer | None


def init_app(app: Flask) -> None:
    config = app.config
    roots: list[x509.Certificate] = []
    server = None
    if config["PKI_TEST_SERVER"]:
        base = f"{config['PUBLIC_URL'].rstrip('/')}{TEST_PKI_PATH}"
        server = create_pki_server(config["PKI_TEST_STATE"], base)
        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {TEST_PKI_PATH: server})  # type: ignore[method-assign]
        roots.append(server.pki.root.certificate)
    if config["SEAL_ROOTS"]:
        roots.extend(_read(config, "SEAL_ROOTS", x509.load_pem_x509_certificates))
    seal = _configured_seal(config)
    if seal is None:
        seal = (
            server.pki.service_seal()
            if server
            else ServiceSeal.load_or_create(Path(config["SEAL_DIR"]))
        )
    tsa_url = config["TSA_URL"] or (server.pki.tsa_url if server else None)
    seal = replace(
        seal, tsa_url=tsa_url, tsa_timeout=float(config["TSA_TIMEOUT"]), roots=tuple(roots)
    )
    app.extensions["intyga.seal"] = SealSettings(seal, tuple(roots), server)


def _configured_seal(config: Any) -> ServiceSeal | None:
    try:
        if config["SEAL_PKCS12"]:
            password = config["SEAL_PKCS12_PASSWORD"]
            return ServiceSeal.from_pkcs12(
                Path(config["SEAL_PKCS12"]), password=password.encode() if password else None
            )
        if config["SEAL_KEY"] and config["SEAL_CERT"]:
            return ServiceSeal.from_files(Path(config["SEAL_KEY"]), Path(config["SEAL_CERT"]))
    except (OSError, ValueError) as exc:
        names = "SEAL_PKCS12" if config["SEAL_PKCS12"] else "SEAL_KEY and SEAL_CERT"
        msg = f"the seal in {names} cannot be used: {exc}"
        raise ConfigurationError(msg) from exc
    return None


def _read(config: Any, name: str, load: Any) -> list[x509.Certificate]:
    try:
        found: list[x509.Certificate] = load(Path(config[name]).read_bytes())
    except (OSError, ValueError) as exc:
        msg = f"{name} cannot be read as PEM certificates: {exc}"
        raise ConfigurationError(msg) from exc
    return found


def settings() -> SealSettings:
    found: SealSettings = current_app.extensions["intyga.seal"]
    return found


def current() -> ServiceSeal:
    return settings().seal


def trusted() -> list[x509.Certificate]:
    """What a seal must chain to: the configured roots, and our own seal's certificate (pinned,
    for documents sealed before it had a chain)."""
    found = settings()
    return [*found.roots, found.seal.certificate]


def test_pki_reachable() -> Any:
    """A context in which the mounted test PKI answers at PUBLIC_URL even when the app is not
    running: `flask demo` seals (timestamps, OCSP over HTTP) before `flask run` starts."""
    server = settings().test_pki
    address = urlsplit(current_app.config["PUBLIC_URL"])
    if server is None or address.scheme != "http" or not address.hostname:
        return nullcontext()
    port = address.port or 80
    if _answering(address.hostname, port):
        return nullcontext()
    return serving_mounted(server, address.hostname, port, TEST_PKI_PATH)


def _answering(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
