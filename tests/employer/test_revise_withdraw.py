"""Answering a completion request with a revised version (and its diff), and withdrawing."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import State
from app.employer import certificate_form as cf
from app.outbox.models import OutboxMessage
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID


def test_revise_see_the_changes_and_sign_again(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{cert.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Arbetstagaren ber om komplettering" in html
    assert "Fel slutdatum" in html

    revised = web.post(client, f"{page}/revidera", form_page=page)
    assert revised.status_code == 302
    assert revised.headers["Location"] == f"{page}/granska"
    session.refresh(cert)
    assert (cert.state, cert.current_version) == (State.DRAFT, 2)
    assert "Inget är ändrat än jämfört med förra versionen." in client.get(page).get_data(
        as_text=True
    )

    edit = f"{page}/redigera"
    html = client.get(edit).get_data(as_text=True)
    lock = re.search(r'name="lock_version" value="(\d+)"', html)
    assert lock
    content = f.content("full")
    content["employment"]["period"]["end"] = "2025-07-31"
    content["worked_time"]["period"]["end"] = "2025-07-31"  # the table reaches the new end
    values, counts = cf.from_content(content)
    form = values | {cf.row_count_name(t): str(n) for t, n in counts.items()}
    saved = web.post(
        client, edit, form_page=edit, action="save", lock_version=lock.group(1), **form
    )
    assert saved.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Ändringar sedan version 1" in html
    assert "<li>Anställningstid, till och med ändrad från 2025-06-30 till 2025-07-31</li>" in html

    started = web.post(client, f"{page}/skriv-under", form_page=page)
    assert started.status_code == 302
    finished = web.complete_order(client, bankid, started.headers["Location"], f.CERTIFIER_PNR)
    assert finished.status_code == 302
    told = client.get(finished.headers["Location"]).get_data(as_text=True)
    assert "Intyget är underskrivet och skickat till " in told, "signing says what happened"
    session.refresh(cert)
    assert (cert.state, cert.current_version) == (State.SENT, 2)


def test_withdraw_needs_a_reason_and_tells_the_employee(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{cert.id}"
    refused = web.post(client, f"{page}/aterkalla", form_page=page, reason="  ")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Fältet måste fyllas i." in html
    assert 'aria-describedby="reason-hint reason-error"' in html
    done = web.post(client, f"{page}/aterkalla", form_page=page, reason="Fel anställning")
    assert done.status_code == 302
    session.refresh(cert)
    assert cert.state == State.WITHDRAWN
    assert cert.withdrawn_reason == "Fel anställning"
    told = session.scalars(select(OutboxMessage.template)).all()
    assert "certificate_withdrawn" in told
    html = client.get(page).get_data(as_text=True)
    assert "Fel anställning" in html
    assert "Återkalla intyget" not in html


def test_an_approved_certificate_cannot_be_withdrawn(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.APPROVED)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{cert.id}"
    assert "Återkalla intyget" not in client.get(page).get_data(as_text=True)
    response = web.post(client, f"{page}/aterkalla", form_page=page, reason="Ångrar mig")
    assert response.status_code == 409
    session.refresh(cert)
    assert cert.state == State.APPROVED
    assert certificates.days_left(cert) is None


def test_a_first_draft_is_deleted_not_withdrawn(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    draft = f.certificate_in(session, w, State.DRAFT)
    session.flush()
    draft_id = draft.id
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{draft_id}"
    html = client.get(page).get_data(as_text=True)
    assert "Återkalla intyget" not in html, "nothing was sent, so there is nothing to withdraw"
    assert f'action="{page}/ta-bort"' in html
    stale = web.post(client, f"{page}/ta-bort", form_page=page, lock_version="999")
    assert stale.status_code == 409
    done = web.post(client, f"{page}/ta-bort", form_page=page)
    assert done.status_code == 302
    assert done.headers["Location"] == "/arbetsgivare/"
    listing = client.get("/arbetsgivare/").get_data(as_text=True)
    assert f"Utkastet till {draft.employee.full_name} är borttaget." in listing
    session.expire_all()
    assert session.get(type(draft), draft_id) is None
    assert client.get(page).status_code == 404


def test_a_sent_certificate_is_withdrawn_not_deleted(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{cert.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Återkalla intyget" in html
    assert "Ta bort utkastet" not in html
    refused = web.post(client, f"{page}/ta-bort", form_page=page)
    assert refused.status_code == 302
    assert "kan inte tas bort" in client.get(page).get_data(as_text=True)
    session.refresh(cert)
    assert cert.state == State.SENT
