"""The six weeks: reminders at days 14 and 35, expiry at 42, drafts warned at 35 and removed at
42 (really deleted, the audit chain intact). Time is passed in, as the worker's clock."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.audit.models import AuditEvent
from app.audit.service import verify_chain
from app.certificates import deadlines as jobs
from app.certificates import service as certificates
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    CompletionMessage,
    SealedDocument,
    Signature,
    State,
)
from app.outbox.models import OutboxMessage
from app.people.models import NotifyBy
from app.worker.worker import Worker
from tests import factories as f


class Deadlines:
    """A worker that only runs the deadline jobs, on the day the test says."""

    def __init__(self, sessions: sessionmaker[Session], session: Session) -> None:
        self.now = f.NOW
        self.session = session
        self.worker = Worker(sessions, senders={}, public_url="https://intyga.test", batch_size=2)
        self.worker.clock = lambda: self.now

    def on_day(self, days: float) -> dict[str, int]:
        self.now = f.NOW + timedelta(days=days)
        report = dict(self.worker.run_deadlines())
        self.session.expire_all()
        return report

    def templates(self, **where: uuid.UUID) -> list[str]:
        query = select(OutboxMessage.template).order_by(OutboxMessage.id)
        for column, value in where.items():
            query = query.where(getattr(OutboxMessage, column) == value)
        return list(self.session.scalars(query))


@pytest.fixture
def deadlines(sessions: sessionmaker[Session], session: Session) -> Deadlines:
    return Deadlines(sessions, session)


def _reminders(session: Session, w: f.World) -> list[str]:
    return list(
        session.scalars(
            select(OutboxMessage.template)
            .where(
                OutboxMessage.recipient_person_id == w.employee.id,
                OutboxMessage.template.like("reminder_%"),
            )
            .order_by(OutboxMessage.id)
        )
    )


# --- reminders ------------------------------------------------------------------------------------


def test_the_employee_is_reminded_on_days_14_and_35_once_each(
    session: Session, deadlines: Deadlines
) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.SENT)
    session.commit()

    assert deadlines.on_day(13.9) == {}
    assert deadlines.on_day(14)["reminders"] == 1
    assert deadlines.on_day(14.5).get("reminders", 0) == 0
    assert deadlines.on_day(34) == {}
    assert deadlines.on_day(35)["reminders"] == 1
    assert deadlines.on_day(41.9) == {}
    assert _reminders(session, w) == ["reminder_14", "reminder_35"]


def test_a_worker_back_after_an_outage_sends_only_the_latest_reminder(
    session: Session, deadlines: Deadlines
) -> None:
    w = f.world(session)
    w.employee.mobile = "0701234567"
    w.employee.notify_by = NotifyBy.BOTH
    f.certificate_in(session, w, State.SENT)
    session.commit()

    assert deadlines.on_day(36)["reminders"] == 2  # e-mail and SMS
    assert _reminders(session, w) == ["reminder_35", "reminder_35"]


def test_a_new_version_starts_its_own_reminders(session: Session, deadlines: Deadlines) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    deadlines.on_day(14)
    assert _reminders(session, w) == [], "nothing is awaited from the employee"
    day_20 = f.NOW + timedelta(days=20)
    certificates.revise(session, cert, actor=w.by_certifier, now=day_20)
    certificates.sign(session, cert, signer=w.certifier, evidence=f.EVIDENCE, now=day_20)
    certificates.deliver(session, cert, now=day_20)
    session.commit()

    assert deadlines.on_day(33) == {}
    assert deadlines.on_day(34)["reminders"] == 1
    assert _reminders(session, w) == ["reminder_14"]


def test_answered_certificates_get_no_reminders(session: Session, deadlines: Deadlines) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.APPROVED)
    f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    session.commit()
    deadlines.on_day(36)
    assert _reminders(session, w) == []


def test_a_pass_finds_only_certificates_whose_next_reminder_fell_due(
    session: Session, deadlines: Deadlines
) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()

    def found(days: float) -> list[uuid.UUID]:
        return jobs.find_reminders(session, f.NOW + timedelta(days=days))

    assert found(13.9) == []
    assert found(14) == [cert.id]
    deadlines.on_day(14)
    assert cert.reminders_sent == 14
    assert found(14.1) == found(34.9) == [], "the day-14 reminder is not looked at again"
    assert found(35) == [cert.id]
    deadlines.on_day(35)
    assert cert.reminders_sent == 35
    assert found(36) == found(41.9) == []


def test_a_reminder_leaves_the_certificate_as_the_employee_last_saw_it(
    session: Session, deadlines: Deadlines
) -> None:
    """The approval form carries the lock version: a reminder sent while it is open must not make
    the employee's answer a conflict, nor count as a change of the certificate."""
    w = f.world(session)
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()
    lock_version, updated_at = cert.lock_version, cert.updated_at

    assert deadlines.on_day(14)["reminders"] == 1
    assert (cert.lock_version, cert.updated_at) == (lock_version, updated_at)


