"""The outbox: writing messages inside the caller's transaction, and the state changes the worker
makes while sending them (claim, begin, sent, failed). Every function here only flushes; the
worker (`app.worker.worker`) decides where its transactions end.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from app import correlation
from app.companies.models import Company
from app.database import rows_affected, utcnow
from app.errors import NotFound
from app.outbox.models import Channel, OutboxMessage, OutboxStatus
from app.people.models import Person

# --- writing, in the transaction of the change ---------------------------------------------------


def enqueue(
    session: Session,
    *,
    key: str,
    channel: Channel,
    template: str,
    payload: Mapping[str, Any],
    person: Person | None = None,
    company: Company | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    now = now or utcnow()
    message = OutboxMessage(
        idempotency_key=f"{key}:{channel}",
        channel=channel,
        template=template,
        payload=dict(payload),
        recipient_person_id=person.id if person else None,
        recipient_company_id=company.id if company else None,
        created_at=now,
        next_attempt_at=now,
        request_id=correlation.request_id(),
    )
    session.add(message)
    return message


def notify_person(
    session: Session,
    person: Person,
    *,
    key: str,
    template: str,
    payload: Mapping[str, Any],
    now: datetime | None = None,
) -> list[OutboxMessage]:
    """One message per channel the person chose and has an address for."""
    addresses = {Channel.EMAIL: person.email, Channel.SMS: person.mobile}
    return [
        enqueue(
            session,
            key=key,
            channel=channel,
            template=template,
            payload=payload,
            person=person,
            now=now,
        )
        for channel, address in addresses.items()
        if person.wants(channel) and address
    ]


def notify_company(
    session: Session,
    company: Company,
    *,
    key: str,
    template: str,
    payload: Mapping[str, Any],
    now: datetime | None = None,
) -> OutboxMessage | None:
    if not company.notification_email:
        return None
    return enqueue(
        session,
        key=key,
        channel=Channel.EMAIL,
        template=template,
        payload=payload,
        company=company,
        now=now,
    )


def existing_keys(session: Session, keys: Collection[str]) -> set[str]:
    """Which of these idempotency keys are already in the outbox (for jobs that run again)."""
    found: set[str] = set()
    listed = list(keys)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        found.update(
            session.scalars(
                select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.idempotency_key.in_(chunk)
                )
            )
        )
    return found


# --- sending: leases, attempts, back-off ---------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How long a claim holds, how often to try, how long to wait between tries."""

    max_attempts: int = 8
    backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(hours=6)
    lease: timedelta = timedelta(minutes=5)

    def delay(self, attempts: int) -> timedelta:
        """Exponential: backoff, 2×, 4×, … after the 1st, 2nd, 3rd failed try; capped."""
        factor: int = 2 ** max(0, attempts - 1)
        return min(self.backoff * factor, self.max_backoff)


def claim_due(
    session: Session,
    *,
    worker: str,
    channels: Collection[str],
    now: datetime,
    lease: timedelta,
    limit: int,
) -> list[int]:
    """Lease up to `limit` due messages of `channels` to `worker`; returns their ids.

    Due: pending and its time has come, or left "sending" by a worker whose lease ran out (it
    died mid-send). Rows another worker holds a live lease on are not due. On PostgreSQL the
    candidates are locked with FOR UPDATE SKIP LOCKED, so concurrent workers take disjoint
    batches without waiting for each other; on SQLite the single UPDATE statement takes the
    database's write lock, which serialises workers.
    """
    if not channels:
        return []
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.channel.in_(list(channels)),
            or_(
                and_(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.next_attempt_at <= now,
                ),
                OutboxMessage.status == OutboxStatus.SENDING,
            ),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(claimed_by=worker, claimed_until=now + lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(claimed)


def begin_sending(
    session: Session, message_id: int, *, worker: str, now: datetime, lease: timedelta
) -> OutboxMessage | None:
    """Record that `worker` is about to send this message (commit before sending!).

    Counts the attempt and renews the lease. Returns None when the claim was lost (the lease ran
    out and another worker took the message over): then this worker must not send it.
    """
    taken = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == worker,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            claimed_until=now + lease,
        )
        .execution_options(synchronize_session=False)
    )
    if rows_affected(taken) != 1:
        return None
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .execution_options(populate_existing=True)
    ).one()


def mark_sent(session: Session, message_id: int, *, worker: str, now: datetime) -> bool:
    return _finish(
        session,
        message_id,
        worker,
        status=OutboxStatus.SENT,
        sent_at=now,
        last_error=None,
    )


def mark_failed(
    session: Session,
    message_id: int,
    *,
    attempts: int,
    worker: str,
    now: datetime,
    error: str,
    permanent: bool,
    policy: RetryPolicy,
) -> str:
    """After a failed try: wait and try again, or give up (dead letter). `error` must hold no
    personal data. Returns the new status."""
    if permanent or attempts >= policy.max_attempts:
        status = OutboxStatus.DEAD
        _finish(session, message_id, worker, status=status, last_error=error[:500])
        return status
    _finish(
        session,
        message_id,
        worker,
        status=OutboxStatus.PENDING,
        next_attempt_at=now + policy.delay(attempts),
        last_error=error[:500],
    )
    return OutboxStatus.PENDING


def release(session: Session, message_id: int, *, worker: str) -> None:
    """Hand back a claimed message this worker will not send after all (e.g. on shutdown)."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == worker,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )


def _finish(session: Session, message_id: int, worker: str, **values: Any) -> bool:
    done = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == worker,
            OutboxMessage.status == OutboxStatus.SENDING,
        )
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return rows_affected(done) == 1


# --- for a company's admins ----------------------------------------------------------------------


def dead_letters(session: Session, company_id: uuid.UUID | None) -> list[OutboxMessage]:
    """Messages given up after the last try, newest first: one company's, or (for the service's
    operators, `company_id` None) everyone's."""
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.DEAD)
    if company_id is not None:
        query = query.where(OutboxMessage.recipient_company_id == company_id)
    return list(
        session.scalars(query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()))
    )


def retry_dead_letter(
    session: Session,
    company_id: uuid.UUID | None,
    message_id: int,
    *,
    now: datetime | None = None,
) -> OutboxMessage:
    """Put a dead letter back in line (after fixing, say, the address); scoped like
    `dead_letters`, so another company's message is not found."""
    query = select(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.DEAD
    )
    if company_id is not None:
        query = query.where(OutboxMessage.recipient_company_id == company_id)
    message = session.scalar(query)
    if message is None:
        raise NotFound("message_not_found")
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now or utcnow()
    session.flush()
    return message
