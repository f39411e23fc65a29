from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, Timestamped, UuidPrimaryKey


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