def test_a_new_version_after_a_reminder_gets_its_own(
    session: Session, deadlines: Deadlines
) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()
    assert deadlines.on_day(14)["reminders"] == 1
    day_15 = f.NOW + timedelta(days=15)
    certificates.request_completion(
        session, cert, employee=w.employee, message="Fel slutdatum", now=day_15
    )
    certificates.revise(session, cert, actor=w.by_certifier, now=day_15)
    certificates.sign(session, cert, signer=w.certifier, evidence=f.EVIDENCE, now=day_15)
    certificates.deliver(session, cert, now=day_15)
    session.commit()
    assert cert.reminders_sent == 0

    assert deadlines.on_day(28.9) == {}
    assert deadlines.on_day(29)["reminders"] == 1
    assert deadlines.on_day(49.9) == {}
    assert deadlines.on_day(50)["reminders"] == 1
    assert _reminders(session, w) == ["reminder_14", "reminder_14", "reminder_35"]


def test_a_reminder_sent_but_not_recorded_is_recorded_without_sending_it_again(
    session: Session, deadlines: Deadlines
) -> None:
    """As after the upgrade that added the record: the outbox still knows what went out."""
    w = f.world(session)
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()
    deadlines.on_day(14)
    session.execute(update(Certificate).values(reminders_sent=0))
    session.commit()

    assert deadlines.on_day(15) == {}
    assert cert.reminders_sent == 14
    assert jobs.find_reminders(session, f.NOW + timedelta(days=15)) == []
    assert _reminders(session, w) == ["reminder_14"]


# --- expiry ---------------------------------------------------------------------------------------


def test_at_day_42_the_certificate_expires_and_both_sides_are_told(
    session: Session, deadlines: Deadlines
) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()

    assert deadlines.on_day(41.99).get("expired", 0) == 0
    assert deadlines.on_day(42)["expired"] == 1
    assert deadlines.on_day(43).get("expired", 0) == 0

    session.refresh(cert)
    assert cert.state == State.EXPIRED
    assert deadlines.templates(recipient_person_id=w.employee.id)[-1] == "certificate_expired"
    assert deadlines.templates(recipient_company_id=w.company.id) == ["certificate_expired"]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.certificate_id == cert.id)
    ).all()
    assert actions.count("certificate.expire") == 1


# --- drafts ---------------------------------------------------------------------------------------


def _rows_of(session: Session, certificate_id: uuid.UUID) -> dict[str, int]:
    """Raw Core SELECTs, past the ORM's identity map: what the database still holds."""
    version_ids = select(CertificateVersion.__table__.c.id).where(
        CertificateVersion.__table__.c.certificate_id == certificate_id
    )
    queries = {
        "certificate": select(func.count())
        .select_from(Certificate.__table__)
        .where(Certificate.__table__.c.id == certificate_id),
        "certificate_version": select(func.count()).select_from(version_ids.subquery()),
        "completion_message": select(func.count())
        .select_from(CompletionMessage.__table__)
        .where(CompletionMessage.__table__.c.certificate_id == certificate_id),
        "signature": select(func.count())
        .select_from(Signature.__table__)
        .where(Signature.__table__.c.version_id.in_(version_ids)),
        "sealed_document": select(func.count())
        .select_from(SealedDocument.__table__)
        .where(SealedDocument.__table__.c.version_id.in_(version_ids)),
    }
    return {name: session.execute(query).scalar_one() for name, query in queries.items()}


