"""`app.database.add_inserted`: rows written at once, as a flush would have written them."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.certificates.models import Certificate, State
from app.database import add_inserted, utcnow
from app.imports.models import ImportedRecord
from tests import factories


def _certificate(world: factories.World) -> Certificate:
    return Certificate(
        id=uuid.uuid4(),
        company_id=world.company.id,
        employee_id=world.employee.id,
        variant="full",
    )


def test_defaults_are_applied_as_a_flush_applies_them(session: Session) -> None:
    world = factories.world(session)
    certificate = _certificate(world)
    before = utcnow()

    add_inserted(session, certificate)

    assert certificate.state == State.DRAFT
    assert certificate.current_version == 1
    assert certificate.lock_version == 1
    assert certificate.reminders_sent == 0
    assert before <= certificate.created_at <= utcnow()
    assert certificate.akassa_id is None
    stored = session.execute(
        select(
            Certificate.state,
            Certificate.lock_version,
            Certificate.created_at,
            Certificate.akassa_id,
            Certificate.delivered_at,
        ).where(Certificate.id == certificate.id)
    ).one()
    assert tuple(stored) == (State.DRAFT, 1, certificate.created_at, None, None)


def test_the_row_is_the_sessions_own_and_its_relations_load(session: Session) -> None:
    world = factories.world(session)
    certificate = _certificate(world)

    add_inserted(session, certificate)

    assert session.get(Certificate, certificate.id) is certificate
    assert certificate in session
    assert certificate not in session.new
    assert certificate.employee is world.employee
    assert certificate.company is world.company


def test_a_key_the_database_makes_is_read_back(session: Session) -> None:
    world = factories.world(session)
    certificate = _certificate(world)
    records = [
        ImportedRecord(
            company_id=world.company.id, record_key=f"k{n}", certificate_id=certificate.id
        )
        for n in range(2)
    ]

    add_inserted(session, certificate, *records)

    ids = [record.id for record in records]
    assert all(isinstance(made, int) for made in ids)
    assert ids[0] != ids[1]
    assert session.scalars(
        select(ImportedRecord.record_key)
        .where(ImportedRecord.id.in_(ids))
        .order_by(ImportedRecord.id)
    ).all() == ["k0", "k1"]


def test_a_change_afterwards_is_an_update_under_the_optimistic_lock(session: Session) -> None:
    world = factories.world(session)
    certificate = _certificate(world)
    add_inserted(session, certificate)

    certificate.state = State.SENT
    session.flush()

    assert certificate.lock_version == 2
    session.expire(certificate)
    assert (certificate.state, certificate.lock_version) == (State.SENT, 2)


def test_pending_objects_are_written_first(session: Session) -> None:
    world = factories.world(session)
    certificate = _certificate(world)
    session.add(certificate)  # pending: the record's foreign key needs it in the table first
    record = ImportedRecord(
        company_id=world.company.id, record_key="after", certificate_id=certificate.id
    )

    add_inserted(session, record)

    assert session.scalar(select(Certificate.id).where(Certificate.id == certificate.id))


def test_a_default_only_the_database_can_make_must_be_given(session: Session) -> None:
    event = AuditEvent(
        occurred_at=utcnow(), action="test", actor_label="test", data={}, mac="0" * 64
    )

    with pytest.raises(ValueError, match="only the database can evaluate"):
        add_inserted(session, event)
