"""On SQLite a POST holds the database's one write lock only while it writes: other workers may
write while it reads and validates its body (`Database.pause`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import payroll_adapters
from app.intake import service as intake
from tests import factories as f
from tests.api.conftest import key_for
from tests.api.support import body, certificate_json

pytestmark = pytest.mark.committing


def _other_writer_gets_the_lock(engine: Engine) -> bool:
    """Whether another connection could begin writing at once (no waiting)."""
    other = sqlite3.connect(str(engine.url.database), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_a_post_validates_its_body_without_holding_sqlites_write_lock(
    app: Flask, engine: Engine, committing: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    with committing() as session:
        tenant = key_for(session, f.world(session).company)
        session.commit()
    seen: list[bool] = []
    reading = payroll_adapters.read_json

    def read_json(*args: Any, **kwargs: Any) -> Iterator[Any]:
        seen.append(_other_writer_gets_the_lock(engine))
        yield from reading(*args, **kwargs)

    monkeypatch.setattr(intake, "read_json", read_json)
    answer = app.test_client().post(
        "/api/v1/certificates",
        data=body(certificate_json()),
        headers={**tenant.headers, "Content-Type": "application/json", "Idempotency-Key": "k-1"},
    )
    assert answer.status_code == 201, answer.json
    assert seen == [True]
