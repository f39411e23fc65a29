from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UuidPrimaryKey, utcnow
from app.privacy.types import EncryptedJSON


class IdempotentRequest(UuidPrimaryKey, Base):
    """The first answer to a POST made with an `Idempotency-Key`, kept so a retry gets it again.

    Scoped to the API key that made the request; `request_hash` tells a retry (same body) from
    a reuse of the key for something else. The answer names people: it is encrypted.
    """

    __tablename__ = "api_idempotent_request"
    __table_args__ = (UniqueConstraint("api_key_id", "idempotency_key"),)

    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_key.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    body: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
