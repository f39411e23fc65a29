"""Appending to and verifying the hash chain.

hash = SHA-256 over the canonical JSON of the event's fields together with the previous hash,
so changing, removing or reordering any event breaks every link after it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit.models import AuditChainHead, AuditEvent
from app.database import utcnow

GENESIS = "0" * 64
HEAD_ID = 1


@dataclass(frozen=True)
class Actor:
    """Who did something: a person, or a system part such as the worker or an API key."""

    label: str
    person_id: uuid.UUID | None = None

    @classmethod
    def person(cls, person_id: uuid.UUID) -> Actor:
        return cls(label="person", person_id=person_id)


SYSTEM = Actor(label="system")


def event_hash(
    *,
    seq: int,
    occurred_at: datetime,
    action: str,
    actor_id: uuid.UUID | None,
    actor_label: str,
    company_id: uuid.UUID | None,
    certificate_id: uuid.UUID | None,
    data: Mapping[str, Any],
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        {
            "seq": seq,
            "occurred_at": occurred_at.isoformat(),
            "action": action,
            "actor_id": str(actor_id) if actor_id else None,
            "actor_label": actor_label,
            "company_id": str(company_id) if company_id else None,
            "certificate_id": str(certificate_id) if certificate_id else None,
            "data": data,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _claim_next(session: Session) -> tuple[int, str]:
    """Advance the head first: the UPDATE takes the row (or database) lock before we read."""
    row = session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(seq=AuditChainHead.seq + 1)
        .returning(AuditChainHead.seq, AuditChainHead.last_hash)
    ).one_or_none()
    if row is not None:
        return row.seq, row.last_hash
    session.add(AuditChainHead(id=HEAD_ID, seq=1, last_hash=GENESIS))
    session.flush()
    return 1, GENESIS


def record(
    session: Session,
    *,
    action: str,
    actor: Actor,
    company_id: uuid.UUID | None = None,
    certificate_id: uuid.UUID | None = None,
    data: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction. `data` must hold no personal data."""
    seq, prev_hash = _claim_next(session)
    fields: dict[str, Any] = {
        "seq": seq,
        "occurred_at": now or utcnow(),
        "action": action,
        "actor_id": actor.person_id,
        "actor_label": actor.label,
        "company_id": company_id,
        "certificate_id": certificate_id,
        "data": dict(data or {}),
        "prev_hash": prev_hash,
    }
    event = AuditEvent(**fields, hash=event_hash(**fields))
    session.add(event)
    session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(last_hash=event.hash)
    )
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str | None = None


def verify_chain(session: Session, *, batch_size: int = 1000) -> ChainReport:
    """Recompute every link in order; report the first event whose link does not hold."""
    head = session.get(AuditChainHead, HEAD_ID)
    events = session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    )
    try:
        return _walk(events, head)
    finally:
        events.close()  # a broken link ends the walk early: release the server-side cursor


def _walk(events: Iterable[AuditEvent], head: AuditChainHead | None) -> ChainReport:
    expected_prev, checked = GENESIS, 0
    for event in events:
        if event.seq != checked + 1:
            return ChainReport(False, checked, checked + 1, "missing event (gap in sequence)")
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, event.seq, "previous-hash link does not match")
        if _recomputed(event) != event.hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash")
        expected_prev, checked = event.hash, checked + 1
    if head is not None and (head.seq != checked or head.last_hash != expected_prev):
        return ChainReport(False, checked, checked + 1, "events missing at the end of the chain")
    return ChainReport(True, checked)


def _recomputed(event: AuditEvent) -> str:
    return event_hash(
        seq=event.seq,
        occurred_at=event.occurred_at,
        action=event.action,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        company_id=event.company_id,
        certificate_id=event.certificate_id,
        data=event.data,
        prev_hash=event.prev_hash,
    )
