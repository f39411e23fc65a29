"""Recording events and proving the trail.

Each event carries `mac` = HMAC-SHA256 under AUDIT_KEY (kept outside the database) over its
canonical content and number, so nobody who can only write to the database can change an event
or make one up. The linker (app/audit/chain.py) then chains events in order:
`link = HMAC(key, pos, seq, mac, previous link)`, so removing or reordering linked events
breaks every link after them. Cutting the tail and moving the head back leaves a chain that
links, so the head is also sealed into anchors outside the database (app/audit/anchors.py),
and `verify_chain` checks the chain against every anchor.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.anchors import Anchor
from app.audit.models import EVENT_SEQUENCE, AuditChainHead, AuditEvent
from app.database import add_inserted, utcnow

GENESIS = "0" * 64
HEAD_ID = 1

_key: bytes | None = None


class AuditKeyMissingError(RuntimeError):
    pass


def configure(key: str | bytes) -> None:
    """Set the process-wide audit key (from AUDIT_KEY, at app start), as the vault's keys are."""
    global _key  # noqa: PLW0603 - one process-wide key, like app.privacy.vault
    _key = key.encode() if isinstance(key, str) else key


def current_key() -> bytes:
    if not _key:
        msg = "app.audit.service.configure() has not been called"
        raise AuditKeyMissingError(msg)
    return _key


@dataclass(frozen=True)
class Actor:
    """Who did something: a person, or a system part such as the worker or an API key."""

    label: str
    person_id: uuid.UUID | None = None

    @classmethod
    def person(cls, person_id: uuid.UUID) -> Actor:
        return cls(label="person", person_id=person_id)


SYSTEM = Actor(label="system")


def event_mac(
    key: bytes,
    *,
    seq: int,
    occurred_at: datetime,
    action: str,
    actor_id: uuid.UUID | None,
    actor_label: str,
    company_id: uuid.UUID | None,
    certificate_id: uuid.UUID | None,
    data: Mapping[str, Any],
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
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(key, b"event:" + canonical.encode(), hashlib.sha256).hexdigest()


def chain_link(key: bytes, *, pos: int, seq: int, mac: str, previous: str) -> str:
    message = f"link:{pos}:{seq}:{mac}:{previous}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# PostgreSQL: the sequence (no lock held to commit). SQLite has one writer at a time.
_NEXT_SEQ = {
    "postgresql": select(EVENT_SEQUENCE.next_value()),
    "sqlite": select(func.coalesce(func.max(AuditEvent.seq), 0) + 1),
}


def _next_seq(session: Session) -> int:
    connection = session.connection()
    return int(connection.execute(_NEXT_SEQ[connection.dialect.name]).scalar_one())


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
    """Add one event to the caller's transaction. `data` must hold no personal data."""
    fields: dict[str, Any] = {
        "seq": _next_seq(session),
        "occurred_at": now or utcnow(),
        "action": action,
        "actor_id": actor.person_id,
        "actor_label": actor.label,
        "company_id": company_id,
        "certificate_id": certificate_id,
        "data": dict(data or {}),
    }
    event = AuditEvent(**fields, mac=event_mac(current_key(), **fields), pos=None, link=None)
    # Inserted now: SQLite's next number is read from the table.
    add_inserted(session, event)
    return event


def mac_holds(key: bytes, event: AuditEvent) -> bool:
    expected = event_mac(
        key,
        seq=event.seq,
        occurred_at=event.occurred_at,
        action=event.action,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        company_id=event.company_id,
        certificate_id=event.certificate_id,
        data=event.data,
    )
    return hmac.compare_digest(expected, event.mac)


@dataclass(frozen=True)
class ChainReport:
    """`broken_at` is the chain position where the proof fails (or the event number of an
    event not yet linked); `pending` counts events proven by their MAC, awaiting the linker."""

    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str | None = None
    pending: int = 0
    anchors: int = 0


def verify_chain(
    session: Session, *, anchors: Sequence[Anchor] = (), batch_size: int = 1000
) -> ChainReport:
    """Prove every event: its MAC, its link in position order, the head, and each anchor."""
    key = current_key()
    head = session.get(AuditChainHead, HEAD_ID)
    linked = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.pos.is_not(None))
        .order_by(AuditEvent.pos)
        .execution_options(yield_per=batch_size)
    )
    try:
        report = _walk(key, linked, head, anchors)
    finally:
        linked.close()  # a broken link ends the walk early: release the server-side cursor
    if not report.ok:
        return report
    pending = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.pos.is_(None))
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=batch_size)
    )
    count = 0
    try:
        for event in pending:
            if not mac_holds(key, event):
                return ChainReport(
                    False, report.checked, event.seq, "content does not match its MAC", count
                )
            count += 1
    finally:
        pending.close()
    return ChainReport(True, report.checked, pending=count, anchors=len(anchors))


def _walk(
    key: bytes,
    events: Iterable[AuditEvent],
    head: AuditChainHead | None,
    anchors: Sequence[Anchor],
) -> ChainReport:
    anchored = {anchor.pos: anchor for anchor in anchors}
    expected, checked = GENESIS, 0
    for event in events:
        pos = checked + 1
        link = chain_link(key, pos=pos, seq=event.seq, mac=event.mac, previous=expected)
        if fault := _fault(key, event, pos, link, anchored.get(pos)):
            return ChainReport(False, checked, pos, fault)
        expected, checked = link, pos
    beyond = [anchor for anchor in anchors if anchor.pos > checked]
    if beyond:
        last = max(beyond, key=lambda anchor: anchor.pos)
        reason = f"events missing at the end: the anchor of {last.label} holds {last.pos}"
        return ChainReport(False, checked, checked + 1, reason)
    head_at = (head.pos, head.link) if head is not None else (0, GENESIS)
    if head_at != (checked, expected):
        return ChainReport(False, checked, checked + 1, "the chain head does not match its end")
    return ChainReport(True, checked)


def _fault(key: bytes, event: AuditEvent, pos: int, link: str, anchor: Anchor | None) -> str | None:
    """Why the event at `pos` does not prove, if it does not."""
    if event.pos != pos:
        return "missing event (gap in the chain)"
    if not mac_holds(key, event):
        return "content does not match its MAC"
    if event.link is None or not hmac.compare_digest(link, event.link):
        return "link to the previous event does not hold"
    if anchor is not None and anchor.link != link:
        return f"differs from the anchor of {anchor.label}"
    return None
