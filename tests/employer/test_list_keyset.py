"""Keyset pages of the employer's list: every certificate once, in order, forwards and back,
whatever the sort; cursors of other companies are ignored; counts stop at the cap."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.certificates.models import Certificate, State
from app.companies.models import Company
from app.database import utcnow
from app.employer import listing
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

LIST = "/arbetsgivare/"


@pytest.fixture
def many(session: Session, w: f.World) -> list[uuid.UUID]:
    """Sixty certificates in several states, some sharing one moment of change (ties in the
    order are broken by id), some sent with different deadlines."""
    now = utcnow()
    made = []
    states = (State.DRAFT, State.SENT, State.APPROVED, State.WITHDRAWN)
    for n in range(60):
        certificate = f.certificate_in(session, w, states[n % 4], now=now - timedelta(days=n % 7))
        made.append(certificate.id)
    session.flush()
    same_moment = made[:10]
    session.execute(
        update(Certificate).where(Certificate.id.in_(same_moment)).values(updated_at=now)
    )
    session.expire_all()
    return made


def _walk(session: Session, company_id: uuid.UUID, query: listing.Query) -> list[listing.Page]:
    pages = [listing.find(session, company_id, query)]
    while pages[-1].next_after is not None:
        query = listing.Query(query.tab, query.search, query.sort, after=pages[-1].next_after)
        pages.append(listing.find(session, company_id, query))
    return pages


def _expected(session: Session, company_id: uuid.UUID, sort: str, tab: str) -> list[uuid.UUID]:
    """The whole list in the order the sort promises, sorted here in Python."""
    rows = [
        c
        for c in session.query(Certificate).filter_by(company_id=company_id)
        if c.state in listing.TABS[tab]
    ]
    if sort == "name":
        rows.sort(key=lambda c: (c.employee.last_name, c.employee.first_name, str(c.id)))
    elif sort == "days_left":
        by_update = sorted(rows, key=lambda c: str(c.id))
        by_update.sort(key=lambda c: c.updated_at, reverse=True)
        rows = sorted(
            by_update,
            key=lambda c: (
                c.state != State.SENT,
                c.answer_deadline if c.state == State.SENT else 0,
            ),
        )
    else:
        rows.sort(key=lambda c: (c.updated_at, str(c.id)), reverse=True)
    return [c.id for c in rows]


@pytest.mark.parametrize("sort", listing.SORTS)
@pytest.mark.parametrize("tab", ["all", "drafts", "sent"])
def test_forward_pages_list_everything_once_in_order(
    session: Session, w: f.World, many: list[uuid.UUID], sort: str, tab: str
) -> None:
    pages = _walk(session, w.company.id, listing.Query(tab=tab, sort=sort))
    listed = [c.id for page in pages for c in page.certificates]
    assert listed == _expected(session, w.company.id, sort, tab)
    assert all(len(page.certificates) == listing.PAGE_SIZE for page in pages[:-1])
    assert pages[0].previous_before is None
    assert all(page.previous_before == page.certificates[0].id for page in pages[1:])


@pytest.mark.parametrize("sort", listing.SORTS)
def test_backward_pages_retrace_the_forward_ones(
    session: Session, w: f.World, many: list[uuid.UUID], sort: str
) -> None:
    forward = _walk(session, w.company.id, listing.Query(sort=sort))
    assert len(forward) == 3
    for earlier, later in itertools.pairwise(forward):
        assert later.previous_before is not None
        back = listing.find(
            session, w.company.id, listing.Query(sort=sort, before=later.previous_before)
        )
        assert [c.id for c in back.certificates] == [c.id for c in earlier.certificates]


def test_the_sort_orders_hold(session: Session, w: f.World, many: list[uuid.UUID]) -> None:
    by_update = [c for p in _walk(session, w.company.id, listing.Query()) for c in p.certificates]
    moments = [c.updated_at for c in by_update]
    assert moments == sorted(moments, reverse=True)
    by_days = [
        c
        for p in _walk(session, w.company.id, listing.Query(sort="days_left"))
        for c in p.certificates
    ]
    sent = [c for c in by_days if c.state == State.SENT]
    assert by_days[: len(sent)] == sent
    deadlines = [c.answer_deadline for c in sent]
    assert deadlines == sorted(deadlines)  # type: ignore[type-var]


def test_a_cursor_of_another_company_shows_the_first_page(
    session: Session, w: f.World, other_company: Company, many: list[uuid.UUID]
) -> None:
    first = listing.find(session, w.company.id, listing.Query())
    stranger = listing.find(session, other_company.id, listing.Query(after=many[0]))
    assert stranger.certificates == []
    assert stranger.total == 0
    unknown = listing.find(session, w.company.id, listing.Query(after=uuid.uuid4()))
    assert [c.id for c in unknown.certificates] == [c.id for c in first.certificates]


def test_counts_stop_at_the_cap(
    session: Session, w: f.World, many: list[uuid.UUID], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "COUNT_CAP", 12)
    found = listing.find(session, w.company.id, listing.Query(tab="drafts"))
    assert found.tab_counts["drafts"] == 13
    assert found.capped(found.total)
    assert found.tab_counts["all"] == 13
    assert found.tab_counts["completion"] == 0
    assert not found.capped(found.tab_counts["completion"])


def test_the_list_links_its_pages(
    client: FlaskClient, bankid: LiveBankID, w: f.World, many: list[uuid.UUID]
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    html = client.get(LIST).get_data(as_text=True)
    assert "Alla (60)" in html
    assert 'rel="next"' in html
    assert 'rel="prev"' not in html
    after = html.split("efter=", 1)[1].split('"', 1)[0]
    second = client.get(f"{LIST}?efter={after}").get_data(as_text=True)
    assert 'rel="prev"' in second
    assert 'rel="next"' in second
    for odd in ("efter=nonsense", "fore=12", "sida=3"):
        assert client.get(f"{LIST}?{odd}").status_code == 200
