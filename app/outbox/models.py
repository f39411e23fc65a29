from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, utcnow


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    WEBHOOK = "webhook"


class OutboxStatus(StrEnum):
    """pending: waiting (perhaps for a retry); sending: a worker committed that it is sending it
    now; sent; dead: given up after the last try, for an admin to look at."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


class OutboxMessage(Base):
    """One message to send once. The payload names what happened and links to it: no personal
    data; the worker looks up the recipient's address when it sends.

    `claimed_by`/`claimed_until` are a worker's lease: nobody else takes the message until the
    lease runs out, and a worker that died releases it simply by not renewing it.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'sms', 'webhook')", name="channel_known"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'dead')", name="status_known"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_company_status", "recipient_company_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(10))
    template: Mapped[str] = mapped_column(String(60))
    recipient_person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE")
    )
    recipient_company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE")
    )
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None]
    # The request that queued it (`app.correlation`): the worker logs its sending under that id.
    request_id: Mapped[str | None] = mapped_column(String(64))
