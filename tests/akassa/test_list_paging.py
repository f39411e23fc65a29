"""The fund's list a page at a time: keyset links ("Äldre", "Nyare") that cost the same at any
depth and never skip or repeat a certificate, and a count that stops at COUNT_CAP."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.akassa.models import AkassaStaff
from app.akassa_portal import service
from app.akassa_portal.service import Cursor, Query
from app.certificates.models import Certificate
from tests import factories as f
from tests.akassa import support
from tests.conftest import LiveBankID


@pytest.fixture
def page_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.akassa_portal.service.PAGE_SIZE", 2)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


def _ids(page: str, made: list[Certificate]) -> list[int]:
    """Which of `made` the page lists, by their index in `made`, in the page's order."""
    shown = [(page.index(str(c.id)), n) for n, c in enumerate(made) if str(c.id) in page]
    return [n for _, n in sorted(shown)]


def test_older_and_newer_links_walk_the_whole_list(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
    page_of_two: None,
) -> None:
    made = [support.approved(session, w, now=f.NOW + timedelta(days=n)) for n in range(5)]
    session.flush()
    support.log_in_officer(client, bankid)

    newest = client.get("/akassa/").get_data(as_text=True)
    assert _ids(newest, made) == [4, 3]
    assert "5 godkända intyg" in newest
    assert _link(newest, "prev") is None
    older = _link(newest, "next")
    assert older is not None
    assert "aldre=" in older

    # Approved meanwhile: shifts nothing on the pages already linked to.
    made.append(support.approved(session, w, now=f.NOW + timedelta(days=10)))
    session.flush()

    middle = client.get(older).get_data(as_text=True)
    assert _ids(middle, made) == [2, 1]
    assert "6 godkända intyg" in middle
    assert 'href="/akassa/">Nyaste</a>' in middle
    oldest_link = _link(middle, "next")
    assert oldest_link is not None
    oldest = client.get(oldest_link).get_data(as_text=True)
    assert _ids(oldest, made) == [0]
    assert _link(oldest, "next") is None

    newer = _link(oldest, "prev")
    assert newer is not None
    assert "nyare=" in newer
    back = client.get(newer).get_data(as_text=True)
    assert _ids(back, made) == [2, 1]
    newer = _link(back, "prev")
    assert newer is not None
    before = client.get(newer).get_data(as_text=True)
    assert _ids(before, made) == [4, 3], "the two just before, whatever came since"
    newer = _link(before, "prev")
    assert newer is not None
    top = client.get(newer).get_data(as_text=True)
    assert _ids(top, made) == [5, 4], "less than a page newer: the newest page"
    assert _link(top, "prev") is None


def test_certificates_approved_at_the_same_moment_are_each_listed_once(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
    page_of_two: None,
) -> None:
    made = [support.approved(session, w) for _ in range(5)]
    session.flush()
    support.log_in_officer(client, bankid)

    seen: list[int] = []
    link: str | None = "/akassa/"
    while link is not None:
        page = client.get(link).get_data(as_text=True)
        seen += _ids(page, made)
        link = _link(page, "next")
    assert sorted(seen) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "args",
    ["aldre=x", "nyare=", "aldre=99999999999999999999999.00", "nyare=12.not-an-id", "sida=2"],
)
def test_a_hand_edited_link_shows_the_newest_page(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
    page_of_two: None,
    args: str,
) -> None:
    made = [support.approved(session, w, now=f.NOW + timedelta(days=n)) for n in range(3)]
    session.flush()
    support.log_in_officer(client, bankid)
    response = client.get(f"/akassa/?{args}")
    assert response.status_code == 200
    assert _ids(response.get_data(as_text=True), made) == [2, 1]


def test_a_cursor_from_another_fund_pages_through_ones_own_fund_only(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
) -> None:
    mine = support.approved(session, w, now=f.NOW - timedelta(days=1))
    theirs = support.approved(session, w, akassa_code="if-metall", now=f.NOW)
    newest_theirs = support.approved(session, w, akassa_code="if-metall", now=f.NOW + timedelta(1))
    session.flush()
    support.log_in_officer(client, bankid)
    for args in (f"aldre={Cursor.of(newest_theirs).token}", f"nyare={Cursor.of(mine).token}"):
        page = client.get(f"/akassa/?{args}").get_data(as_text=True)
        assert str(mine.id) in page
        assert str(theirs.id) not in page


def test_the_count_stops_at_the_cap(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
    page_of_two: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("app.akassa_portal.service.COUNT_CAP", 3)
    for n in range(3):
        support.approved(session, w, now=f.NOW + timedelta(days=n))
    session.flush()
    support.log_in_officer(client, bankid)
    assert "3 godkända intyg" in client.get("/akassa/").get_data(as_text=True)

    support.approved(session, w, now=f.NOW + timedelta(days=5))
    session.flush()
    assert "Fler än 3 godkända intyg" in client.get("/akassa/").get_data(as_text=True)
    assert service.find(session, officer.akassa_id, Query()).more_than_cap


def test_a_search_pages_too_and_keeps_the_search(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
    page_of_two: None,
) -> None:
    made = [support.approved(session, w, now=f.NOW + timedelta(days=n)) for n in range(3)]
    session.flush()
    support.log_in_officer(client, bankid)
    first = client.get(f"/akassa/?sok={f.EMPLOYEE_PNR}").get_data(as_text=True)
    assert _ids(first, made) == [2, 1]
    older = _link(first, "next")
    assert older is not None
    assert f"sok={f.EMPLOYEE_PNR}" in older
    assert _ids(client.get(older).get_data(as_text=True), made) == [0]


def test_a_cursor_survives_its_token() -> None:
    cursor = Cursor(f.NOW + timedelta(microseconds=123), uuid.uuid4())
    assert Cursor.parse(cursor.token) == cursor
    assert Query.parse(" 19121212-1212 ", older=cursor.token, newer=cursor.token) == Query(
        "19121212-1212", older_than=cursor
    )
