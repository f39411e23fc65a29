"""The six weeks (`lifecycle.md`): reminders, expiry, and removal of forgotten drafts.

Each job is a pair: `find` lists the certificates it concerns at `now` (ids only), `apply` handles
a batch of them in the caller's transaction and re-checks each one there. Flask-free and
flush-only; the worker commits after every batch. Running a job twice, or in two workers at
once, does nothing twice: reminders and warnings are keyed in the outbox, expiry goes through the
life cycle's optimistic lock, removal is a DELETE that re-checks its own conditions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.audit.service import record as record_audit
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.errors import Conflict, DeadlinePassed, IllegalTransition
from app.outbox import service as outbox
from app.outbox.models import Channel, OutboxMessage


@dataclass(frozen=True)
class Reminder:
    day: int  # after delivery; also what `Certificate.reminders_sent` keeps once it went out
    template: str

    @property
    def after(self) -> timedelta:
        return timedelta(days=self.day)


# Latest first: a worker that was down at day 14 and back at day 36 sends only the later one.
REMINDERS = (Reminder(35, "reminder_35"), Reminder(14, "reminder_14"))
DRAFT_WARNING_AFTER = timedelta(days=35)
DRAFT_REMOVAL_AFTER = timedelta(days=42)
WARNING_NOTICE = DRAFT_REMOVAL_AFTER - DRAFT_WARNING_AFTER
PERSON_CHANNELS = (Channel.EMAIL, Channel.SMS)


@dataclass(frozen=True)
class Job:
    name: str
    find: Callable[[Session, datetime], list[uuid.UUID]]
    apply: Callable[[Session, Sequence[uuid.UUID], datetime], int]


# --- reminders to the employee --------------------------------------------------------------------


def find_reminders(session: Session, now: datetime) -> list[uuid.UUID]:
    """Sent certificates whose next reminder fell due and has not gone out: a pass reads what it
    sends, not every certificate between day 14 and day 42 (`ix_certificate_sent_reminders`)."""
    return list(
        session.scalars(
            select(Certificate.id)
            .where(
                Certificate.state == State.SENT,
                _next_reminder_due(now),
                Certificate.answer_deadline > now,
            )
            .order_by(Certificate.delivered_at)
        )
    )


def _next_reminder_due(now: datetime) -> ColumnElement[bool]:
    """One bounded index range per reminder: those still at the reminder before it (equality, so
    that the delivery date bounds the range), delivered long enough ago but within the six weeks.
    That lower bound repeats `answer_deadline > now` (the deadline is delivery + ANSWER_PERIOD) in
    the index's own column: without it PostgreSQL guesses thousands of rows here and reads every
    sent certificate instead."""
    days = sorted(reminder.day for reminder in REMINDERS)
    return or_(
        *(
            and_(
                Certificate.reminders_sent == before,
                Certificate.delivered_at <= now - timedelta(days=day),
                Certificate.delivered_at > now - certificates.ANSWER_PERIOD,
            )
            for before, day in zip([0, *days], days, strict=False)
        )
    )


def send_reminders(session: Session, ids: Sequence[uuid.UUID], now: datetime) -> int:
    """The reminder each certificate is due for, unless it already went out; returns how many
    messages were written. Each certificate records the reminder, so no later pass finds it
    again for it; the outbox keys stay the guard against two workers at once."""
    planned: list[tuple[Certificate, Reminder, str]] = []
    for certificate in _load(session, ids, Certificate.state == State.SENT):
        reminder = _reminder_due(certificate, now)
        if reminder is not None:
            key = f"{certificate.id}:v{certificate.current_version}:{reminder.template}:employee"
            planned.append((certificate, reminder, key))
    sent = outbox.existing_keys(
        session, [f"{key}:{channel}" for *_, key in planned for channel in PERSON_CHANNELS]
    )
    written = 0
    for certificate, reminder, key in planned:
        if any(f"{key}:{channel}" in sent for channel in PERSON_CHANNELS):
            continue
        written += len(
            outbox.notify_person(
                session,
                certificate.employee,
                key=key,
                template=reminder.template,
                payload=_payload(certificate),
                now=now,
            )
        )
    for reminder in REMINDERS:
        _record_reminder(session, [c.id for c, r, _ in planned if r == reminder], reminder)
    session.flush()
    return written


def _reminder_due(certificate: Certificate, now: datetime) -> Reminder | None:
    if certificate.delivered_at is None or certificate.answer_deadline is None:
        return None
    if now >= certificate.answer_deadline:
        return None
    age = now - certificate.delivered_at
    due = next((reminder for reminder in REMINDERS if age >= reminder.after), None)
    return due if due is not None and due.day > certificate.reminders_sent else None


def _record_reminder(session: Session, ids: Sequence[uuid.UUID], reminder: Reminder) -> None:
    """A plain UPDATE: the employee's open page holds the lock version, and a reminder sent
    meanwhile must not turn their answer into a conflict (nor count as a change: updated_at)."""
    if not ids:
        return
    session.execute(
        update(Certificate)
        .where(
            Certificate.id.in_(list(ids)),
            Certificate.state == State.SENT,
            Certificate.reminders_sent < reminder.day,
        )
        .values(reminders_sent=reminder.day, updated_at=Certificate.updated_at)
        .execution_options(synchronize_session=False)
    )


# --- expiry at 42 days ----------------------------------------------------------------------------


def find_expired(session: Session, now: datetime) -> list[uuid.UUID]:
    return list(
        session.scalars(
            select(Certificate.id)
            .where(Certificate.state == State.SENT, Certificate.answer_deadline <= now)
            .order_by(Certificate.answer_deadline)
        )
    )


def expire_certificates(session: Session, ids: Sequence[uuid.UUID], now: datetime) -> int:
    """Expire each one (both sides are told by the life cycle); one the employee answered at the
    last moment is left alone: whoever wrote first won."""
    expired = 0
    for certificate_id in ids:
        try:
            with session.begin_nested():
                certificate = session.scalars(
                    select(Certificate)
                    .where(Certificate.id == certificate_id, Certificate.state == State.SENT)
                    .execution_options(populate_existing=True)
                ).one_or_none()
                if certificate is not None:
                    certificates.expire(session, certificate, now=now)
                    expired += 1
        except (Conflict, IllegalTransition, DeadlinePassed):
            continue
    return expired


# --- drafts nobody touches: warned at 35 days, removed at 42 --------------------------------------


def find_drafts_to_warn(session: Session, now: datetime) -> list[uuid.UUID]:
    return _stale_drafts(session, now - DRAFT_WARNING_AFTER)


def warn_drafts(session: Session, ids: Sequence[uuid.UUID], now: datetime) -> int:
    """Tell the company a week ahead; one warning per untouched state of the draft."""
    drafts = _load(
        session,
        ids,
        Certificate.state == State.DRAFT,
        Certificate.updated_at <= now - DRAFT_WARNING_AFTER,
    )
    warned = outbox.existing_keys(session, [f"{_warning_key(d)}:{Channel.EMAIL}" for d in drafts])
    written = 0
    for draft in drafts:
        if f"{_warning_key(draft)}:{Channel.EMAIL}" in warned:
            continue
        message = outbox.notify_company(
            session,
            draft.company,
            key=_warning_key(draft),
            template="draft_removal_warning",
            payload=_payload(draft),
            now=now,
        )
        written += message is not None
    session.flush()
    return written


def find_drafts_to_remove(session: Session, now: datetime) -> list[uuid.UUID]:
    return _stale_drafts(session, now - DRAFT_REMOVAL_AFTER)


def remove_drafts(session: Session, ids: Sequence[uuid.UUID], now: datetime) -> int:
    """Delete drafts untouched for 42 days whose company was warned at least a week ago (or has
    no address to warn). Real deletion: the certificate row goes, and with it, by the database's
    cascade, its versions and their content, signatures, sealed documents and messages. The
    audit trail keeps that it happened, with no personal data."""
    cutoff = now - DRAFT_REMOVAL_AFTER
    drafts = _load(session, ids, Certificate.state == State.DRAFT, Certificate.updated_at <= cutoff)
    warnings = select(OutboxMessage.idempotency_key, OutboxMessage.created_at).where(
        OutboxMessage.idempotency_key.in_([f"{_warning_key(d)}:{Channel.EMAIL}" for d in drafts])
    )
    warned_at = dict(session.execute(warnings).all())
    removable = {
        draft.id: draft
        for draft in drafts
        if not draft.company.notification_email
        or now - warned_at.get(f"{_warning_key(draft)}:{Channel.EMAIL}", now) >= WARNING_NOTICE
    }
    if not removable:
        return 0
    deleted = session.scalars(
        delete(Certificate)
        .where(
            Certificate.id.in_(list(removable)),
            Certificate.state == State.DRAFT,
            Certificate.updated_at <= cutoff,
            _never_signed(),
        )
        .returning(Certificate.id)
        .execution_options(synchronize_session=False)
    ).all()
    for certificate_id in deleted:
        draft = removable[certificate_id]
        record_audit(
            session,
            action="certificate.draft_removed",
            actor=SYSTEM,
            company_id=draft.company_id,
            certificate_id=certificate_id,
            data={
                "version": draft.current_version,
                "untouched_days": (now - draft.updated_at).days,
            },
            now=now,
        )
    for draft in removable.values():
        session.expunge(draft)
    return len(deleted)


def _stale_drafts(session: Session, untouched_since: datetime) -> list[uuid.UUID]:
    """Drafts never signed (a revision keeps the signed versions before it: not removed)."""
    return list(
        session.scalars(
            select(Certificate.id)
            .where(
                Certificate.state == State.DRAFT,
                Certificate.updated_at <= untouched_since,
                _never_signed(),
            )
            .order_by(Certificate.updated_at)
        )
    )


def _never_signed() -> ColumnElement[bool]:
    """For a draft, version 1 means never signed: only `create_draft` makes a certificate (at
    version 1), and the only way back to a draft is `revise`, which adds version n + 1 after a
    signed version n. Read from the row itself, not from every certificate's versions."""
    return Certificate.current_version == 1


def _warning_key(draft: Certificate) -> str:
    # lock_version changes with every save, so a draft touched after a warning gets a new one.
    return f"{draft.id}:l{draft.lock_version}:draft_removal_warning:company"


# --- shared ---------------------------------------------------------------------------------------


def _load(session: Session, ids: Sequence[uuid.UUID], *where: Any) -> list[Certificate]:
    return list(
        session.scalars(
            select(Certificate)
            .where(Certificate.id.in_(list(ids)), *where)
            .order_by(Certificate.id)
            .execution_options(populate_existing=True)
        ).unique()
    )


def _payload(certificate: Certificate) -> dict[str, Any]:
    return {"certificate_id": str(certificate.id), "version": certificate.current_version}


JOBS: tuple[Job, ...] = (
    Job("reminders", find_reminders, send_reminders),
    Job("expired", find_expired, expire_certificates),
    Job("drafts_warned", find_drafts_to_warn, warn_drafts),
    Job("drafts_removed", find_drafts_to_remove, remove_drafts),
)
