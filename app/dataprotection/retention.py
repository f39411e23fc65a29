"""Retention of what payroll systems send: kept while it can serve its purpose, then deleted.

Certificates have their own deadlines (`app.certificates.deadlines`: drafts, unanswered
certificates). This is the rest, each with the reason for its period:

- **AGI income** serves the income condition and the person's own estimate. The frame is the
  12 months before the month of unemployment, reaching back at most 60 months further for time
  that can be skipped (sickness, parental leave, studies), so a month more than 72 months back
  can no longer count for anyone who becomes unemployed now.
- **Employment numbers** let later payroll files that name people by id alone be read. An id
  no file has named and no administrator has saved for two years belongs to an employment
  whose files have stopped.
- **Finished import jobs** keep their problem lists (which name records and people) for the
  employer to read and correct; 90 days after the job ended they go. What the job stored
  stays with the certificates and the income.

Deletion is real deletion; the audit event says how many rows went, never whose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.audit.service import record as record_audit
from app.database import delete_where
from app.employments.models import EmploymentNumber
from app.imports.models import ImportJob, JobState
from app.income.models import AgiIncome

# The frame's 12 months and the 60 months time that can be skipped adds at most.
FRAME_REACH_MONTHS = 12 + 60


@dataclass(frozen=True)
class Periods:
    income_months: int = FRAME_REACH_MONTHS
    employment_numbers: timedelta = timedelta(days=730)
    import_jobs: timedelta = timedelta(days=90)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Periods:
        return cls(
            income_months=int(config["AGI_INCOME_RETENTION_MONTHS"]),
            employment_numbers=timedelta(days=float(config["EMPLOYMENT_NUMBER_RETENTION_DAYS"])),
            import_jobs=timedelta(days=float(config["IMPORT_JOB_RETENTION_DAYS"])),
        )


def purge(session: Session, periods: Periods, now: datetime) -> Counter[str]:
    """Delete what has outlived its period; flush-only. Returns the rows deleted per kind and
    records one audit event when any were."""
    first_kept = _months_before(now, periods.income_months)
    removed = Counter(
        {
            "agi_income": delete_where(
                session,
                AgiIncome,
                or_(
                    AgiIncome.year < first_kept[0],
                    and_(AgiIncome.year == first_kept[0], AgiIncome.month < first_kept[1]),
                ),
            ),
            "employment_numbers": delete_where(
                session,
                EmploymentNumber,
                EmploymentNumber.seen_at < now - periods.employment_numbers,
            ),
            "import_jobs": delete_where(
                session,
                ImportJob,
                ImportJob.state.in_((JobState.DONE, JobState.FAILED)),
                ImportJob.finished_at < now - periods.import_jobs,
            ),
        }
    )
    removed = +removed
    if removed:
        record_audit(session, action="retention.purged", actor=SYSTEM, data=dict(removed), now=now)
    return removed


def _months_before(now: datetime, months: int) -> tuple[int, int]:
    """The (year, month) `months` calendar months before `now`'s month."""
    index = now.year * 12 + now.month - 1 - months
    return index // 12, index % 12 + 1
