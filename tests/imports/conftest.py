"""The API tests' tenants (a company with a key, another with its own), and a worker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.worker.imports import JobRunner
from tests.api.conftest import mine, theirs

__all__ = ["mine", "theirs"]

FIXTURES = Path(__file__).parents[1] / "payroll_adapters" / "fixtures"

RunJobs = Callable[..., Counter[str]]


@pytest.fixture
def run_jobs(connection: Connection) -> RunJobs:
    """One worker pass over the queued import jobs, in the test's transaction."""

    def run(**options: object) -> Counter[str]:
        runner = JobRunner(
            sessions=lambda: Session(bind=connection, join_transaction_mode="create_savepoint"),
            max_bytes=50_000_000,
            name="test-worker",
            lease=timedelta(minutes=5),
            **options,  # type: ignore[arg-type]
        )
        return runner.run_due()

    return run
