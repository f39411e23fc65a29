"""Fixtures, after Flask's tutorial: `app`, `client`, `runner`, plus database sessions.

The database is built once per run by the Alembic migrations, on SQLite (a temporary file) or on
PostgreSQL when TEST_DATABASE_URL is set. Each test runs inside an outer transaction that is
rolled back, with sessions joining it through savepoints; tests marked `committing` use real
commits from several connections and the tables are emptied after them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.akassa.service import load_reference_data
from app.database import Base
from app.extensions import db
from tests.support import reset_database

KEEP_ON_CLEAN = {"akassa", "alembic_version"}
TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    flask_app = create_app(
        {
            "TESTING": True,
            "INTYGA_ENV": "testing",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "PII_KEYS": [TEST_KEY],
            "BLIND_INDEX_KEY": "test-blind-index-key-of-sufficient-length",
        }
    )
    reset_database.reset(database_url)
    with flask_app.app_context():
        flask_migrate.upgrade()
        with Session(db.engine) as session:
            load_reference_data(session)
            session.commit()
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


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
def session(app: Flask, connection: Connection) -> Iterator[Session]:
    with app.app_context():
        yield db.session


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
