from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, Timestamped, utcnow
from app.privacy.types import EncryptedText


class Source(StrEnum):
    FILE = "file"  # learned from an import that named both the id and the person
    PORTAL = "portal"  # entered or changed by an administrator


class EmploymentNumber(Timestamped, Base):
    """One employment id of a company's payroll system and the person it stands for.

    The personnummer is encrypted and found through its blind index, like a Person's. The
    names are what the file or the administrator called the person: a draft needs them, and a
    file naming people by id alone names nobody.
    """

    __tablename__ = "employment_number"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_employment_number_person", "company_id", "personnummer_index"),
        CheckConstraint("source IN ('file', 'portal')", name="source_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(40))
    personnummer: Mapped[str] = mapped_column(EncryptedText())
    personnummer_index: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(6), default=Source.FILE)
    # When a file last named the number or an administrator last saved it: the register keeps
    # it for a while after (app/dataprotection/retention.py), then forgets it.
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_personnummer(self) -> str:
        from schemas import mask_personnummer  # noqa: PLC0415 - as Person does

        return mask_personnummer(self.personnummer)
