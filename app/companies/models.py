from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, Timestamped, UuidPrimaryKey
from app.people.models import Person
from app.privacy.types import EncryptedText


class Role(StrEnum):
    ADMIN = "admin"
    CERTIFIER = "certifier"


class Company(UuidPrimaryKey, Timestamped, Base):
    """An employer account. A sole trader's organisationsnummer is a personnummer: encrypted too."""

    __tablename__ = "company"

    organisationsnummer: Mapped[str] = mapped_column(EncryptedText())
    organisationsnummer_index: Mapped[str] = mapped_column(String(64), unique=True)
    employer_id: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    street: Mapped[str | None] = mapped_column(String(100))
    care_of: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(50))
    notification_email: Mapped[str | None] = mapped_column(String(254))
    notify_on_approval: Mapped[bool] = mapped_column(default=False)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="company", cascade="all, delete-orphan", lazy="raise"
    )


class Membership(UuidPrimaryKey, Timestamped, Base):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("company_id", "person_id"),
        CheckConstraint("role IN ('admin', 'certifier')", name="role_known"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))

    company: Mapped[Company] = relationship(back_populates="memberships", lazy="joined")
    person: Mapped[Person] = relationship(lazy="joined")
