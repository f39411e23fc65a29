"""The upgrade to the keyed trail keeps existing events provable, and refuses a broken old chain."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.orm import Session

from app import create_app
from app import migrate as migrations
from app.audit.chain import link_pending
from app.audit.service import verify_chain
from app.extensions import db
from app.migrate import MIGRATIONS
from tests import factories as f
from tests.conftest import LiveBankID, app_config

KEYED = "6f1c0a9d2e77"  # the revision under test


def _before_keyed() -> str:
    """The revision the keyed trail follows (the lead chains parallel heads when merging)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    revision = ScriptDirectory.from_config(config).get_revision(KEYED)
    assert revision is not None
    assert isinstance(revision.down_revision, str)
    return revision.down_revision


BEFORE = _before_keyed()
GENESIS = "0" * 64


@pytest.fixture
def old_app(tmp_path: Path, bankid: LiveBankID) -> Iterator[Flask]:
    """An installation of the previous version, on a database of its own."""
    flask_app = create_app(app_config(f"sqlite:///{tmp_path / 'old.db'}", bankid))
    with flask_app.app_context():
        migrations.upgrade(BEFORE)
        yield flask_app
        db.engine.dispose()


def _legacy_events(app: Flask, count: int, *, tamper_at: int | None = None) -> None:
    """Events as the previous version wrote them: a plain SHA-256 chain and a head row."""
    events = sa.table(
        "audit_event",
        *(sa.column(name) for name in ("seq", "action", "actor_label", "prev_hash", "hash")),
        sa.column("occurred_at", sa.DateTime()),
        sa.column("company_id", sa.Uuid()),
        sa.column("data", sa.JSON()),
    )
    company, previous = uuid.uuid4(), GENESIS
    with db.engine.begin() as conn:
        for seq in range(1, count + 1):
            fields = {
                "seq": seq,
                "occurred_at": f.NOW.isoformat(),
                "action": "company.registered",
                "actor_id": None,
                "actor_label": "system",
                "company_id": str(company),
                "certificate_id": None,
                "data": {"n": seq},
                "prev_hash": previous,
            }
            canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
            digest = hashlib.sha256(canonical.encode()).hexdigest()
            stored = {"n": -1} if seq == tamper_at else {"n": seq}
            conn.execute(
                events.insert().values(
                    seq=seq,
                    occurred_at=f.NOW.replace(tzinfo=None),
                    action="company.registered",
                    actor_label="system",
                    company_id=company,
                    data=stored,
                    prev_hash=previous,
                    hash=digest,
                )
            )
            previous = digest
        conn.execute(
            sa.text("INSERT INTO audit_chain_head VALUES (1, :seq, :hash)"),
            {"seq": count, "hash": previous},
        )
    assert app.config["AUDIT_KEY"]


def test_existing_events_stay_provable_after_the_upgrade(old_app: Flask) -> None:
    _legacy_events(old_app, 3)
    migrations.upgrade("heads")
    with Session(db.engine) as session:
        report = verify_chain(session)
        assert (report.ok, report.checked, report.pending) == (True, 0, 3)
        assert link_pending(session) == 3
        session.commit()
        report = verify_chain(session)
        assert (report.ok, report.checked, report.pending) == (True, 3, 0)


def test_the_upgrade_refuses_a_chain_already_broken(
    old_app: Flask, capfd: pytest.CaptureFixture[str]
) -> None:
    _legacy_events(old_app, 3, tamper_at=2)
    with pytest.raises(SystemExit):
        migrations.upgrade("heads")
    with db.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == BEFORE
        columns = {column["name"] for column in sa.inspect(conn).get_columns("audit_event")}
    assert "mac" not in columns
    assert "audit trail broken at event 2 before this upgrade" in capfd.readouterr().err
