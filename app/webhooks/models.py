from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.companies.models import Company
from app.database import Base, UuidPrimaryKey, utcnow
from app.privacy.types import EncryptedText


class WebhookEndpoint(UuidPrimaryKey, Base):
    """A URL of a company's payroll system that hears of its certificates' state changes.

    The secret signs every delivery; it is stored encrypted (we need it back to sign) and shown
    to the admin once, when the endpoint is made. Endpoints are deactivated, never deleted, so
    the delivery log keeps its subject.
    """

    __tablename__ = "webhook_endpoint"

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(EncryptedText)
    description: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    company: Mapped[Company] = relationship(lazy="joined")


class WebhookDelivery(Base):
    """One attempt to deliver one outbox message to one endpoint. `error` is written by us (never
    the receiver's reply), so the log holds no personal data."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_endpoint_time", "endpoint_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE")
    )
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL")
    )
    event: Mapped[str] = mapped_column(String(40))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(200))
    duration_ms: Mapped[int]

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
