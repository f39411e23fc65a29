"""The linker: chains the events writers inserted, in order and in batches, and seals the head.

Runs in the worker (`link_and_anchor` is one step of its loop). One linker at a time holds the
head row (FOR UPDATE SKIP LOCKED: a second worker skips the pass rather than waiting). Events
are linked in number order among those committed; one whose transaction commits late (a lower
number seen after higher ones) is linked when it appears, so chain order is commit-visible
order and every committed event is linked exactly once.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit import anchors
from app.audit.models import AuditChainHead, AuditEvent
from app.audit.service import GENESIS, HEAD_ID, chain_link, current_key, mac_holds
from app.database import insert, utcnow
from signing.seal import ServiceSeal

log = logging.getLogger(__name__)


def link_pending(session: Session, *, batch_size: int = 1000) -> int:
    """Link up to `batch_size` events in the caller's transaction; how many were linked."""
    session.execute(
        insert(session, AuditChainHead)
        .values(id=HEAD_ID, pos=0, link=GENESIS, linked_at=utcnow())
        .on_conflict_do_nothing(index_elements=["id"])
    )
    head = session.scalars(
        select(AuditChainHead).where(AuditChainHead.id == HEAD_ID).with_for_update(skip_locked=True)
    ).one_or_none()
    if head is None:
        return 0  # another worker is linking
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.pos.is_(None))
        .order_by(AuditEvent.seq)
        .limit(batch_size)
    ).all()
    key = current_key()
    pos, link, rows = head.pos, head.link, []
    for event in events:
        if not mac_holds(key, event):
            # Linking it would build on a forged event: stop here for audit-verify to report.
            log.error("audit event %s does not match its MAC; linking stopped", event.seq)
            break
        pos += 1
        link = chain_link(key, pos=pos, seq=event.seq, mac=event.mac, previous=link)
        rows.append({"seq": event.seq, "pos": pos, "link": link})
    if rows:
        session.execute(update(AuditEvent), rows)
        head.pos, head.link, head.linked_at = pos, link, utcnow()
    return len(rows)


@dataclass
class Linker:
    """The worker's audit step: link everything pending, then seal an anchor when due."""

    sessions: Callable[[], Session]
    seal: ServiceSeal
    anchor_dir: Path
    anchor_every: timedelta
    batch_size: int = 1000
    max_batches: int = 50
    clock: Callable[[], datetime] = utcnow

    @property
    def trusted(self) -> Sequence[x509.Certificate]:
        return [self.seal.certificate]

    def run(self) -> Counter[str]:
        report: Counter[str] = Counter()
        for _ in range(self.max_batches):
            with self.sessions() as session:
                linked = link_pending(session, batch_size=self.batch_size)
                session.commit()
            report["audit_events_linked"] += linked
            if linked < self.batch_size:
                break
        if self.anchor_due():
            report["audit_anchors_sealed"] += self.anchor() is not None
        return +report

    def anchor_due(self) -> bool:
        last = anchors.latest(self.anchor_dir, self.trusted)
        return last is None or self.clock() - last.sealed_at >= self.anchor_every

    def anchor(self) -> anchors.Anchor | None:
        """Seal the head as it stands, unless the newest anchor already holds it."""
        with self.sessions() as session:
            head = session.get(AuditChainHead, HEAD_ID)
        if head is None or head.pos == 0:
            return None
        last = anchors.latest(self.anchor_dir, self.trusted)
        if last is not None and last.pos == head.pos:
            return None
        return anchors.write(
            self.anchor_dir, self.seal, pos=head.pos, link=head.link, now=self.clock()
        )
