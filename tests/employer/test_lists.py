"""The employer's lists: tabs by state, search, sort, pages, days left, masked numbers."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import State
from app.companies.models import Company
from app.database import utcnow
from app.employer import listing
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

LIST = "/arbetsgivare/"


def _eva_draft(session: Session, w: f.World) -> None:
    certificates.create_draft(
        session,
        company=w.company,
        variant="income_2025",
        content={
            "employee": {
                "first_name": "Eva",
                "last_name": "Exempelsson",
                "personnummer": f.OTHER_EMPLOYEE_PNR,
            }
        },
        actor=w.by_certifier,
    )


def test_tabs_search_and_days_left(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    now = utcnow()
    for state in (State.DRAFT, State.SENT, State.COMPLETION_REQUESTED, State.WITHDRAWN):
        f.certificate_in(session, w, state, now=now)
    f.certificate_in(session, w, State.EXPIRED, now=now - timedelta(days=50))
    _eva_draft(session, w)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)

    html = client.get(LIST).get_data(as_text=True)
    for label in ("Alla (6)", "Utkast (2)", "Skickade (1)", "Väntar på komplettering (1)"):
        assert label in html
    assert "Utgångna (1)" in html
    assert "Återkallade (1)" in html
    assert "Godkända (0)" in html
    assert "121212-****" in html
    assert "191212121212" not in html

    sent = client.get(f"{LIST}?flik=sent").get_data(as_text=True)
    assert '<td data-label="Dagar kvar">42</td>' in sent, "days left of the six weeks"
    drafts = client.get(f"{LIST}?flik=drafts&sok=exempel").get_data(as_text=True)
    assert "Eva Exempelsson" in drafts
    assert "Tolvan" not in drafts
    by_number = client.get(f"{LIST}?sok=19900315-9820").get_data(as_text=True)
    assert "Eva Exempelsson" in by_number
    assert "Tolvan" not in by_number
    assert "Alla (1)" in by_number
    partial = client.get(f"{LIST}?sok=900315").get_data(as_text=True)
    assert "Inga intyg hittades." in partial, "only a full personnummer finds anyone"
    odd = client.get(f"{LIST}?flik=nonsense&sortera=evil&sida=-3&sok=%25")
    assert odd.status_code == 200


def test_sort_and_pages(session: Session, w: f.World) -> None:
    for _ in range(listing.PAGE_SIZE):
        f.certificate_in(session, w, State.DRAFT)
    _eva_draft(session, w)
    session.flush()
    first = listing.find(session, w.company.id, listing.Query(sort="name"))
    assert (first.total, len(first.certificates), first.previous_before) == (26, 25, None)
    assert first.certificates[0].employee.last_name == "Exempelsson"
    assert first.next_after == first.certificates[-1].id
    query = listing.Query(sort="name", after=first.next_after)
    second = listing.find(session, w.company.id, query)
    assert len(second.certificates) == 1
    assert second.certificates[0].employee.last_name == "Tolvansson"
    assert (second.next_after, second.previous_before) == (None, second.certificates[0].id)
    before = listing.Query(sort="name", before=second.previous_before)
    back = listing.find(session, w.company.id, before)
    assert [c.id for c in back.certificates] == [c.id for c in first.certificates]


def test_days_left_sorts_the_most_urgent_first(session: Session, w: f.World) -> None:
    now = utcnow()
    later = f.certificate_in(session, w, State.SENT, now=now)
    sooner = f.certificate_in(session, w, State.SENT, now=now - timedelta(days=30))
    f.certificate_in(session, w, State.DRAFT)
    session.flush()
    found = listing.find(session, w.company.id, listing.Query(sort="days_left"))
    assert [c.id for c in found.certificates[:2]] == [sooner.id, later.id]


def test_the_list_never_shows_another_company(
    session: Session, w: f.World, other_company: Company
) -> None:
    f.certificate_in(session, w, State.DRAFT)
    session.flush()
    other = listing.find(session, other_company.id, listing.Query())
    assert other.total == 0
    assert other.tab_counts["all"] == 0
