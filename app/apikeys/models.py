from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.companies.models import Company
from app.database import Base, UuidPrimaryKey, utcnow


class ApiKey(UuidPrimaryKey, Base):
    """One company's key for its payroll system. Only the SHA-256 of the key is stored: the
    plaintext is shown once, when the key is made, and `prefix` lets people tell keys apart."""

    __tablename__ = "api_key"

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    created_by_label: Mapped[str] = mapped_column(String(80))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship(lazy="joined")

    @property
    def display(self) -> str:
        """How the key is shown after creation: its start only."""
        return f"intyga_{self.prefix}…"
