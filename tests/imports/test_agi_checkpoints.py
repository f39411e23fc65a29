"""An AGI import commits its place in the file with what it stored, and resumes from it."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import utcnow
from app.imports.models import ImportJob, JobState
from app.income.models import AgiIncome
from payroll_adapters import generate_agi
from tests.api.conftest import Tenant
from tests.api.support import json_of
from tests.imports.conftest import RunJobs
from tests.imports.test_api_imports import job, upload


def test_a_paused_import_keeps_its_position_and_the_next_worker_finishes_it(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    queued = upload(client, theirs, "agi", b"".join(generate_agi(10, 3, seed=2)))
    job_id = uuid.UUID(json_of(queued)["id"])
    stop = threading.Event()
    calls = 0

    def clock() -> datetime:
        """Asks the worker to stop at its first checkpoint (the claim is the first call)."""
        nonlocal calls
        calls += 1
        if calls == 2:
            stop.set()
        return utcnow()

    assert run_jobs(commit_every=10, clock=clock, stop=stop) == {"imports_paused": 1}
    paused = session.get_one(ImportJob, job_id)
    session.refresh(paused)
    # Ten items handled (the first HU is skipped, not yielded): ten statements stored.
    assert (paused.state, paused.position, paused.created) == (JobState.RUNNING, 10, 10)
    assert paused.claimed_by is None
    assert run_jobs() == {"imports_done": 1}
    done = job(client, theirs, queued.headers["Location"])
    assert (done["state"], done["created"]) == ("done", 30)
    stored = session.scalars(select(AgiIncome.import_job_id)).all()
    assert stored == [job_id] * 30
