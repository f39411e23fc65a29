"""Migrations (Flask-Migrate, and through it Alembic), loaded only by what migrates: the
`flask db` commands and `upgrade`. Every other command, and the app servers, start without
them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def register(app: Flask) -> None:
    """Flask-Migrate's extension on `app`, once."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate  # noqa: PLC0415 - imports Alembic

    from app.extensions import db  # noqa: PLC0415

    Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)


def upgrade(revision: str = "heads") -> None:
    """Migrate the current app's database to `revision`."""
    register(current_app)
    import flask_migrate  # noqa: PLC0415

    flask_migrate.upgrade(revision=revision)


class LazyMigrationGroup(click.Command):
    """`flask db ...`: Flask-Migrate's command group, imported when it is used. Its context is
    the real group's, so the real group parses the arguments, shows the help and runs."""

    def __init__(self) -> None:
        super().__init__(
            "db",
            help="Perform database migrations.",
            add_help_option=False,
            context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        )

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        register(current_app)
        from flask_migrate.cli import db  # noqa: PLC0415

        context: click.Context = db.make_context(info_name, args, parent=parent, **extra)
        return context
