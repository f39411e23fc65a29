"""An app on a scratch database for a benchmark: `DATABASE_URL` when set (emptied first), else a
SQLite file in a temporary folder; migrated, with throwaway keys."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet
from flask import Flask

from app import create_app
from app import migrate as migrations
from app.extensions import db
from tests.support import reset_database


@contextmanager
def scratch_app(url: str | None = None) -> Iterator[tuple[Flask, Path]]:
    """Yields the app on `url` (else `DATABASE_URL`, else a SQLite file), its application
    context pushed, and the temporary folder."""
    with tempfile.TemporaryDirectory() as scratch:
        url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{Path(scratch) / 'bench.db'}"
        reset_database.reset(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "INTYGA_ENV": "testing",
                "SECRET_KEY": "bench",
                "PII_KEYS": [Fernet.generate_key().decode()],
                "BLIND_INDEX_KEY": "b" * 40,
                "AUDIT_KEY": "a" * 40,
            }
        )
        with app.app_context():
            migrations.upgrade("heads")
            print(f"database: {db.engine.dialect.name}")
            yield app, Path(scratch)
            db.engine.dispose()
