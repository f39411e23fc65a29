"""The company's certificates as the employer's lists show them: tabs by state, search, sort, pages.

Always scoped to one company. A full personnummer is found through the blind index (exact match,
never a scan of decrypted numbers); anything else searches the employee's names. Knows nothing
of Flask.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from app.certificates.models import Certificate, State
from app.people import service as people
from app.people.models import Person

TABS: dict[str, tuple[State, ...]] = {
    "all": tuple(State),
    "drafts": (State.DRAFT,),
    "sent": (State.SIGNED, State.SENT),
    "completion": (State.COMPLETION_REQUESTED,),
    "approved": (State.APPROVED,),
    "expired": (State.EXPIRED,),
    "withdrawn": (State.WITHDRAWN,),
}
SORTS = ("updated", "name", "days_left")
PAGE_SIZE = 25


@dataclass(frozen=True)
class Query:
    tab: str = "all"
    search: str = ""
    sort: str = "updated"
    page: int = 1

    @classmethod
    def parse(cls, tab: str, search: str, sort: str, page: str) -> Query:
        """Unknown values fall back to the defaults: a hand-edited URL never fails."""
        return cls(
            tab=tab if tab in TABS else "all",
            search=search.strip()[:100],
            sort=sort if sort in SORTS else "updated",
            page=max(1, int(page)) if page.isdigit() else 1,
        )


@dataclass(frozen=True)
class Page:
    certificates: list[Certificate]
    total: int
    page: int
    pages: int
    tab_counts: dict[str, int]


def find(session: Session, company_id: uuid.UUID, query: Query) -> Page:
    base = _searched(
        select(Certificate).join(Person, Certificate.employee_id == Person.id),
        query.search,
    ).where(Certificate.company_id == company_id)
    tab_counts = _tab_counts(session, base)
    listed = base.where(Certificate.state.in_(TABS[query.tab]))
    total = session.scalar(select(func.count()).select_from(listed.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(query.page, pages)
    rows = session.scalars(
        listed.order_by(*_order(query.sort)).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    )
    return Page(list(rows), total, page, pages, tab_counts)


def _searched(statement: Select[Any], search: str) -> Select[Any]:
    if not search:
        return statement
    try:
        index = people.personnummer_index(search)
    except ValueError:
        terms = search.split()[:5]
        return statement.where(
            and_(
                *(
                    or_(
                        Person.first_name.icontains(term, autoescape=True),
                        Person.last_name.icontains(term, autoescape=True),
                    )
                    for term in terms
                )
            )
        )
    return statement.where(Person.personnummer_index == index)


def _tab_counts(session: Session, base: Select[Any]) -> dict[str, int]:
    states = base.with_only_columns(Certificate.state).subquery()
    rows = session.execute(select(states.c.state, func.count()).group_by(states.c.state))
    by_state: dict[str, int] = dict(tuple(row) for row in rows)
    return {tab: sum(by_state.get(state, 0) for state in group) for tab, group in TABS.items()}


def _order(sort: str) -> tuple[Any, ...]:
    if sort == "name":
        return (Person.last_name, Person.first_name, Certificate.id)
    if sort == "days_left":
        # Only sent certificates await an answer; the rest follow, newest first.
        awaiting = Certificate.state == State.SENT
        return (
            awaiting.desc(),
            Certificate.answer_deadline.asc(),
            Certificate.updated_at.desc(),
            Certificate.id,
        )
    return (Certificate.updated_at.desc(), Certificate.id)
