"""The employee's inbox: every certificate that reached them, in one query. No Flask here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.akassa.models import Akassa
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies.models import Company


@dataclass(frozen=True)
class InboxItem:
    id: uuid.UUID
    state: str
    variant: str
    version: int
    employer_name: str
    period_start: date | None
    period_end: date | None
    delivered_at: datetime
    answer_deadline: datetime | None
    akassa_name: str | None

    @property
    def days_left(self) -> int | None:
        return certificates.days_left(self)


@dataclass(frozen=True)
class Inbox:
    awaiting: list[InboxItem]  # sent: the employee's answer is awaited
    documents: list[InboxItem]  # everything else that reached them

    @property
    def empty(self) -> bool:
        return not self.awaiting and not self.documents


def inbox(session: Session, person_id: uuid.UUID) -> Inbox:
    """What reached `person_id`, newest delivery first, with the same rule as
    `certificates.get_for_employee`: drafts and unsent signatures never show. One select of
    plain columns (no entities, no personal data to decrypt), served by the index on
    (employee_id, delivered_at)."""
    rows = session.execute(
        select(
            Certificate.id,
            Certificate.state,
            Certificate.variant,
            Certificate.current_version.label("version"),
            Company.name.label("employer_name"),
            Certificate.period_start,
            Certificate.period_end,
            Certificate.delivered_at,
            Certificate.answer_deadline,
            Akassa.name.label("akassa_name"),
        )
        .join(Company, Certificate.company_id == Company.id)
        .outerjoin(Akassa, Certificate.akassa_id == Akassa.id)
        .where(Certificate.employee_id == person_id, Certificate.delivered_at.is_not(None))
        .order_by(Certificate.delivered_at.desc(), Certificate.id)
    )
    items = [InboxItem(**row._asdict()) for row in rows]
    return Inbox(
        awaiting=[item for item in items if item.state == State.SENT],
        documents=[item for item in items if item.state != State.SENT],
    )
