from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UuidPrimaryKey, utcnow
from app.privacy.types import EncryptedJSON, EncryptedText


class EidOrder(UuidPrimaryKey, Base):
    """One BankID order, bound to the browser that started it (by a hash of a session secret).

    The QR secret never leaves the server. `consumed_at` makes an order usable exactly once.
    """

    __tablename__ = "eid_order"
    __table_args__ = (
        CheckConstraint("purpose IN ('login', 'sign')", name="purpose_known"),
        CheckConstraint("status IN ('pending', 'complete', 'failed')", name="status_known"),
    )

    order_ref: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(8))
    browser_key: Mapped[str] = mapped_column(String(64))
    qr_start_token: Mapped[str] = mapped_column(String(64))
    qr_start_secret: Mapped[str] = mapped_column(EncryptedText())
    auto_start_token: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(8), default="pending")
    hint_code: Mapped[str | None] = mapped_column(String(40))
    last_collected_at: Mapped[datetime | None]
    visible_data: Mapped[str | None] = mapped_column(Text)
    document_digest: Mapped[str | None] = mapped_column(String(64))
    signer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    subject: Mapped[dict[str, Any]] = mapped_column(default=dict)
    completion: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON())
    verification: Mapped[dict[str, Any] | None]
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    finished_at: Mapped[datetime | None]
    consumed_at: Mapped[datetime | None]
