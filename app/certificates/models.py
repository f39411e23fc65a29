from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.akassa.models import Akassa
from app.companies.models import Company
from app.database import Base, Timestamped, UuidPrimaryKey, utcnow
from app.people.models import Person
from app.privacy.types import EncryptedBytes, EncryptedJSON, EncryptedText


class State(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    SENT = "sent"
    COMPLETION_REQUESTED = "completion_requested"
    APPROVED = "approved"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class Variant(StrEnum):
    FULL = "full"
    INCOME_2025 = "income_2025"


def _in(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Certificate(UuidPrimaryKey, Timestamped, Base):
    """One employment of one person at one company, through all its versions.

    `lock_version` is SQLAlchemy's optimistic lock: of two writers holding the same row, the
    second UPDATE matches nothing and fails instead of overwriting the first.
    """

    __tablename__ = "certificate"
    __table_args__ = (
        CheckConstraint(_in("state", State), name="state_known"),
        CheckConstraint(_in("variant", Variant), name="variant_known"),
        # The employer's list (`app/employer/listing.py`): keyset pages by last change, of every
        # state together or of one.
        Index("ix_certificate_company_state", "company_id", "state", "updated_at", "id"),
        Index("ix_certificate_company_updated", "company_id", "updated_at", "id"),
        # Its search: the capped count per state of the employees found reads the index alone.
        Index("ix_certificate_company_employee", "company_id", "employee_id", "state"),
        Index("ix_certificate_employee_delivered", "employee_id", "delivered_at"),
        # Approved rows only, in the fund's list order: a page is the next 25 entries after the
        # previous page's last (approved_at, id), and the capped count reads the index alone.
        Index(
            "ix_certificate_akassa_approved",
            "akassa_id",
            "approved_at",
            "id",
            postgresql_where=text("state = 'approved'"),
            sqlite_where=text("state = 'approved'"),
        ),
        # The deadline jobs (`deadlines.py`): sent certificates by deadline, drafts by last change.
        Index("ix_certificate_state_deadline", "state", "answer_deadline"),
        Index("ix_certificate_state_updated", "state", "updated_at"),
        # Reminders: per reminder already sent, the certificates by delivery, so that a pass
        # reads only those whose next reminder fell due since the last pass.
        Index(
            "ix_certificate_sent_reminders",
            "reminders_sent",
            "delivered_at",
            postgresql_where=text("state = 'sent'"),
            sqlite_where=text("state = 'sent'"),
        ),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id"))
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    variant: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(24), default=State.DRAFT)
    current_version: Mapped[int] = mapped_column(default=1)
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    delivered_at: Mapped[datetime | None]
    answer_deadline: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    akassa_id: Mapped[int | None] = mapped_column(ForeignKey("akassa.id"))
    closed_at: Mapped[datetime | None]
    # The day (14, 35) of the last reminder sent for the delivered version; 0 before any. The
    # worker's bookkeeping, not a change of the certificate: written without the optimistic lock.
    reminders_sent: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    withdrawn_reason: Mapped[str | None] = mapped_column(EncryptedText())
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012 - SQLAlchemy's own API

    company: Mapped[Company] = relationship(lazy="joined")
    employee: Mapped[Person] = relationship(lazy="joined")
    akassa: Mapped[Akassa | None] = relationship(lazy="joined")
    versions: Mapped[list[CertificateVersion]] = relationship(
        back_populates="certificate",
        order_by="CertificateVersion.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )


class CertificateVersion(UuidPrimaryKey, Timestamped, Base):
    """The content as the employer wrote it. Editable while a draft; once signed, never again
    (enforced in `app.certificates.immutability`)."""

    __tablename__ = "certificate_version"
    __table_args__ = (UniqueConstraint("certificate_id", "number"),)

    certificate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    created_by_label: Mapped[str] = mapped_column(String(80))
    signed_at: Mapped[datetime | None]
    content_hash: Mapped[str | None] = mapped_column(String(64))
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012

    certificate: Mapped[Certificate] = relationship(back_populates="versions", lazy="raise")
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="version", order_by="Signature.signed_at", lazy="selectin"
    )


class Signature(UuidPrimaryKey, Base):
    """One eID signature over one version: the employer's, and at approval the employee's."""

    __tablename__ = "signature"
    __table_args__ = (
        CheckConstraint("role IN ('employer', 'employee')", name="role_known"),
        UniqueConstraint("version_id", "role"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("certificate_version.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(String(8))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_hash: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())

    version: Mapped[CertificateVersion] = relationship(back_populates="signatures", lazy="raise")
    person: Mapped[Person] = relationship(lazy="joined")


class CompletionMessage(UuidPrimaryKey, Base):
    """The thread between employee and employer about what to complete."""

    __tablename__ = "completion_message"
    __table_args__ = (
        CheckConstraint("author_role IN ('employee', 'employer')", name="author_role_known"),
    )

    certificate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int]
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    author_role: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Person] = relationship(lazy="joined")


class SealedDocument(UuidPrimaryKey, Base):
    """A signed version as the service sealed it: once after the employer's signature
    (`signed`), once more with the employee's approval added (`approved`). Never changed, but
    for archive timestamps appended to the PDF (`app.certificates.archive`): the PDF grows by an
    incremental update, its earlier bytes unchanged, and `archive_expires_at` moves on."""

    __tablename__ = "sealed_document"
    __table_args__ = (
        CheckConstraint("stage IN ('signed', 'approved')", name="stage_known"),
        UniqueConstraint("version_id", "stage"),
        Index("ix_sealed_document_archive_expires_at", "archive_expires_at"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("certificate_version.id", ondelete="CASCADE")
    )
    version_number: Mapped[int]
    stage: Mapped[str] = mapped_column(String(8))
    xml: Mapped[bytes] = mapped_column(EncryptedBytes())
    pdf: Mapped[bytes] = mapped_column(EncryptedBytes())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the first certificate under the PDF's last archive timestamp expires: the next one
    # is due a margin before. None for PDFs sealed without a TSA.
    archive_expires_at: Mapped[datetime | None]
