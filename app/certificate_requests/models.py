from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.companies.models import Company
from app.database import Base, UuidPrimaryKey, utcnow
from app.people.models import Person
from app.privacy.types import EncryptedText


class RequestState(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    DECLINED = "declined"


class CertificateRequest(UuidPrimaryKey, Base):
    """An employee's request that a company write them a certificate for a period.

    Answered once: fulfilled by a draft made from it (linked), or declined with a reason the
    employee reads. `lock_version` makes two colleagues answering at once a Conflict, not two
    answers.
    """

    __tablename__ = "certificate_request"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'fulfilled', 'declined')", name="state_known"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        Index("ix_certificate_request_company_state", "company_id", "state", "created_at"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    message: Mapped[str | None] = mapped_column(EncryptedText())
    state: Mapped[str] = mapped_column(String(10), default=RequestState.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(EncryptedText())
    fulfilled_certificate_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("certificate.id", ondelete="SET NULL")
    )
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012 - SQLAlchemy's own API

    company: Mapped[Company] = relationship(lazy="joined")
    person: Mapped[Person] = relationship(lazy="joined")
