"""The audit trail: every transition, keyed and chained so that any edit, gap or cut shows.

Writers only insert: an event takes its number from a sequence and carries its own HMAC, so
writers of different companies never wait on each other. The chain (`pos`, `link`) is added
afterwards, in order and in batches, by the worker (app/audit/chain.py); the head row is
touched by that one linker only.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, Sequence, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base

EVENT_SEQUENCE = Sequence("audit_event_seq")
# SQLite: INTEGER PRIMARY KEY (the rowid); PostgreSQL: 64 bits from the sequence.
EventNumber = BigInteger().with_variant(Integer(), "sqlite")


class AuditEvent(Base):
    """One event; ids are not foreign keys because the trail outlives deleted drafts."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index(
            "ix_audit_event_unlinked",
            "seq",
            postgresql_where=text("pos IS NULL"),
            sqlite_where=text("pos IS NULL"),
        ),
    )

    seq: Mapped[int] = mapped_column(
        EventNumber, EVENT_SEQUENCE, primary_key=True, autoincrement=False
    )
    occurred_at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_label: Mapped[str] = mapped_column(String(80))
    company_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    certificate_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    data: Mapped[dict[str, Any]]
    # HMAC-SHA256 (AUDIT_KEY) over the event's canonical content, made at insert.
    mac: Mapped[str] = mapped_column(String(64))
    # Set by the linker: the position in the chain and HMAC(previous link, this event).
    pos: Mapped[int | None] = mapped_column(EventNumber, unique=True)
    link: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """Where the linker stopped: the last linked position and its link. Only the linker
    writes it (under a row lock, so two workers never link at once); writers never read it."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    pos: Mapped[int] = mapped_column(EventNumber)
    link: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime]
