"""Alembic environment: migrations run against the Flask app's engine and our metadata.

Our column types (encryption, UTC datetimes) are rendered as the plain types they store, so a
migration never imports application code that may change after it was written.
"""

from __future__ import annotations

import logging
from logging.config import fileConfig
from typing import Any

from alembic import context
from flask import current_app
from sqlalchemy.types import TypeDecorator

import app.models  # noqa: F401 - registers every table on the metadata
from app.database import Base

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def compare_type(
    _context: Any, _inspected: Any, metadata_column: Any, inspected_type: Any, metadata_type: Any
) -> bool | None:
    if isinstance(metadata_type, TypeDecorator):
        return None if not isinstance(metadata_type.impl, type(inspected_type)) else False
    return None


def run_migrations_online() -> None:
    engine = current_app.extensions["migrate"].db.get_engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_item=render_item,
            compare_type=compare_type,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url=current_app.config["DATABASE_URL"],
        target_metadata=Base.metadata,
        render_item=render_item,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
