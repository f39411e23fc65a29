from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UuidPrimaryKey, utcnow
from app.privacy.types import EncryptedChunk


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(UuidPrimaryKey, Base):
    """One uploaded payroll file and how far the worker has come with it.

    The file itself waits encrypted in `ImportChunk` rows until the job ends, so that any
    worker host can read it. `claimed_by`/`claimed_until` are the worker's lease, as in the
    outbox: a worker that died leaves the job to be taken up again once the lease runs out,
    resuming after `position` (the items of the parse already handled). Counters, position and
    what was stored are committed together every few records, so a reader sees the progress and
    a resumed job neither skips nor repeats a record.
    """

    __tablename__ = "import_job"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        Index("ix_import_job_company_created", "company_id", "created_at"),
        Index("ix_import_job_state", "state"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int]
    state: Mapped[str] = mapped_column(String(10), default=JobState.QUEUED)
    records_read: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    # Sent again with other content after the certificate was signed: left as it was.
    locked: Mapped[int] = mapped_column(default=0, server_default="0")
    failed: Mapped[int] = mapped_column(default=0)
    problem_count: Mapped[int] = mapped_column(default=0)
    # What looked wrong in records that were stored (a rounded number, an assumed century).
    warning_count: Mapped[int] = mapped_column(default=0, server_default="0")
    position: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_key_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("api_key.id", ondelete="SET NULL")
    )
    created_by_person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None]
    # The request that uploaded the file (`app.correlation`): the worker logs the run under it.
    request_id: Mapped[str | None] = mapped_column(String(64))

    @property
    def running(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)


class ImportProblem(Base):
    """One thing the job could not use, or a warning about a record it stored, where it is in
    the file (the first ones only)."""

    __tablename__ = "import_problem"
    __table_args__ = (
        UniqueConstraint("job_id", "seq"),
        CheckConstraint("severity IN ('error', 'warning')", name="severity_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_job.id", ondelete="CASCADE"))
    seq: Mapped[int]
    code: Mapped[str] = mapped_column(String(60))
    params: Mapped[list[Any]]
    pointer: Mapped[str] = mapped_column(String(300))
    line: Mapped[int | None]
    field: Mapped[str | None] = mapped_column(String(120))
    # "warning": the record was stored, and this is what looked wrong in it.
    severity: Mapped[str] = mapped_column(String(7), default="error", server_default="error")


class ImportedRecord(Base):
    """Which certificate a payroll record (by its `record_key`) became, per company: the same
    record sent again, in a file or through SOAP, finds its certificate instead of making one."""

    __tablename__ = "imported_record"
    __table_args__ = (UniqueConstraint("company_id", "record_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    record_key: Mapped[str] = mapped_column(String(64))
    certificate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportChunk(Base):
    """A piece of an uploaded file, encrypted (it names people); deleted when the job ends."""

    __tablename__ = "import_chunk"
    __table_args__ = (UniqueConstraint("job_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_job.id", ondelete="CASCADE"))
    seq: Mapped[int]
    data: Mapped[bytes] = mapped_column(EncryptedChunk())
