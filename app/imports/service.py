"""Import jobs without Flask: queue an uploaded file, find a company's jobs, lease them to a
worker. What a job does with its file is in `app.worker.imports`."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import BinaryIO

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app import correlation
from app.database import rows_affected, utcnow
from app.errors import DomainError, NotFound
from app.imports import spool
from app.imports.models import ImportJob, ImportProblem, JobState

FORMATS = ("json", "paxml", "agi", "csv")
LIST_LIMIT = 50


def create_job(
    session: Session,
    *,
    company_id: uuid.UUID,
    format: str,  # noqa: A002 - the name the API uses
    stream: BinaryIO,
    max_bytes: int,
    filename: str | None = None,
    api_key_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> ImportJob:
    """Queue the file for the worker. Raises spool.TooLarge past `max_bytes`."""
    if format not in FORMATS:
        raise DomainError("import_format_unknown", formats=", ".join(FORMATS))
    now = now or utcnow()
    job = ImportJob(
        company_id=company_id,
        format=format,
        filename=(filename or None) and filename[:200],
        size=0,
        state=JobState.QUEUED,
        created_by_key_id=api_key_id,
        created_by_person_id=person_id,
        created_at=now,
        updated_at=now,
        request_id=correlation.request_id(),
    )
    session.add(job)
    session.flush()
    job.size = spool.write(session, job.id, stream, max_bytes=max_bytes)
    session.flush()
    return job


def get_job(session: Session, company_id: uuid.UUID, job_id: uuid.UUID) -> ImportJob:
    """The company's job; another company's is as absent as a job that never was."""
    job = session.scalar(
        select(ImportJob).where(ImportJob.id == job_id, ImportJob.company_id == company_id)
    )
    if job is None:
        raise NotFound("not_found")
    return job


def list_jobs(
    session: Session, company_id: uuid.UUID, *, limit: int = LIST_LIMIT
) -> list[ImportJob]:
    """The company's latest jobs, newest first."""
    return list(
        session.scalars(
            select(ImportJob)
            .where(ImportJob.company_id == company_id)
            .order_by(ImportJob.created_at.desc(), ImportJob.id)
            .limit(limit)
        )
    )


def problems(session: Session, job: ImportJob) -> list[ImportProblem]:
    """The problems kept for a job (the first `runner.PROBLEMS_KEPT`), in file order."""
    return list(
        session.scalars(
            select(ImportProblem).where(ImportProblem.job_id == job.id).order_by(ImportProblem.seq)
        )
    )


def claim(session: Session, *, worker: str, now: datetime, lease: timedelta) -> uuid.UUID | None:
    """Lease the oldest job that is queued, or running under a lease that ran out (its worker
    died), to `worker`; counts the attempt. Locks as the outbox does (SKIP LOCKED on
    PostgreSQL, the single UPDATE's write lock on SQLite)."""
    due = (
        select(ImportJob.id)
        .where(
            ImportJob.state.in_([JobState.QUEUED, JobState.RUNNING]),
            or_(ImportJob.claimed_until.is_(None), ImportJob.claimed_until <= now),
        )
        .order_by(ImportJob.created_at, ImportJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    taken = session.scalars(
        update(ImportJob)
        .where(ImportJob.id.in_(due.scalar_subquery()))
        .values(
            claimed_by=worker,
            claimed_until=now + lease,
            state=JobState.RUNNING,
            attempts=ImportJob.attempts + 1,
            started_at=func.coalesce(ImportJob.started_at, now),
        )
        .returning(ImportJob.id)
        .execution_options(synchronize_session=False)
    ).all()
    return taken[0] if taken else None


def renew(
    session: Session, job_id: uuid.UUID, *, worker: str, now: datetime, lease: timedelta
) -> bool:
    """Extend the lease, if `worker` still holds it (False: another worker took the job over)."""
    result = session.execute(
        update(ImportJob)
        .where(
            ImportJob.id == job_id,
            ImportJob.claimed_by == worker,
            ImportJob.state == JobState.RUNNING,
        )
        .values(claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return rows_affected(result) > 0
