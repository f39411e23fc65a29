"""Two requests adding the same row at once, each on its own connection and committing for
real: the same new person (neither fails on the unique blind index, there is one person), and
the same Idempotency-Key (the second is told the key is in use, unless the first rolled back).

The first transaction inserts and holds its row; the second starts once it does, so it
reaches its insert while the first is still open: on PostgreSQL it waits on the first's row,
on SQLite on the write lock (app sessions begin IMMEDIATE).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.api import idempotency
from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from app.database import for_writers
from app.errors import Conflict
from app.people import service as people
from app.people.models import Person
from tests import factories as f

pytestmark = pytest.mark.committing

PNR = "199003159820"
# Long enough for the second transaction to be waiting when the first ends.
HOLD_SECONDS = 0.5
ENDINGS = ["commit", "rollback"]

Work = Callable[[Session], Any]


def _overlapping(
    engine: Engine, first: Work, second: Work, *, first_ends: str
) -> tuple[Any, Any | BaseException]:
    """Run `first` and, while its transaction is still open, `second`; what each returned (or
    the exception `second` raised)."""
    writers = sessionmaker(bind=for_writers(engine), expire_on_commit=False)
    first_holds_row = threading.Event()
    results: dict[str, Any] = {}

    def run_first() -> None:
        with writers() as session:
            results["first"] = first(session)
            first_holds_row.set()
            threading.Event().wait(HOLD_SECONDS)
            getattr(session, first_ends)()

    def run_second() -> None:
        first_holds_row.wait(timeout=10)
        with writers() as session:
            try:
                results["second"] = second(session)
                session.commit()
            except Exception as exc:  # noqa: BLE001 - the outcome under test
                results["second"] = exc

    threads = [threading.Thread(target=run) for run in (run_first, run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results["first"], results["second"]


@pytest.mark.parametrize("first_ends", ENDINGS)
def test_two_transactions_create_the_same_person_at_once(
    committing: sessionmaker[Session], engine: Engine, first_ends: str
) -> None:
    first, second = _overlapping(
        engine,
        lambda s: people.find_or_create_person(s, PNR, first_name="Eva", last_name="Först").id,
        lambda s: (
            people.find_or_create_person(
                s, PNR, first_name="Eva", last_name="Sist", email="eva@example.se"
            ).id
        ),
        first_ends=first_ends,
    )
    with committing() as session:
        stored = session.scalars(select(Person)).one()
        assert session.scalar(select(func.count()).select_from(Person)) == 1
    assert second == stored.id
    if first_ends == "commit":
        assert first == stored.id
        assert (stored.last_name, stored.email) == ("Först", "eva@example.se")
    else:
        assert (stored.last_name, stored.email) == ("Sist", "eva@example.se")


@pytest.mark.parametrize("first_ends", ENDINGS)
def test_two_requests_with_the_same_idempotency_key_at_once(
    committing: sessionmaker[Session], engine: Engine, first_ends: str
) -> None:
    with committing() as session:
        w = f.world(session)
        key_id = apikeys.create(session, company=w.company, name="lön", actor=w.by_certifier).key.id
        session.commit()

    def remember(answer: str) -> Work:
        def work(session: Session) -> str:
            key = session.get_one(ApiKey, key_id)
            idempotency.remember(
                session, key, "retry-1", "f" * 64, status=201, body={"answer": answer}
            )
            return answer

        return work

    _, second = _overlapping(engine, remember("first"), remember("second"), first_ends=first_ends)
    with committing() as session:
        key = session.get_one(ApiKey, key_id)
        stored = idempotency.replay(session, key, "retry-1", "f" * 64)
    if first_ends == "commit":
        assert isinstance(second, Conflict)
        assert second.code == "idempotency_key_in_use"
        assert stored is not None
        assert stored.body == {"answer": "first"}
    else:
        assert second == "second"
        assert stored is not None
        assert stored.body == {"answer": "second"}
