from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, utcnow
from app.privacy.types import EncryptedText


class AgiIncome(Base):
    """One individual statement (IU) in force, as the company that imported it last sent it.

    `record_key` is the statement's natural key (employer, person, period, specification
    number): a later form with the same key replaces the row, a `Borttag` marks it `removed`.
    The personnummer is encrypted and found through its blind index, like a Person's.
    """

    __tablename__ = "agi_income"
    __table_args__ = (
        UniqueConstraint("company_id", "record_key"),
        Index("ix_agi_income_person_period", "personnummer_index", "year", "month"),
        # The retention job deletes by month (app/dataprotection/retention.py).
        Index("ix_agi_income_period", "year", "month"),
    )

    # Integer, not BigInteger: SQLite only autoincrements an INTEGER PRIMARY KEY.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE")
    )
    personnummer: Mapped[str] = mapped_column(EncryptedText())
    personnummer_index: Mapped[str] = mapped_column(String(64))
    employer: Mapped[str] = mapped_column(String(12))
    year: Mapped[int]
    month: Mapped[int]
    cash_pay: Mapped[int] = mapped_column(BigInteger)
    benefits: Mapped[int] = mapped_column(BigInteger)
    specification_number: Mapped[int] = mapped_column(BigInteger)
    removed: Mapped[bool] = mapped_column(default=False)
    record_key: Mapped[str] = mapped_column(String(64))
    source_pointer: Mapped[str] = mapped_column(String(300))
    source_line: Mapped[int | None]
    import_job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("import_job.id", ondelete="SET NULL"), index=True
    )
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
