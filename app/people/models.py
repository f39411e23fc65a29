from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, Timestamped, UuidPrimaryKey
from app.privacy.types import EncryptedText


class NotifyBy(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    BOTH = "both"
    NONE = "none"


class Person(UuidPrimaryKey, Timestamped, Base):
    """A natural person; the personnummer is encrypted, found through its blind index."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("notify_by IN ('email', 'sms', 'both', 'none')", name="notify_by_known"),
        CheckConstraint("language IN ('sv', 'en')", name="language_known"),
        CheckConstraint(
            "portal_role IS NULL OR portal_role IN ('employer', 'employee', 'akassa')",
            name="portal_role_known",
        ),
    )

    personnummer: Mapped[str] = mapped_column(EncryptedText())
    personnummer_index: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(20))
    notify_by: Mapped[str] = mapped_column(String(5), default=NotifyBy.EMAIL)
    language: Mapped[str] = mapped_column(String(2), default="sv")
    # The side (employer, employee or a-kassa) last chosen to come as; shown at next login.
    portal_role: Mapped[str | None] = mapped_column(String(8))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_personnummer(self) -> str:
        from schemas import mask_personnummer  # noqa: PLC0415 - schemas import app-free helpers only

        return mask_personnummer(self.personnummer)

    def wants(self, channel: str) -> bool:
        return self.notify_by in (channel, NotifyBy.BOTH)
