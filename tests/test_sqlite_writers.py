"""SQLite's writers take turns: a transaction that may write waits for the one writing now,
takes the lock as soon as it is free, and gives up after BUSY_SECONDS as SQLite would."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from app import database
from app.database import for_writers, make_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = make_engine(f"sqlite:///{tmp_path / 'writers.db'}")
    with made.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    yield made
    made.dispose()


def _hold_the_write_lock(engine: Engine, seconds: float, holding: threading.Event) -> None:
    other = sqlite3.connect(str(engine.url.database), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    holding.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


def _busy_timeout(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one())


def test_a_writer_waits_for_the_one_writing_and_goes_on_at_once(engine: Engine) -> None:
    holding = threading.Event()
    holder = threading.Thread(target=_hold_the_write_lock, args=(engine, 0.3, holding))
    holder.start()
    holding.wait(5)
    began = time.monotonic()
    with for_writers(engine).begin() as connection:
        waited = time.monotonic() - began
        connection.execute(text("INSERT INTO t VALUES (2)"))
    holder.join()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 2
    assert 0.2 < waited < 5
    assert _busy_timeout(engine) == database.BUSY_SECONDS * 1000


def test_a_writer_gives_up_after_the_busy_time(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_SECONDS", 0.1)
    holding = threading.Event()
    holder = threading.Thread(target=_hold_the_write_lock, args=(engine, 1.0, holding))
    holder.start()
    holding.wait(5)
    with pytest.raises(OperationalError, match="database is locked"), for_writers(engine).begin():
        pass
    holder.join()
    assert _busy_timeout(engine) == 100
