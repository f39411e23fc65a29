"""Retention of payroll data: AGI income past the longest frame, employment numbers no file
names any more, finished import jobs; each deleted for real, the rest left alone, audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.service import Actor
from app.database import utcnow
from app.dataprotection import retention
from app.employments import service as employments
from app.employments.models import EmploymentNumber
from app.imports.models import ImportJob, ImportProblem, JobState
from app.income import service as income
from app.income.models import AgiIncome
from payroll_adapters import Draft
from tests import factories as f

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
ORGNR = "165599999991"


def _income(session: Session, w: f.World, *months: tuple[int, int]) -> None:
    income.store(
        session,
        w.company.id,
        [f.agi_statement(ORGNR, year, month, 30000) for year, month in months],
    )


def _months(session: Session) -> list[tuple[int, int]]:
    return sorted(
        (row.year, row.month) for row in session.execute(select(AgiIncome.year, AgiIncome.month))
    )


def _number(session: Session, w: f.World, number: str, seen: datetime) -> EmploymentNumber:
    entry = employments.save(
        session,
        company_id=w.company.id,
        number=number,
        personnummer=f.EMPLOYEE_PNR,
        first_name="Tolvan",
        last_name="Tolvansson",
        actor=Actor.person(w.admin.id),
    )
    entry.seen_at = seen
    session.flush()
    return entry


def _job(session: Session, w: f.World, state: JobState, finished: datetime | None) -> ImportJob:
    job = ImportJob(
        company_id=w.company.id,
        format="paxml",
        filename="tid.xml",
        size=1,
        state=state,
        finished_at=finished,
    )
    session.add(job)
    session.flush()
    session.add(
        ImportProblem(
            job_id=job.id, seq=1, code="employment_id_unknown", params=["E-9"], pointer=""
        )
    )
    session.flush()
    return job


def _events(session: Session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purged")))


def test_income_older_than_the_longest_frame_goes(session: Session, w: f.World) -> None:
    # December 2026: the frame of someone unemployed now is Dec 2025 back to Dec 2024, and
    # time that can be skipped reaches 60 months further, to December 2020.
    _income(session, w, (2020, 11), (2020, 12), (2025, 6))
    removed = retention.purge(session, retention.Periods(), NOW)
    assert removed == {"agi_income": 1}
    assert _months(session) == [(2020, 12), (2025, 6)]
    (event,) = _events(session)
    assert event.data == {"agi_income": 1}
    assert event.actor_label == "system"


def test_the_income_period_is_a_setting(session: Session, w: f.World) -> None:
    _income(session, w, (2025, 11), (2025, 12), (2026, 1))
    assert retention.purge(session, retention.Periods(income_months=12), NOW) == {"agi_income": 1}
    assert _months(session) == [(2025, 12), (2026, 1)]


def test_employment_numbers_no_file_named_for_two_years_go(session: Session, w: f.World) -> None:
    _number(session, w, "E-1", NOW - timedelta(days=731))
    kept = _number(session, w, "E-2", NOW - timedelta(days=729))
    assert retention.purge(session, retention.Periods(), NOW) == {"employment_numbers": 1}
    assert list(session.scalars(select(EmploymentNumber.number))) == [kept.number]


def test_a_file_naming_the_number_keeps_it(session: Session, w: f.World) -> None:
    entry = _number(session, w, "E-3", utcnow() - timedelta(days=1000))
    draft = Draft(
        variant="full",
        content={**f.content(), "employee": {}},
        complete=False,
        record_key="paxml:E-3",
        pointer="/0",
        employment_id="E-3",
    )
    found = employments.identify(session, w.company.id, draft)
    assert isinstance(found, Draft)
    assert found.content["employee"]["personnummer"] == f.EMPLOYEE_PNR
    session.flush()
    assert utcnow() - entry.seen_at < timedelta(minutes=1)
    assert retention.purge(session, retention.Periods(), utcnow()) == {}
    assert _events(session) == []


def test_finished_import_jobs_go_with_their_problems(session: Session, w: f.World) -> None:
    old_done = _job(session, w, JobState.DONE, NOW - timedelta(days=91))
    old_failed = _job(session, w, JobState.FAILED, NOW - timedelta(days=200))
    recent = _job(session, w, JobState.DONE, NOW - timedelta(days=89))
    running = _job(session, w, JobState.RUNNING, None)
    removed = retention.purge(session, retention.Periods(), NOW)
    assert removed == {"import_jobs": 2}
    session.expire_all()
    assert set(session.scalars(select(ImportJob.id))) == {recent.id, running.id}
    assert session.scalar(select(func.count()).select_from(ImportProblem)) == 2
    assert {old_done.id, old_failed.id}.isdisjoint(session.scalars(select(ImportProblem.job_id)))


def test_the_worker_purges_with_its_deadline_jobs(
    runner: FlaskCliRunner, session: Session, w: f.World
) -> None:
    this_month = utcnow()
    _income(session, w, (this_month.year - 7, this_month.month), (this_month.year, 1))
    _number(session, w, "E-4", utcnow() - timedelta(days=800))
    session.commit()
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "agi_income_purged: 1" in result.output
    assert "employment_numbers_purged: 1" in result.output
    session.expire_all()
    assert _months(session) == [(this_month.year, 1)]
    (event,) = _events(session)
    assert event.data == {"agi_income": 1, "employment_numbers": 1}
    assert f.EMPLOYEE_PNR not in json.dumps(event.data)
