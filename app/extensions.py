"""Flask glue for the database: one session per request (or CLI command), removed at teardown."""

from __future__ import annotations

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
        """The request's one commit; a lost optimistic-lock race becomes a domain Conflict."""
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
