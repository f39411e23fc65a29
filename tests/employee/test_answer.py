"""The employee answers: approves to an a-kassa with BankID (sealed with both signatures), or asks
for a completion; refusals leave everything as it was."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.akassa import service as akassa_service
from app.certificates import sealing
from app.certificates import service as certificates
from app.certificates.models import (
    Certificate,
    CompletionMessage,
    SealedDocument,
    Signature,
    State,
)
from app.database import utcnow
from app.eid.models import EidOrder
from app.errors import NotFound
from app.outbox.models import OutboxMessage
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID
from tests.employee.conftest import SignAsEmployer


def _page(cert: Certificate) -> str:
    return f"/arbetstagare/intyg/{cert.id}"


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="(\d+)"', html)
    assert found, f"no {name} on the page"
    return found.group(1)


def _start_approval(client: FlaskClient, cert: Certificate, **overrides: str) -> TestResponse:
    html = client.get(_page(cert)).get_data(as_text=True)
    data = {
        "akassa": "unionens",
        "confirm": "y",
        "version": _hidden(html, "version"),
        "lock_version": _hidden(html, "lock_version"),
    } | overrides
    return web.post(client, f"{_page(cert)}/godkann", form_page=_page(cert), **data)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_approve_with_bankid_seals_both_signatures(
    employee: FlaskClient,
    runner: FlaskCliRunner,
    bankid: LiveBankID,
    session: Session,
    sent: Certificate,
    tmp_path: Path,
) -> None:
    html = employee.get(_page(sent)).get_data(as_text=True)
    assert '<option selected value="unionens">' in html  # pre-filled from the membership
    assert "Du är medlem i" in html
    started = _start_approval(employee, sent)
    assert started.status_code == 302, started.get_data(as_text=True)
    finished = web.complete_order(employee, bankid, started.headers["Location"], f.EMPLOYEE_PNR)
    assert finished.status_code == 302
    assert finished.headers["Location"] == _page(sent)
    assert "Intyget är godkänt och skickat till" in employee.get(_page(sent)).get_data(as_text=True)

    session.refresh(sent)
    fund = akassa_service.get_by_code(session, "unionens")
    assert (sent.state, sent.akassa_id) == (State.APPROVED, fund.id)
    assert certificates.get_for_akassa(session, fund.id, sent.id) is sent
    other = next(a for a in akassa_service.active_funds(session) if a.id != fund.id)
    with pytest.raises(NotFound):
        certificates.get_for_akassa(session, other.id, sent.id)
    approval = session.scalars(select(Signature).where(Signature.role == "employee")).one()
    assert approval.evidence["verification"]["complete"] is True
    stages = session.scalars(select(SealedDocument.stage).order_by(SealedDocument.created_at))
    assert list(stages) == ["signed", "approved"]

    for kind in ("xml", "pdf"):
        response = employee.get(f"{_page(sent)}/dokument/1.{kind}")
        path = tmp_path / f"godkant.{kind}"
        path.write_bytes(response.data)
        result = runner.invoke(args=["verify", str(path)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("VALID")
        assert "signed by employer: " in result.output
        assert f"signed by employee: Tolvan Tolvansson ({f.EMPLOYEE_PNR})" in result.output
        assert f"to {fund.name} - verified" in result.output

    html = employee.get(_page(sent)).get_data(as_text=True)
    assert "Godkänn med BankID" not in html
    assert html.count("underskriften är kontrollerad") == 2


def test_a_new_version_while_bankid_is_open_approves_nothing(
    employee: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    sent: Certificate,
    sign_as_employer: SignAsEmployer,
) -> None:
    started = _start_approval(employee, sent)
    assert started.status_code == 302
    certificates.request_completion(session, sent, employee=w.employee, message="Fel datum")
    certificates.revise(session, sent, actor=w.by_certifier)
    session.flush()
    sign_as_employer(sent)

    finished = web.complete_order(employee, bankid, started.headers["Location"], f.EMPLOYEE_PNR)
    assert finished.status_code == 302
    html = employee.get(finished.headers["Location"]).get_data(as_text=True)
    assert "inget har godkänts" in html
    session.refresh(sent)
    assert (sent.state, sent.current_version, sent.akassa_id) == (State.SENT, 2, None)
    assert session.scalars(select(Signature).where(Signature.role == "employee")).all() == []
    assert _count(session, SealedDocument) == 2  # each version's signed seal, nothing approved
    replay = web.post(employee, f"{started.headers['Location']}/klar", form_page=_page(sent))
    assert replay.status_code == 409  # the order stays used


def test_the_page_that_showed_an_older_version_cannot_approve(
    employee: FlaskClient, session: Session, sent: Certificate
) -> None:
    response = _start_approval(employee, sent, version="2")
    assert response.status_code == 409
    assert "Intyget har en nyare version" in response.get_data(as_text=True)
    response = _start_approval(employee, sent, lock_version="99")
    assert response.status_code == 409
    assert "inget har godkänts" in response.get_data(as_text=True)
    session.refresh(sent)
    assert sent.state == State.SENT


def test_the_form_needs_a_fund_and_a_confirmation(employee: FlaskClient, sent: Certificate) -> None:
    response = _start_approval(employee, sent, akassa="", confirm="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'href="#akassa">A-kassa som ska få intyget: Välj din a-kassa.' in html
    assert "Bekräfta att du har läst intyget." in html
    assert 'aria-describedby="confirm-error"' in html


def test_another_fund_than_ones_own_is_refused_before_bankid(
    employee: FlaskClient, session: Session, sent: Certificate
) -> None:
    other = next(
        fund.code for fund in akassa_service.active_funds(session) if fund.code != "unionens"
    )
    response = _start_approval(employee, sent, akassa=other)
    assert response.status_code == 403
    assert "Du kan bara skicka intyget till din egen a-kassa." in response.get_data(as_text=True)


def test_ask_for_completion(
    employee: FlaskClient, session: Session, w: f.World, sent: Certificate
) -> None:
    page = _page(sent)
    response = web.post(
        employee, f"{page}/komplettering", form_page=page, message="  Lönen i maj saknas.  "
    )
    assert response.status_code == 302
    session.refresh(sent)
    assert sent.state == State.COMPLETION_REQUESTED
    note = session.scalars(select(CompletionMessage)).one()
    assert (note.body, note.author_id, note.version_number) == (
        "Lönen i maj saknas.",
        w.employee.id,
        1,
    )
    outbox = session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "completion_requested")
    ).one()
    assert outbox.recipient_company_id == w.company.id
    html = employee.get(page).get_data(as_text=True)
    assert "Lönen i maj saknas." in html
    assert "Du har bett arbetsgivaren om komplettering" in html
    assert "Godkänn med BankID" not in html


@pytest.mark.parametrize(
    ("message", "error"),
    [("   ", "Skriv ett meddelande."), ("x" * 2001, "Högst 2000 tecken.")],
)
def test_a_completion_request_needs_a_message_of_sensible_length(
    employee: FlaskClient, session: Session, sent: Certificate, message: str, error: str
) -> None:
    page = _page(sent)
    response = web.post(employee, f"{page}/komplettering", form_page=page, message=message)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error in html
    assert 'aria-describedby="message-hint message-error"' in html
    session.refresh(sent)
    assert sent.state == State.SENT
    assert _count(session, CompletionMessage) == 0


@pytest.fixture
def overdue(session: Session, w: f.World) -> Certificate:
    """Sent 43 days ago and not yet expired by the deadline job."""
    cert = f.certificate_in(session, w, State.SENT, now=utcnow() - timedelta(days=43))
    session.flush()
    return cert


def test_after_the_deadline_nothing_can_be_answered(
    employee: FlaskClient, session: Session, overdue: Certificate
) -> None:
    page = _page(overdue)
    html = employee.get(page).get_data(as_text=True)
    assert "Tiden på sex veckor att svara har gått ut." in html
    assert "Godkänn med BankID" not in html
    token = web.csrf(employee, "/logga-in")
    asked = employee.post(f"{page}/komplettering", data={"csrf_token": token, "message": "Hej"})
    assert asked.status_code == 409
    assert "Tiden på sex veckor att svara har gått ut. Inget har sparats." in asked.get_data(
        as_text=True
    )
    approved = employee.post(
        f"{page}/godkann",
        data={
            "csrf_token": token,
            "akassa": "unionens",
            "confirm": "y",
            "version": str(overdue.current_version),
            "lock_version": str(overdue.lock_version),
        },
    )
    assert approved.status_code == 409
    session.refresh(overdue)
    assert overdue.state == State.SENT
    assert _count(session, CompletionMessage) == 0
    assert session.scalars(select(Signature).where(Signature.role == "employee")).all() == []


ROUTES = [
    ("get", ""),
    ("post", "/godkann"),
    ("post", "/komplettering"),
    ("get", "/dokument/1.pdf"),
    ("get", "/dokument/1.xml"),
]


@pytest.mark.parametrize(("method", "suffix"), ROUTES)
def test_another_persons_certificate_does_not_exist(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    sent: Certificate,
    method: str,
    suffix: str,
) -> None:
    f.person(session, f.OTHER_EMPLOYEE_PNR, "Eva", "Exempelsson")
    session.flush()
    web.log_in(client, bankid, f.OTHER_EMPLOYEE_PNR)
    path = f"{_page(sent)}{suffix}"
    if method == "get":
        response = client.get(path)
    else:
        token = web.csrf(client, "/logga-in")
        data = {"csrf_token": token, "akassa": "unionens", "confirm": "y", "message": "Hej"}
        data |= {"version": "1", "lock_version": str(sent.lock_version)}
        response = client.post(path, data=data)
    assert response.status_code == 404
    session.refresh(sent)
    assert sent.state == State.SENT


@pytest.mark.parametrize(("method", "suffix"), ROUTES)
def test_a_draft_of_ones_own_does_not_exist_yet(
    employee: FlaskClient, session: Session, w: f.World, method: str, suffix: str
) -> None:
    draft = f.certificate_in(session, w, State.DRAFT)
    session.flush()
    path = f"{_page(draft)}{suffix}"
    if method == "get":
        response = employee.get(path)
    else:
        token = web.csrf(employee, "/logga-in")
        response = employee.post(path, data={"csrf_token": token, "message": "Hej"})
    assert response.status_code == 404


def test_the_employee_signs_the_very_digest_the_employer_signed(
    session: Session, w: f.World, sent: Certificate
) -> None:
    request = sealing.employee_request(
        session,
        sent,
        w.employee,
        akassa_service.get_by_code(session, "unionens"),
        version_number=1,
        lock_version=sent.lock_version,
    )
    assert request.subject == {
        "flow": "employee_approve",
        "certificate_id": str(sent.id),
        "version": 1,
        "lock_version": sent.lock_version,
        "akassa": "unionens",
    }
    employer = session.scalars(select(Signature).where(Signature.role == "employer")).one()
    assert request.digest == employer.document_hash
    assert "unionens" not in request.visible_text  # the fund by name, as the person knows it
    assert akassa_service.get_by_code(session, "unionens").name in request.visible_text


def test_an_order_signed_by_someone_else_approves_nothing(
    app: Flask, session: Session, w: f.World, sent: Certificate
) -> None:
    stranger = f.person(session, f.OTHER_EMPLOYEE_PNR, "Eva", "Exempelsson")
    order = EidOrder(person_id=stranger.id, subject={"lock_version": sent.lock_version})
    with pytest.raises(NotFound):
        sealing.finish_employee(
            session, sent, order, app.extensions["intyga.seal"], employee=w.employee
        )
    assert sent.state == State.SENT


def test_a_certificate_signed_without_eid_is_approved_without_a_new_seal(
    employee: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    """Demo data is signed without eID: there is no employer evidence to seal with."""
    cert = f.certificate_in(session, w, State.SENT, now=utcnow())
    session.flush()
    started = _start_approval(employee, cert)
    assert started.status_code == 302
    finished = web.complete_order(employee, bankid, started.headers["Location"], f.EMPLOYEE_PNR)
    assert finished.status_code == 302
    session.refresh(cert)
    assert cert.state == State.APPROVED
    assert _count(session, SealedDocument) == 0
