"""Audit writers of different companies never wait on each other (PostgreSQL, real commits)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.audit.chain import link_pending
from app.audit.models import AuditEvent
from app.audit.service import SYSTEM, record, verify_chain

pytestmark = pytest.mark.committing


def test_a_writer_does_not_wait_for_another_writers_open_transaction(
    committing: sessionmaker[Session],
) -> None:
    with committing() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite has one writer at a time by design")
    first_company, second_company = uuid.uuid4(), uuid.uuid4()
    with committing() as first, committing() as second:
        record(first, action="test.first", actor=SYSTEM, company_id=first_company)
        first.flush()  # the first writer's event is inserted and its transaction stays open
        # Any lock the first writer holds would make this fail within the timeout.
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        record(second, action="test.second", actor=SYSTEM, company_id=second_company)
        second.commit()
        first.commit()
    with committing() as session:
        numbers = session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
        assert len(numbers) == 2
        assert link_pending(session) == 2
        session.commit()
        assert verify_chain(session).ok
        assert session.scalar(select(func.count()).where(AuditEvent.pos.is_(None))) == 0
