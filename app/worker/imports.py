"""What the worker does with an import job: stream its file through the adapter and store each
record as it comes.

Drafts go through `app.intake` (one savepoint each, so a refused record leaves no trace and
the others go on), AGI statements through `app.income.service` in bulk batches.
Every `commit_every` items, or at least once a `checkpoint_seconds`, what was stored, the
counters and the position in the parse are committed together and the lease renewed: a reader
sees the progress, and a worker that dies leaves a job that the next one resumes exactly where
the last commit left it (the parse is deterministic, so it skips the items already handled).
A job whose workers keep dying is failed after `max_attempts`; a fatal problem in the file
(no XML, a DTD, too large) fails it too, keeping the records read before it, which is safe
because importing the fixed file again only adds what is missing.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, BinaryIO, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import correlation
from app.companies.models import Company
from app.database import utcnow
from app.employments import service as employments
from app.imports import service, spool
from app.imports.models import ImportJob, ImportProblem, JobState
from app.income import service as income
from app.intake import service as intake
from app.intake.records import Outcome
from app.worker.steps import step
from payroll_adapters import Draft, IncomeRecord, Problem, parse

log = logging.getLogger(__name__)


def storable(value: Any) -> Any:
    """A problem's text as the database can keep it: PostgreSQL stores no NUL in text or JSONB,
    and a file may carry one in a name the problem repeats. Shown as the symbol for NUL."""
    if isinstance(value, str):
        return value.replace("\x00", "\N{SYMBOL FOR NULL}")
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    return value


PROBLEMS_KEPT = 1000
# Where a problem is the whole file's, not one record's (it fails no record of its own).
FILE_HEADERS = ("/paxml/header",)
_RECORD = re.compile(r"^(.*?\[\d+\]|/certificates/\d+|/\d+)")


class LeaseLost(Exception):  # noqa: N818 - an event, not an error of ours
    """Another worker took the job over; this one must stop without committing."""


def record_of(pointer: str) -> str:
    """The record a pointer lies in: "#cell=5,3" → "#row=5", an element path up to its first
    position ("/paxml/personal/person[3]/persnr" → "/paxml/personal/person[3]")."""
    if pointer.startswith("#cell="):
        return "#row=" + pointer[len("#cell=") :].split(",", 1)[0]
    found = _RECORD.match(pointer)
    return found.group(1) if found else pointer


def _about_employer(field: str | None) -> bool:
    return field == "employer" or (field or "").startswith("employer.")


def _employer_problems(session: Session, job: ImportJob) -> set[tuple[str, tuple[str, ...]]]:
    kept = session.execute(
        select(ImportProblem.code, ImportProblem.params, ImportProblem.field).where(
            ImportProblem.job_id == job.id, ImportProblem.field.like("employer%")
        )
    )
    return {(code, tuple(params)) for code, params, field in kept if _about_employer(field)}


@dataclass
class JobRunner:
    """Runs queued import jobs. `sessions` makes a fresh session per job."""

    sessions: Callable[[], Session]
    max_bytes: int
    name: str
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 3
    # A commit costs more than storing a thousand rows (SQLite writes every index page the
    # batch touched), so progress is committed every few seconds rather than every batch.
    commit_every: int = 10_000
    checkpoint_seconds: float = 3.0
    clock: Callable[[], datetime] = utcnow
    stop: threading.Event = field(default_factory=threading.Event)

    def run_due(self) -> Counter[str]:
        """Claim and run jobs until none is due; counts how they ended."""
        report: Counter[str] = Counter()
        while not self.stop.is_set():
            with step(self.sessions) as session:
                job_id = service.claim(
                    session, worker=self.name, now=self.clock(), lease=self.lease
                )
            if job_id is None:
                break
            report[f"imports_{self.run(job_id)}"] += 1
        return report

    def run(self, job_id: uuid.UUID) -> str:
        """Run one claimed job; returns its end (done, failed, lost). Its log lines, and the
        messages it queues, carry the id of the request that uploaded the file."""
        with correlation.job() as belongs_to:
            end = self._run(job_id, belongs_to)
            log.info("import job %s: %s", job_id, end)
            return end

    def _run(self, job_id: uuid.UUID, belongs_to: Callable[[str | None], object]) -> str:
        with self.sessions() as session:
            job = session.get(ImportJob, job_id)
            if job is None:
                return "lost"
            belongs_to(job.request_id)
            if job.attempts > self.max_attempts:
                _Run(self, session, job).fail(Problem("import_crashed", ""))
                session.commit()
                return "failed"
            try:
                return _Run(self, session, job).execute()
            except LeaseLost:
                session.rollback()
                return "lost"
            except Exception:
                log.exception("import job %s failed unexpectedly", job_id)
                session.rollback()
        with step(self.sessions) as session:
            job = session.get(ImportJob, job_id)
            if job is not None and job.claimed_by == self.name:
                _Run(self, session, job).fail(Problem("import_internal_error", ""))
        return "failed"


class _Run:
    def __init__(self, runner: JobRunner, session: Session, job: ImportJob) -> None:
        self.runner, self.session, self.job = runner, session, job
        self.company = session.get_one(Company, job.company_id)
        self.orgnr = self.company.organisationsnummer
        self.actor = intake.job_actor(job.id)
        self.income: list[IncomeRecord] = []
        self.identities = income.Identities()
        self.position = job.position
        self.unresolved: set[str] = set()
        # Employer problems already kept (by an earlier attempt too): each is told once a job.
        self.employer_problems = _employer_problems(session, job) if job.position else set()
        self.refused = 0
        self.earlier_failed = job.failed  # counted by an attempt before this one resumed
        self.fatal: Problem | None = None

    def execute(self) -> str:
        job, skip = self.job, self.job.position
        stream = cast(BinaryIO, spool.Reader(self.session, job.id))  # it has the one method read
        items = parse(job.format, stream, max_bytes=self.runner.max_bytes)
        since, last = 0, time.monotonic()
        for index, item in enumerate(items):
            if index < skip:
                continue
            self.handle(item)
            self.position = index + 1
            since += 1
            if since >= self.runner.commit_every or (
                time.monotonic() - last >= self.runner.checkpoint_seconds
            ):
                self.checkpoint()
                since, last = 0, time.monotonic()
                if self.runner.stop.is_set():
                    return self.pause()
        if self.fatal is not None:
            self.fail(None)
        else:
            self.finish(JobState.DONE)
            if not self.stored_any():
                # Read to the end, yet nothing came of it: the job says so beside its problems.
                job.error = "nothing_importable"
        self.session.commit()
        return str(job.state)

    # --- items ------------------------------------------------------------------------------

    def handle(self, item: object) -> None:
        if isinstance(item, IncomeRecord):
            if self.unresolved:
                self.unresolved.discard(record_of(item.source_pointer))
            foreign = intake.foreign_income(item, self.orgnr)
            if foreign is not None:
                self.refuse([foreign])
                return
            self.income.append(item)
            if len(self.income) >= income.BATCH_SIZE:
                self.store_income()
        elif isinstance(item, Draft):
            self.unresolved.discard(record_of(item.pointer))
            self.draft(item)
        elif isinstance(item, Problem):
            if item.fatal:
                self.fatal = item
            elif not item.pointer.startswith(FILE_HEADERS):  # a header's problem is the file's
                self.unresolved.add(record_of(item.pointer))
            self.problem(item)

    def draft(self, draft: Draft) -> None:
        known = employments.identify(self.session, self.company.id, draft)
        if isinstance(known, Problem):
            self.refuse([known])
            return
        result = intake.take(self.session, company=self.company, draft=known, actor=self.actor)
        if result.outcome is Outcome.REFUSED:
            self.refuse(intake.problems_of(known, result.errors))
            return
        employments.learn(self.session, self.company.id, known)
        counter = str(result.outcome)  # created, updated, unchanged, locked: the job's counters
        setattr(self.job, counter, getattr(self.job, counter) + 1)
        for problem in intake.problems_of(known, result.errors):
            self.problem(problem)
        for key in result.warnings:
            code, *params = key.split(":")
            self.problem(
                Problem(code, known.pointer, line=known.line, params=tuple(params)), warning=True
            )

    def refuse(self, problems: list[Problem]) -> None:
        self.refused += 1
        for problem in problems:
            self.problem(problem)

    def store_income(self) -> None:
        if not self.income:
            return
        counts = income.store_batch(
            self.session,
            self.job.company_id,
            self.income,
            import_job_id=self.job.id,
            identities=self.identities,
        )
        self.job.created += counts.created
        self.job.updated += counts.updated
        self.job.unchanged += counts.unchanged
        self.income = []

    def problem(self, problem: Problem, *, warning: bool = False) -> None:
        """Keep a problem (or a warning about a record that was stored). One about the file's
        employer is the file's, kept once however many records repeat it."""
        if _about_employer(problem.field):
            if (problem.code, problem.params) in self.employer_problems:
                return
            self.employer_problems.add((problem.code, problem.params))
        job = self.job
        if warning:
            job.warning_count += 1
        else:
            job.problem_count += 1
        seq = job.problem_count + job.warning_count
        if seq <= PROBLEMS_KEPT:
            self.session.add(
                ImportProblem(
                    job_id=job.id,
                    seq=seq,
                    severity="warning" if warning else "error",
                    code=problem.code[:60],
                    params=[storable(param) for param in problem.params],
                    pointer=storable(problem.pointer)[:300],
                    line=problem.line,
                    field=problem.field and storable(problem.field)[:120],
                )
            )

    def stored_any(self) -> bool:
        """Whether the file gave anything: a record stored, found unchanged or locked."""
        job = self.job
        return bool(job.created + job.updated + job.unchanged + job.locked)

    # --- progress ---------------------------------------------------------------------------

    def count(self) -> None:
        job = self.job
        job.position = self.position
        job.failed = self.earlier_failed + self.refused + len(self.unresolved)
        job.records_read = job.created + job.updated + job.unchanged + job.locked + job.failed

    def checkpoint(self) -> None:
        self.store_income()
        self.count()
        now = self.runner.clock()
        if not service.renew(
            self.session, self.job.id, worker=self.runner.name, now=now, lease=self.runner.lease
        ):
            raise LeaseLost
        self.session.commit()

    def pause(self) -> str:
        """Asked to stop: give the lease back, so the next worker resumes at once."""
        self.job.claimed_by = None
        self.job.claimed_until = None
        self.session.commit()
        return "paused"

    def finish(self, state: JobState) -> None:
        self.store_income()
        self.count()
        job = self.job
        job.state = state
        job.finished_at = self.runner.clock()
        job.claimed_by = None
        job.claimed_until = None
        spool.discard(self.session, job.id)

    def fail(self, problem: Problem | None) -> None:
        if problem is not None:
            self.problem(problem)
        self.job.error = (problem or self.fatal or Problem("import_internal_error", "")).code
        self.finish(JobState.FAILED)
