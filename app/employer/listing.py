"""The company's certificates as the employer's lists show them: tabs by state, search, sort, pages.

Always scoped to one company. A full personnummer is found through the blind index (exact match,
never a scan of decrypted numbers); anything else searches the employee's names. Knows nothing
of Flask.

Pages are keyset pages, as the a-kassa's list has: a page is the entries just after (or before)
one certificate in the list's order, so a page deep in a large company costs what the first one
does, and certificates changed meanwhile shift nothing. The link names only that certificate's
id; its place in the order is read back from the database, so no name or date goes into a URL.
Counts stop at COUNT_CAP ("more than 1 000"): counting a large company's every certificate on
every view costs more than the exact figure tells anyone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session, contains_eager

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
COUNT_CAP = 1000
# Certificates not awaiting an answer sort after every deadline.
_NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class Query:
    tab: str = "all"
    search: str = ""
    sort: str = "updated"
    after: uuid.UUID | None = None  # the page starts just after this certificate
    before: uuid.UUID | None = None  # the page ends just before it

    @classmethod
    def parse(cls, tab: str, search: str, sort: str, after: str = "", before: str = "") -> Query:
        """Unknown values fall back to the defaults: a hand-edited URL never fails."""
        start = _uuid(after)
        return cls(
            tab=tab if tab in TABS else "all",
            search=search.strip()[:100],
            sort=sort if sort in SORTS else "updated",
            after=start,
            before=_uuid(before) if start is None else None,
        )


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Page:
    certificates: list[Certificate]
    total: int  # at most COUNT_CAP + 1, as every tab count: see `capped`
    tab_counts: dict[str, int]
    next_after: uuid.UUID | None = None  # where the next page starts; None on the last
    previous_before: uuid.UUID | None = None  # where the previous page ends; None on the first

    @staticmethod
    def capped(count: int) -> bool:
        return count > COUNT_CAP


def find(session: Session, company_id: uuid.UUID, query: Query) -> Page:
    searched = _searched(query.search)
    tab_counts = _tab_counts(session, company_id, searched)
    listed = (
        select(Certificate)
        .join(Person, Certificate.employee_id == Person.id)
        .options(contains_eager(Certificate.employee))
        .where(Certificate.company_id == company_id)
    )
    if query.tab != "all":  # every state: no condition, so (company, updated, id) gives the order
        listed = listed.where(Certificate.state.in_(TABS[query.tab]))
    if searched is not None:
        listed = listed.where(searched)
    order = _order(query.sort)
    total = tab_counts[query.tab]
    if query.before is not None:
        anchor = _position(session, company_id, order, query.before)
        if anchor is not None:
            rows = _rows(session, listed.where(_beyond(order, anchor, forward=False)), order, False)
            if len(rows) > PAGE_SIZE:
                shown = rows[:PAGE_SIZE][::-1]
                return Page(shown, total, tab_counts, shown[-1].id, shown[0].id)
    anchor = None
    if query.after is not None:
        anchor = _position(session, company_id, order, query.after)
    if anchor is not None:
        listed = listed.where(_beyond(order, anchor, forward=True))
    rows = _rows(session, listed, order, True)
    shown = rows[:PAGE_SIZE]
    return Page(
        shown,
        total,
        tab_counts,
        next_after=shown[-1].id if len(rows) > PAGE_SIZE else None,
        previous_before=shown[0].id if anchor is not None and shown else None,
    )


def _searched(search: str) -> ColumnElement[bool] | None:
    """The certificates of the people the search finds. A condition on the employee id, found
    once from the (small) person table, rather than on a joined person per certificate: the
    capped counts then read the certificate index alone."""
    if not search:
        return None
    try:
        index = people.personnummer_index(search)
    except ValueError:
        terms = search.split()[:5]
        found = and_(
            *(
                or_(
                    Person.first_name.icontains(term, autoescape=True),
                    Person.last_name.icontains(term, autoescape=True),
                )
                for term in terms
            )
        )
    else:
        found = Person.personnummer_index == index
    return Certificate.employee_id.in_(select(Person.id).where(found))


def _tab_counts(
    session: Session, company_id: uuid.UUID, searched: ColumnElement[bool] | None
) -> dict[str, int]:
    """Per state, up to COUNT_CAP + 1 entries of the (company, state, ...) index, or of the
    (company, employee, state) one for a search: one statement that reads no table row."""
    parts = []
    for state in State:
        entries = select(Certificate.state).where(
            Certificate.company_id == company_id, Certificate.state == state
        )
        if searched is not None:
            entries = entries.where(searched)
        capped = entries.limit(COUNT_CAP + 1).subquery()
        parts.append(select(literal(state.value), func.count()).select_from(capped))
    rows = session.execute(union_all(*parts)).all()
    by_state = {str(state): int(count) for state, count in rows}
    return {
        tab: min(COUNT_CAP + 1, sum(by_state.get(state, 0) for state in group))
        for tab, group in TABS.items()
    }


_Order = tuple[tuple[Any, bool], ...]  # (column expression, descending)


def _order(sort: str) -> _Order:
    if sort == "name":
        return ((Person.last_name, False), (Person.first_name, False), (Certificate.id, False))
    if sort == "days_left":
        # Only sent certificates await an answer, soonest deadline first; the rest follow,
        # newest first.
        awaiting = Certificate.state == State.SENT
        return (
            (case((awaiting, 0), else_=1), False),
            (case((awaiting, Certificate.answer_deadline), else_=_NO_DEADLINE), False),
            (Certificate.updated_at, True),
            (Certificate.id, False),
        )
    return ((Certificate.updated_at, True), (Certificate.id, True))


def _position(
    session: Session, company_id: uuid.UUID, order: _Order, certificate_id: uuid.UUID
) -> tuple[Any, ...] | None:
    """Where a certificate of this company stands in the order; None for any other id."""
    row = session.execute(
        select(*(expression for expression, _ in order))
        .select_from(Certificate)
        .join(Person, Certificate.employee_id == Person.id)
        .where(Certificate.company_id == company_id, Certificate.id == certificate_id)
    ).first()
    return None if row is None else tuple(row)


def _beyond(order: _Order, anchor: tuple[Any, ...], *, forward: bool) -> ColumnElement[bool]:
    """The entries after `anchor` in `order` (before it when not `forward`). One direction
    throughout is one row-value comparison, which the database seeks in its index."""
    directions = {descending for _, descending in order}
    if len(directions) == 1:
        row = tuple_(*(expression for expression, _ in order))
        return row < tuple_(*anchor) if directions.pop() == forward else row > tuple_(*anchor)
    either: list[ColumnElement[bool]] = []
    equal: list[ColumnElement[bool]] = []
    for (expression, descending), value in zip(order, anchor, strict=True):
        after = expression < value if descending == forward else expression > value
        either.append(and_(true(), *equal, after))
        equal.append(expression == value)
    return or_(*either)


def _rows(session: Session, listed: Select[Any], order: _Order, forward: bool) -> list[Certificate]:
    """One more than a page in the order (reversed when not `forward`), to know if more follow."""
    ordering = [
        expression.desc() if descending == forward else expression.asc()
        for expression, descending in order
    ]
    return list(session.scalars(listed.order_by(*ordering).limit(PAGE_SIZE + 1)).unique())
