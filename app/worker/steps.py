"""The worker's unit of work: one job step, one transaction.

As a request commits once at its end (`Database.commit_boundary`), a step of a job commits
once when it ends and rolls back on any exception; what it calls only flushes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def step(sessions: Callable[[], Session]) -> Iterator[Session]:
    """A fresh session for one step: committed when the block ends, rolled back if it raises."""
    with sessions() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()
