"""A worker step is one transaction: what it flushed is kept when it ends, and none of it when
it raises."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.people import service as people
from app.worker.steps import step

KEPT, UNDONE = "198001019804", "198506129819"


def test_a_step_commits_once_at_its_end_and_rolls_back_on_any_exception(
    connection: Connection,
) -> None:
    def sessions() -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint")

    with step(sessions) as session:
        people.find_or_create_person(session, KEPT, first_name="Anna", last_name="Kvar")

    def failing_step() -> None:
        with step(sessions) as session:
            people.find_or_create_person(session, UNDONE, first_name="Carl", last_name="Borta")
            session.flush()
            raise RuntimeError("the step failed")

    with pytest.raises(RuntimeError):
        failing_step()
    with sessions() as reader:
        assert people.find_person(reader, KEPT) is not None
        assert people.find_person(reader, UNDONE) is None
