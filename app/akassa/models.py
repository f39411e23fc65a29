from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, Timestamped, UuidPrimaryKey, utcnow
from app.people.models import Person


class Akassa(Base):
    """A fund, loaded from `data/akassor.json`; the code is stable, the name may change."""

    __tablename__ = "akassa"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)


class AkassaMembership(UuidPrimaryKey, Timestamped, Base):
    """A person's current fund; one at a time, as the law allows."""

    __tablename__ = "akassa_membership"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), unique=True
    )
    akassa_id: Mapped[int] = mapped_column(ForeignKey("akassa.id"), index=True)
    member_since: Mapped[date]

    akassa: Mapped[Akassa] = relationship(lazy="joined")


class AkassaStaff(UuidPrimaryKey, Base):
    """An officer of one fund, set up by an administrator; a person serves one fund at a time,
    so every a-kassa page is scoped by exactly one `akassa_id`."""

    __tablename__ = "akassa_staff"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), unique=True
    )
    akassa_id: Mapped[int] = mapped_column(ForeignKey("akassa.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    akassa: Mapped[Akassa] = relationship(lazy="joined")
    person: Mapped[Person] = relationship(lazy="joined")