def _draft(session: Session, w: f.World, at: datetime = f.NOW) -> Certificate:
    return certificates.create_draft(
        session,
        company=w.company,
        variant="full",
        content=f.content(),
        actor=w.by_certifier,
        now=at,
    )


def test_a_draft_untouched_for_35_days_is_warned_about_and_removed_at_42(
    session: Session, deadlines: Deadlines
) -> None:
    w = f.world(session)
    draft = _draft(session, w)
    draft_id = draft.id
    session.commit()
    assert _rows_of(session, draft_id) == {
        "certificate": 1,
        "certificate_version": 1,
        "completion_message": 0,
        "signature": 0,
        "sealed_document": 0,
    }

    assert deadlines.on_day(34.9) == {}
    assert deadlines.on_day(35) == {"drafts_warned": 1}
    assert deadlines.on_day(36) == {}
    assert deadlines.templates(recipient_company_id=w.company.id) == ["draft_removal_warning"]
    assert deadlines.on_day(41.9) == {}
    assert deadlines.on_day(42) == {"drafts_removed": 1}

    assert set(_rows_of(session, draft_id).values()) == {0}
    [removed] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "certificate.draft_removed")
    ).all()
    assert removed.certificate_id == draft_id
    assert removed.company_id == w.company.id
    assert removed.actor_label == "system"
    assert removed.data == {"version": 1, "untouched_days": 42}
    assert verify_chain(session).ok
    assert deadlines.on_day(50) == {}


def test_a_draft_is_removed_only_a_week_after_a_late_warning(
    session: Session, deadlines: Deadlines
) -> None:
    w = f.world(session)
    draft_id = _draft(session, w).id
    session.commit()

    assert deadlines.on_day(50) == {"drafts_warned": 1}, "the worker was down on day 35"
    assert deadlines.on_day(56.9) == {}
    assert deadlines.on_day(57) == {"drafts_removed": 1}
    assert _rows_of(session, draft_id)["certificate"] == 0


def test_touching_a_draft_restarts_its_clock(session: Session, deadlines: Deadlines) -> None:
    w = f.world(session)
    draft = _draft(session, w)
    session.commit()
    deadlines.on_day(35)
    certificates.edit_draft(
        session, draft, content=f.content(), actor=w.by_certifier, now=f.NOW + timedelta(days=36)
    )
    session.commit()

    assert deadlines.on_day(42) == {}
    assert deadlines.on_day(71) == {"drafts_warned": 1}
    assert deadlines.on_day(78) == {"drafts_removed": 1}
    assert deadlines.templates(recipient_company_id=w.company.id) == ["draft_removal_warning"] * 2


def test_a_company_without_an_address_loses_the_draft_without_a_warning(
    session: Session, deadlines: Deadlines
) -> None:
    w = f.world(session)
    w.company.notification_email = None
    draft_id = _draft(session, w).id
    session.commit()

    assert deadlines.on_day(42) == {"drafts_removed": 1}
    assert _rows_of(session, draft_id)["certificate"] == 0


def test_a_revision_draft_keeps_its_signed_history(session: Session, deadlines: Deadlines) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    certificates.revise(session, cert, actor=w.by_certifier, now=f.NOW + timedelta(days=2))
    session.commit()

    assert deadlines.on_day(100) == {}
    assert _rows_of(session, cert.id)["certificate_version"] == 2


@pytest.mark.parametrize("state", [State.DRAFT, State.COMPLETION_REQUESTED])
def test_only_drafts_never_signed_are_found_stale(session: Session, state: State) -> None:
    """The draft jobs read `current_version == 1` as "never signed": a revision draft is not."""
    w = f.world(session)
    cert = f.certificate_in(session, w, state)
    if state == State.COMPLETION_REQUESTED:
        certificates.revise(session, cert, actor=w.by_certifier, now=f.NOW + timedelta(days=2))
    session.commit()

    day_100 = f.NOW + timedelta(days=100)
    expected = [cert.id] if state == State.DRAFT else []
    assert jobs.find_drafts_to_warn(session, day_100) == expected
    assert jobs.find_drafts_to_remove(session, day_100) == expected
