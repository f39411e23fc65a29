"""The a-kassa officer's pages: only what members approved to the officer's own fund."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.akassa.models import AkassaStaff
from app.audit.models import AuditEvent
from app.certificates.models import Certificate, State
from app.people import service as people
from tests import factories as f
from tests import web
from tests.akassa import support
from tests.conftest import LiveBankID


def test_an_officer_picks_the_akassa_role_and_sees_only_the_funds_approved_certificates(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
) -> None:
    to_other_fund = support.approved(session, w, akassa_code="if-metall")
    mine = support.approved(session, w, now=f.NOW + timedelta(days=3))
    older = support.approved(session, w, variant="income_2025", now=f.NOW - timedelta(days=30))
    waiting = f.certificate_in(session, w, State.SENT)
    session.flush()

    web.log_in(client, bankid, support.OFFICER_PNR)
    start = client.get("/start").get_data(as_text=True)
    assert "Fortsätt som a-kassa" in start
    assert "Unionens a-kassa" in start
    support.log_in_officer(client, bankid)
    html = client.get("/akassa/").get_data(as_text=True)
    assert "Du är inloggad som a-kassa" in html
    assert "Byt till arbetsgivare" in html
    assert "Byt till arbetstagare" in html
    assert "2 godkända intyg" in html
    assert html.index(str(mine.id)) < html.index(str(older.id)), "newest approval first"
    assert str(to_other_fund.id) not in html
    assert str(waiting.id) not in html
    assert "121212-****" in html
    assert "191212121212" not in html
    assert "19121212-1212" not in html

    person = people.find_person(session, support.OFFICER_PNR)
    assert person is not None
    session.refresh(person)
    assert person.portal_role == "akassa"
    web.post(client, "/logga-ut", form_page="/start")
    web.log_in(client, bankid, support.OFFICER_PNR)
    assert "Du är inloggad som a-kassa" in client.get("/start").get_data(as_text=True)


def test_search_by_whole_personnummer(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
) -> None:
    tolvan = support.approved(session, w)
    eva = f.person(session, f.OTHER_EMPLOYEE_PNR, "Eva", "Exempelsson")
    other = f.World(w.admin, w.certifier, eva, w.company)
    evas = support.approved(session, other, data=support.content(employee_pnr=f.OTHER_EMPLOYEE_PNR))
    session.flush()
    support.log_in_officer(client, bankid)
    both = client.get("/akassa/").get_data(as_text=True)
    assert str(tolvan.id) in both
    assert str(evas.id) in both

    found = client.get("/akassa/?sok=19900315-9820").get_data(as_text=True)
    assert str(evas.id) in found
    assert str(tolvan.id) not in found
    assert "1 godkända intyg" in found
    nobody = client.get(f"/akassa/?sok={f.OUTSIDER_PNR}").get_data(as_text=True)
    assert "Inga intyg hittades." in nobody
    partial = client.get("/akassa/?sok=Eva").get_data(as_text=True)
    assert "Ange ett helt personnummer" in partial
    assert 'aria-describedby="sok-error"' in partial
    assert str(evas.id) not in partial


def test_reading_a_certificate_shows_it_with_the_assessment_and_is_audited(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
) -> None:
    cert = support.approved(session, w)
    session.flush()
    support.log_in_officer(client, bankid)
    response = client.get(f"/akassa/intyg/{cert.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Arbetsgivarintyg för Tolvan Tolvansson" in html
    assert "19121212-1212" in html, "the officer sees the whole personnummer of the member"
    assert "Snickare" in html
    assert "Preliminär bedömning" in html
    assert "Arbetslös från" in html
    assert "2026-10-01" in html
    assert "Huvudregeln" in html
    assert "300 dagar" in html
    assert "27\xa0200\xa0kr" in html, "capped at 34,000: 80 % of it"
    assert "Det finns inget förseglat dokument" in html, "approved through services, not sealed"
    assert "Ingen inkomst från Skatteverkets arbetsgivardeklarationer" in html
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "certificate.opened_by_akassa")
    ).one()
    assert event.certificate_id == cert.id
    assert event.actor_id == officer.person_id
    assert event.data == {"akassa": "unionens", "version": 1, "purpose": "read"}


def test_an_employment_ending_before_the_2025_rules_gets_no_assessment(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
) -> None:
    cert = support.approved(session, w, data=f.content())
    session.flush()
    support.log_in_officer(client, bankid)
    html = client.get(f"/akassa/intyg/{cert.id}").get_data(as_text=True)
    assert "Ingen bedömning" in html
    assert "arbetslös från 2025-07-01" in html
    assert "Från 2025-10-01" in html, "the rule table is still shown"


ROUTES = ("/akassa/intyg/{id}", "/akassa/intyg/{id}/intyg.xml", "/akassa/intyg/{id}/intyg.pdf")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", ["other_fund", "not_approved", "unknown"])
def test_nothing_but_the_funds_approved_certificates_exists_here(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
    route: str,
    case: str,
) -> None:
    target: uuid.UUID
    if case == "other_fund":
        target = support.approved(session, w, akassa_code="if-metall").id
    elif case == "not_approved":
        target = f.certificate_in(session, w, State.COMPLETION_REQUESTED).id
    else:
        target = uuid.uuid4()
    session.flush()
    support.log_in_officer(client, bankid)
    assert client.get(route.format(id=target)).status_code == 404
    assert (
        session.scalars(
            select(AuditEvent).where(AuditEvent.action == "certificate.opened_by_akassa")
        ).all()
        == []
    )


@pytest.mark.parametrize("route", ["/akassa/", *ROUTES])
def test_only_staff_get_in(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    other_officer: AkassaStaff,
    route: str,
) -> None:
    cert = support.approved(session, w)
    session.flush()
    path = route.format(id=cert.id)
    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/logga-in")

    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    assert "Fortsätt som a-kassa" not in client.get("/start").get_data(as_text=True)
    refused = web.post(client, "/roll", form_page="/start", role="akassa")
    assert refused.headers["Location"] == "/start"
    assert client.get(path).status_code == 403
    web.post(client, "/logga-ut", form_page="/start")

    support.log_in_officer(client, bankid, support.OTHER_OFFICER_PNR)
    expected = 200 if route == "/akassa/" else 404
    response = client.get(path)
    assert response.status_code == expected
    assert "Tolvansson" not in response.get_data(as_text=True)


def test_removed_staff_lose_the_role(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    officer: AkassaStaff,
) -> None:
    support.log_in_officer(client, bankid)
    assert client.get("/akassa/").status_code == 200
    session.delete(officer)
    session.flush()
    assert client.get("/akassa/").status_code == 403
    html = client.get("/start").get_data(as_text=True)
    assert "Fortsätt som a-kassa" not in html
    assert "Byt till a-kassa" not in html
    assert "Du är inloggad som a-kassa" not in html
    assert "Du har inte valt roll än." in html


def test_approved_certificates_can_be_listed_with_few_queries(
    session: Session, w: f.World, officer: AkassaStaff
) -> None:
    from app.akassa_portal import service

    made = [support.approved(session, w, now=f.NOW + timedelta(days=n)) for n in range(2)]
    session.flush()
    page = service.find(session, officer.akassa_id, service.Query())
    assert [c.id for c in page.certificates] == [made[1].id, made[0].id]
    assert all(isinstance(c, Certificate) for c in page.certificates)
