"""Flask glue: the eID provider and trusted roots from configuration, and the test server mount.

In development the BankID test server is mounted at /bankid-test so that `make run` needs one
process; the client still speaks real HTTP to it. Its root is trusted only there.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from cryptography import x509
from flask import Flask, current_app
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from app.eid.service import EidSettings
from signing.bankid.client import BankIDClient
from signing.bankid.testserver import create_test_server
from signing.bankid.testserver.completion import DEFAULT_SERVICE_NAME

TEST_SERVER_PATH = "/bankid-test"


def init_app(app: Flask) -> None:
    config = app.config
    roots: list[x509.Certificate] = []
    service_name = config["BANKID_SERVICE_NAME"]
    if config["BANKID_TEST_SERVER"]:
        server = create_test_server(config["BANKID_TEST_STATE"])
        service_name = service_name or DEFAULT_SERVICE_NAME
        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {TEST_SERVER_PATH: server})  # type: ignore[method-assign]
        roots.append(server.root_certificate)
    if config["BANKID_ROOTS"]:
        roots.extend(x509.load_pem_x509_certificates(Path(config["BANKID_ROOTS"]).read_bytes()))
    url = config["BANKID_URL"] or f"{config['PUBLIC_URL']}{TEST_SERVER_PATH}/rp/v6.0/"
    client_cert = (
        (config["BANKID_CLIENT_CERT"], config["BANKID_CLIENT_KEY"])
        if config["BANKID_CLIENT_CERT"]
        else None
    )
    interval = float(config["BANKID_COLLECT_INTERVAL"])
    client = BankIDClient(
        url,
        client_cert=client_cert,
        ca_cert=config["BANKID_CA"] or True,
        collect_interval=interval,
    )
    app.extensions["intyga.eid"] = EidSettings(
        provider=client,
        trusted_roots=roots,
        service_name=service_name,
        collect_interval=timedelta(seconds=interval),
    )


def settings() -> EidSettings:
    found: EidSettings = current_app.extensions["intyga.eid"]
    return found
