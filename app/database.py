"""SQLAlchemy foundation shared by every capability; knows nothing of Flask.

One declarative base with a constraint naming convention (so Alembic can name and drop
constraints on every backend), UTC-aware datetimes on SQLite and PostgreSQL alike, and an engine
factory that gives SQLite real transactions (savepoints, foreign keys, one writer at a time).
"""

from __future__ import annotations

import functools
import itertools
import os
import sqlite3
import time
import uuid
import weakref
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    MetaData,
    Table,
    create_engine,
    delete,
    event,
    inspect,
)
from sqlalchemy import insert as core_insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Dialect, Result
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    make_transient_to_detached,
    mapped_column,
)
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (0 for a result that does not say)."""
    return result.rowcount if isinstance(result, CursorResult) else 0


def delete_where(session: Session, model: type, *where: Any) -> int:
    """Delete `model`'s rows matching `where` in one statement, without loading them; returns
    how many went."""
    return rows_affected(session.execute(delete(model).where(*where)))


def utcnow() -> datetime:
    """The current time, aware and in UTC (what every timestamp column holds)."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware, also on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetimes are ambiguous; pass an aware datetime"
            raise ValueError(msg)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONDocument = JSON().with_variant(postgresql.JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UtcDateTime(),
        dict[str, Any]: JSONDocument,
        list[Any]: JSONDocument,
    }


class UuidPrimaryKey:
    """Random ids: nothing can be learnt or guessed from an id in a URL."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; its pool is emptied in a forked child (gunicorn with --preload).

    SQLite gets foreign keys, WAL, a busy timeout and explicit BEGIN (for savepoints); see
    `for_writers` for transactions that take the write lock at once. Connections stay pooled
    per process: closing the last connection to a WAL database checkpoints it, which costs as
    much as a request's own work. `synchronous=NORMAL` is WAL's safe setting: a power cut may
    lose the last commits, never corrupt the database.
    """
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
        _POOLED.add(engine)
        return engine
    if ":memory:" in url or url in {"sqlite://", "sqlite:///"}:
        msg = "an in-memory SQLite database cannot be shared; use a file under instance/"
        raise ValueError(msg)
    engine = create_engine(url, **kwargs)
    _POOLED.add(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_IMMEDIATE):
            _begin_immediate(connection)
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


_IMMEDIATE = "intyga_sqlite_immediate"
BUSY_SECONDS = 10.0
_RETRY_SECONDS = (0.0002, 0.0005, 0.001)


def _begin_immediate(connection: Any) -> None:
    """BEGIN IMMEDIATE, tried again every millisecond while another connection writes, for up to
    BUSY_SECONDS; then it fails as SQLite's own wait would ("database is locked").

    SQLite's busy timeout sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms between
    tries: a waiting writer sleeps on while the lock lies free, and eight writers committed
    less than half of what one did alone (bench/audit.py). A try costs microseconds, so
    trying each millisecond hands the lock on at once."""
    raw = connection.connection.driver_connection
    deadline = time.monotonic() + BUSY_SECONDS
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        for attempt in itertools.count():
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    break
            time.sleep(_RETRY_SECONDS[min(attempt, len(_RETRY_SECONDS) - 1)])
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # once more, failing as SQLAlchemy's error
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")


def for_writers(engine: Engine) -> Engine:
    """`engine` for transactions that may write: on SQLite they take the write lock when they
    begin, and wait for it (busy timeout) while another process writes.

    In WAL mode a transaction that has read and then writes, after another writer committed
    since its first read, fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT: no
    timeout helps); with several workers that was most requests. SQLite has one writer anyway.
    Transactions on plain `engine` (migrations, tests) still begin deferred. Other databases
    ignore the option.
    """
    return engine.execution_options(**{_IMMEDIATE: True})


_POOLED: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_inherited_connections() -> None:
    """A forked child must not use its parent's sockets or SQLite handles; it opens its own."""
    for engine in list(_POOLED):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)


def insert(session: Session, entity: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of `entity` with ON CONFLICT, which PostgreSQL and SQLite both have: for rows
    that two transactions may add at once, where the loser should yield, not fail."""
    return insert_for(session.get_bind().dialect.name, entity)


def insert_for(dialect: str, entity: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """`insert` for a dialect known by name, for statements built once and kept."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(entity)


def add_inserted(session: Session, *objects: Any) -> None:
    """Write new `objects` at once, one INSERT each in the given order, and add them to the
    session as stored rows.

    For rows a request makes and then only reads: the unit of work's bookkeeping for a pending
    object (dependency sort, history, post-fetch) costs several times the INSERT itself on the
    API's write path. Column defaults are applied as a flush applies them, keys the database
    makes are read back, and whatever was pending is flushed first so foreign keys hold.
    """
    session.flush()
    connection = session.connection()
    for obj in objects:
        state = inspect(obj)
        mapper = state.mapper
        table = mapper.local_table
        values: dict[str, Any] = {}
        for column in table.columns:
            key = mapper.get_property_by_column(column).key
            if key in state.dict:
                values[column.key] = state.dict[key]
            elif column.default is not None:
                values[column.key] = state.dict[key] = _default(column)
            elif not _made_by_database(column):
                state.dict[key] = None  # NULL, as a flush leaves it (not JSON's null)
        result = connection.execute(_insert_into(table), values)
        for column, made in zip(table.primary_key, result.inserted_primary_key or (), strict=False):
            state.dict[mapper.get_property_by_column(column).key] = made
        make_transient_to_detached(obj)
        session.add(obj)


@functools.cache
def _insert_into(table: Table) -> Insert:
    return core_insert(table)


def _made_by_database(column: Column[Any]) -> bool:
    return column.server_default is not None or column is column.table.autoincrement_column


def _default(column: Column[Any]) -> Any:
    default = column.default
    if isinstance(default, CallableColumnDefault):
        # SQLAlchemy has wrapped a callable of no arguments to take an execution context.
        return default.arg(None)  # type: ignore[arg-type]
    if isinstance(default, ScalarElementColumnDefault):
        return default.arg
    msg = f"{column} has a default only the database can evaluate; set it before add_inserted"
    raise ValueError(msg)


WRITE_CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_write_conflict(exc: DBAPIError) -> bool:
    """Whether the database refused a write because another transaction got there first.

    PostgreSQL says so with a serialisation, deadlock or lock-unavailable SQLSTATE; SQLite says
    "database is locked" when a transaction that read an older snapshot tries to write.
    """
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in WRITE_CONFLICT_SQLSTATES or "database is locked" in str(exc.orig)
