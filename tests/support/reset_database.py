"""Empty the database named by DATABASE_URL (a throw-away test database) before migrating it."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text


def reset(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    reset(os.environ["DATABASE_URL"])
