"""Fixtures, after Flask's tutorial: `app`, `client`, `runner`, plus database sessions.

The database is built once per run by the Alembic migrations, on SQLite (a temporary file) or on
PostgreSQL when TEST_DATABASE_URL is set. Each test runs inside an outer transaction that is
rolled back, with sessions joining it through savepoints; tests marked `committing` use real
commits from several connections and the tables are emptied after them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
import requests
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import make_server

from app import create_app
from app.akassa.service import load_reference_data
from app.database import Base
from app.extensions import db
from signing.bankid.testserver import create_test_server
from signing.bankid.testserver.completion import DEFAULT_SERVICE_NAME
from signing.testpki import RunningPKI, serving
from tests.support import reset_database

pytest_plugins = ["tests.support.world"]

KEEP_ON_CLEAN = {"akassa", "alembic_version"}


@dataclass(frozen=True)
class LiveBankID:
    """The BankID test server, and beside it the seal the app uses: the test PKI's, as a trust
    service would deliver it (PKCS#12 and roots), timestamped by its TSA."""

    base: str
    roots: Path
    pki: RunningPKI

    @property
    def seal_pkcs12(self) -> Path:
        return self.roots.parent / "seal.p12"

    @property
    def seal_roots(self) -> Path:
        return self.roots.parent / "seal-roots.pem"

    @property
    def api(self) -> str:
        return f"{self.base}/rp/v6.0/"

    def approve(self, auto_start_token: str, personal_number: str, action: str = "approve") -> Any:
        """Play the user's BankID app: open the order and approve (or cancel) it."""
        response = requests.post(
            f"{self.base}/app/complete",
            json={
                "autoStartToken": auto_start_token,
                "personalNumber": personal_number,
                "action": action,
            },
            timeout=10,
        )
        return response.json()


TEST_KEY = Fernet.generate_key().decode()
SEAL_PASSWORD = "test-seal-password"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def bankid(tmp_path_factory: pytest.TempPathFactory, test_pki: RunningPKI) -> Iterator[LiveBankID]:
    """Our BankID test server on a real loopback port: the app's client talks HTTP to it."""
    state = tmp_path_factory.mktemp("bankid")
    (state / "seal.p12").write_bytes(test_pki.pki.service_seal().pkcs12(SEAL_PASSWORD.encode()))
    (state / "seal-roots.pem").write_bytes(test_pki.pki.root_pem)
    server = create_test_server(state)
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    roots = state / "roots.pem"
    roots.write_bytes(server.root_certificate.public_bytes(serialization.Encoding.PEM))
    yield LiveBankID(f"http://127.0.0.1:{httpd.server_port}", roots, test_pki)
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPKI]:
    """The seal's test PKI (RFC 3161 TSA, OCSP) on a real loopback port, once per run."""
    with serving(tmp_path_factory.mktemp("pki")) as running:
        yield running


def app_config(database_url: str, bankid: LiveBankID, **overrides: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "INTYGA_ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "PII_KEYS": [TEST_KEY],
        "BLIND_INDEX_KEY": "test-blind-index-key-of-sufficient-length",
        "BANKID_URL": bankid.api,
        "BANKID_ROOTS": str(bankid.roots),
        "BANKID_TEST_SERVER": False,
        "BANKID_SERVICE_NAME": DEFAULT_SERVICE_NAME,
        "BANKID_COLLECT_INTERVAL": 0,
        "SEAL_DIR": str(bankid.roots.parent / "seal"),
        "SEAL_PKCS12": str(bankid.seal_pkcs12),
        "SEAL_PKCS12_PASSWORD": SEAL_PASSWORD,
        "SEAL_ROOTS": str(bankid.seal_roots),
        "TSA_URL": bankid.pki.tsa_url,
        "PKI_TEST_SERVER": False,
        "AUDIT_KEY": "test-audit-key-of-sufficient-length",
        "AUDIT_ANCHOR_DIR": str(bankid.roots.parent / "audit-anchors"),
        # One app serves the whole run, and its throttle counts in memory: the wrong keys of many
        # tests must not add up. tests/security/test_api_key_throttle.py uses the real limit.
        "API_FAILURE_LIMIT": "10000 per minute",
    } | overrides


@pytest.fixture(scope="session")
def app(database_url: str, bankid: LiveBankID) -> Iterator[Flask]:
    flask_app = create_app(app_config(database_url, bankid))
    reset_database.reset(database_url)
    with flask_app.app_context():
        flask_migrate.upgrade(revision="heads")
        with Session(db.engine) as session:
            load_reference_data(session)
            session.commit()
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def audit_anchor_dir(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Anchors are files outside the database, so the test transaction's rollback does not
    remove them: each test that uses the app gets an anchor folder of its own."""
    if "app" in request.fixturenames:
        app: Flask = request.getfixturevalue("app")
        app.config["AUDIT_ANCHOR_DIR"] = str(tmp_path / "audit-anchors")


@pytest.fixture(scope="session")
def engine(app: Flask) -> Engine:
    with app.app_context():
        return db.engine


@pytest.fixture
def connection(app: Flask, engine: Engine) -> Iterator[Connection]:
    """An outer transaction around the test; every app session joins it by savepoint."""
    original = app.extensions["intyga.db"]["factory"]
    with engine.connect() as conn:
        outer = conn.begin()
        db.bind(app, conn, join_transaction_mode="create_savepoint")
        try:
            yield conn
        finally:
            app.extensions["intyga.db"]["factory"] = original
            outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """The test's own session on the test transaction. No app context stays pushed: requests
    must each get their own, as they do in production (their own `g`, their own session)."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as own:
        yield own


AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(
    database_url: str, bankid: LiveBankID, connection: Connection, tmp_path: Path
) -> AppFactory:
    """Another app with some settings changed, sharing the test's transaction."""

    def make(**overrides: Any) -> Flask:
        own = {"AUDIT_ANCHOR_DIR": str(tmp_path / "audit-anchors")} | overrides
        other = create_app(app_config(database_url, bankid, **own))
        db.bind(other, connection, join_transaction_mode="create_savepoint")
        return other

    return make


@pytest.fixture
def client(app: Flask, connection: Connection) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, connection: Connection) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def committing(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Real, separately committed sessions; all rows but reference data are removed after."""
    yield sessionmaker(bind=engine, expire_on_commit=False)
    empty_tables(engine)


def empty_tables(engine: Engine) -> None:
    """Remove every committed row but the reference data."""
    with engine.begin() as conn:
        tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP_ON_CLEAN]
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)} CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"reference samples not found at {SHARED} (the shared/ folder beside the repo)")
    return SHARED
