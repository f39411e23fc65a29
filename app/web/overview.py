"""What the start page shows before the portals exist: companies, people and states at a glance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.akassa.models import Akassa
from app.certificates.models import Certificate, State
from app.companies.models import Company, Membership


@dataclass(frozen=True)
class CompanyRow:
    name: str
    employer_id: str
    members: list[tuple[str, str, str]]


@dataclass(frozen=True)
class Overview:
    companies: list[CompanyRow]
    states: list[tuple[str, int]]
    funds: int


def build(session: Session) -> Overview:
    companies = []
    for company in session.scalars(select(Company).order_by(Company.name).limit(20)):
        members = session.scalars(
            select(Membership).where(Membership.company_id == company.id).order_by(Membership.role)
        )
        companies.append(
            CompanyRow(
                name=company.name,
                employer_id=company.employer_id,
                members=[
                    (m.person.full_name, m.person.masked_personnummer, m.role) for m in members
                ],
            )
        )
    counts: dict[str, int] = dict(
        session.execute(select(Certificate.state, func.count()).group_by(Certificate.state)).all()
    )
    funds = session.scalar(select(func.count()).select_from(Akassa).where(Akassa.active)) or 0
    return Overview(
        companies=companies,
        states=[(state.value, counts.get(state.value, 0)) for state in State],
        funds=funds,
    )
