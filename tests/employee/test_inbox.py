"""The employee's inbox: only their own certificates, in the right section, in one query."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.database import utcnow
from app.employee import service as employee_service
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID


def _sections(html: str) -> tuple[str, str]:
    new, _sep, documents = html.partition("Mina dokument")
    assert "Nya arbetsgivarintyg" in new
    return new, documents


@pytest.fixture
def mixed(session: Session, w: f.World) -> dict[str, Certificate]:
    """One certificate in every state for the employee, and one sent to somebody else."""
    now = utcnow() - timedelta(days=2)
    found = {
        state.value: f.certificate_in(session, w, state, now=now + timedelta(minutes=i))
        for i, state in enumerate(State)
    }
    other = f.person(session, f.OTHER_EMPLOYEE_PNR, "Eva", "Exempelsson")
    stranger = certificates.create_draft(
        session,
        company=w.company,
        variant="full",
        content=f.content(employee_pnr=f.OTHER_EMPLOYEE_PNR),
        actor=w.by_certifier,
    )
    certificates.sign(session, stranger, signer=w.certifier, evidence=f.EVIDENCE, now=now)
    certificates.deliver(session, stranger, now=now)
    assert stranger.employee_id == other.id
    found["stranger"] = stranger
    session.flush()
    return found


def test_sections_hold_only_what_reached_the_employee(
    employee: FlaskClient, mixed: dict[str, Certificate]
) -> None:
    response = employee.get("/arbetstagare")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    new, documents = _sections(html)
    link = "/arbetstagare/intyg/{}".format
    assert link(mixed["sent"].id) in new
    assert "Testbolaget AB" in new
    for state in ("completion_requested", "approved", "expired"):
        assert link(mixed[state].id) in documents, state
        assert link(mixed[state].id) not in new, state
    # Never delivered: a draft, a signature not yet sent, a draft withdrawn before sending.
    for hidden in ("draft", "signed", "withdrawn", "stranger"):
        assert str(mixed[hidden].id) not in html, hidden
    assert "Du är inloggad som arbetstagare" in html


def test_days_left_are_shown_for_what_awaits_an_answer(
    employee: FlaskClient, mixed: dict[str, Certificate]
) -> None:
    new, _documents = _sections(employee.get("/arbetstagare").get_data(as_text=True))
    row = re.search(rf"{mixed['sent'].id}.*?</tr>", new, re.S)
    assert row
    assert '<td data-label="Dagar kvar att svara">41</td>' in row.group(0)  # 40 days, 2 minutes


def test_a_withdrawn_certificate_that_had_been_sent_is_among_the_documents(
    employee: FlaskClient, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.SENT, now=utcnow())
    certificates.withdraw(session, cert, actor=w.by_certifier, reason="Fel period")
    session.flush()
    _new, documents = _sections(employee.get("/arbetstagare").get_data(as_text=True))
    assert str(cert.id) in documents
    assert "Återkallat" in documents


def test_the_empty_inbox_says_what_to_check(employee: FlaskClient) -> None:
    html = employee.get("/arbetstagare").get_data(as_text=True)
    assert "Inga intyg än." in html
    assert "Kontrollera att du är inloggad som arbetstagare" in html


@contextmanager
def _counting(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_inbox_is_one_query_newest_first(
    session: Session, w: f.World, mixed: dict[str, Certificate]
) -> None:
    person_id = w.employee.id
    session.expire_all()
    with _counting(session) as statements:
        inbox = employee_service.inbox(session, person_id)
        shown = [(i.id, i.employer_name, i.days_left, i.akassa_name) for i in inbox.awaiting]
        shown += [(i.id, i.employer_name, i.days_left, i.akassa_name) for i in inbox.documents]
    assert len(statements) == 1
    assert [item.id for item in inbox.awaiting] == [mixed["sent"].id]
    answered = [mixed[state] for state in ("expired", "completion_requested", "approved")]
    newest_first = sorted(answered, key=lambda c: c.delivered_at or c.created_at, reverse=True)
    assert [item.id for item in inbox.documents] == [c.id for c in newest_first]
    assert {name for _id, name, _days, _fund in shown} == {"Testbolaget AB"}
    approved = next(i for i in inbox.documents if i.id == mixed["approved"].id)
    assert approved.akassa_name
    assert approved.days_left is None


@pytest.mark.parametrize(
    "path",
    [
        "/arbetstagare",
        "/arbetstagare/intyg/00000000-0000-4000-8000-000000000000",
        "/arbetstagare/intyg/00000000-0000-4000-8000-000000000000/dokument/1.pdf",
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_logging_in_as_an_employee_leads_to_the_inbox(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    html = client.get("/arbetstagare").get_data(as_text=True)
    for entry in ("Inkorg", "Min profil", "Begär intyg", "Preliminär bedömning"):
        assert entry in html
