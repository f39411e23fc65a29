"""Flask glue for the database: one session per request (or CLI command), removed at teardown,
and one commit per request, at its end (as Indico's base handler does).

Every view runs inside `commit_boundary`: when it answers below 400 the request's session is
committed once; when it raises, or answers 4xx/5xx, everything it wrote is rolled back before
anything else (an error page) reads the session. Services and views only flush.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.database import Base, for_writers, is_write_conflict, make_engine
from app.errors import Conflict


class Database:
    """Per-app engine and session factory; `db.session` is the current context's session."""

    metadata = Base.metadata

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["intyga.db"] = {
            "engine": engine,
            "factory": sessionmaker(bind=for_writers(engine), expire_on_commit=False),
        }
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> Engine:
        engine: Engine = current_app.extensions["intyga.db"]["engine"]
        return engine

    def get_engine(self) -> Engine:
        """For Flask-Migrate, which asks for the engine by this name."""
        return self.engine

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = current_app.extensions["intyga.db"]["factory"]()
        session: Session = g.db_session
        return session

    def new_session(self) -> Session:
        """A session of its own, for work that must not share the request's transaction."""
        session: Session = current_app.extensions["intyga.db"]["factory"]()
        return session

    def bind(self, app: Flask, connection: Connection, **options: Any) -> None:
        """Make every session of `app` join `connection` (tests wrap each test in a transaction)."""
        app.extensions["intyga.db"]["factory"] = sessionmaker(
            bind=connection, expire_on_commit=False, **options
        )

    def commit(self) -> None:
        """Commit the current session; a lost optimistic-lock race becomes a domain Conflict.
        Views never call it: `commit_boundary` does, once per request (CLI commands do)."""
        if "db_session" not in g:
            return
        try:
            self.session.commit()
        except StaleDataError as exc:
            self.session.rollback()
            raise Conflict("changed_by_someone_else") from exc
        except DBAPIError as exc:
            self.session.rollback()
            if not is_write_conflict(exc):
                raise
            raise Conflict("changed_by_someone_else") from exc

    def pause(self) -> None:
        """End the request's transaction so far (its reads, and a key's last use) before a
        stretch of work that needs no database, such as validating a body; the next statement
        begins a new transaction.

        On SQLite a transaction that may write holds the database's one write lock from its
        first statement (see `app.database.for_writers`): without the pause every other
        worker would wait while this one parses and validates. PostgreSQL locks rows, not
        the database, so there it would only add a round trip and is skipped. Nothing is
        undone by a later rollback that was committed here: call it only after reads."""
        if "db_session" in g and self.engine.dialect.name == "sqlite":
            self.commit()

    def rollback(self) -> None:
        if "db_session" in g:
            g.db_session.rollback()

    def commit_boundary(self, app: Flask) -> None:
        """Wrap every view of `app` in the request's one commit (call after the routes exist)."""
        for endpoint, view in list(app.view_functions.items()):
            app.view_functions[endpoint] = self._committing(view)

    def _committing(self, view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                response = current_app.make_response(view(*args, **kwargs))
            except BaseException:
                self.rollback()
                raise
            if response.status_code < 400:
                self.commit()
            else:
                self.rollback()
            return response

        return run

    @staticmethod
    def _close(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is None:
            return
        try:
            session.rollback()
        except DBAPIError:
            # The connection died: the answer is already written; the pool drops the connection.
            current_app.logger.warning("rollback at teardown failed", exc_info=True)
        finally:
            session.close()


db = Database()
