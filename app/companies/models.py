from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, Timestamped, UuidPrimaryKey, utcnow
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


class Invitation(UuidPrimaryKey, Base):
    """An admin's invitation of a colleague, accepted at that person's next eID login.

    The person may not exist yet, so the invitation holds the personnummer itself (encrypted) and
    its blind index, which the login matches. Revoking deletes the row: nothing lingers.
    """

    __tablename__ = "invitation"
    __table_args__ = (CheckConstraint("role IN ('admin', 'certifier')", name="role_known"),)

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    personnummer: Mapped[str] = mapped_column(EncryptedText())
    personnummer_index: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(EncryptedText())
    role: Mapped[str] = mapped_column(String(10))
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship(lazy="joined")
