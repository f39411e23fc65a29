"""Messages the worker gave up on: an admin sees the company's own and puts one back in line;
a certifier is refused, another company's message does not exist; operators use the CLI."""

from __future__ import annotations

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from app.companies.models import Company
from app.outbox import service as outbox
from app.outbox.models import Channel, OutboxMessage, OutboxStatus
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

PAGE = "/arbetsgivare/foretag/meddelanden"


def _dead_letter(session: Session, company: Company, key: str) -> OutboxMessage:
    message = outbox.enqueue(
        session,
        key=key,
        channel=Channel.EMAIL,
        template="completion_requested",
        payload={"certificate_id": "x"},
        company=company,
    )
    # What the worker leaves after the last try (its own tests walk the back-off to here).
    message.status = OutboxStatus.DEAD
    message.attempts = 4
    message.last_error = "email: the recipient has no address"
    session.flush()
    return message


def test_an_admin_sees_the_company_dead_letters_and_retries_one(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, other_company: Company
) -> None:
    ours = _dead_letter(session, w.company, "ours")
    theirs = _dead_letter(session, other_company, "theirs")
    web.log_in(client, bankid, f.ADMIN_PNR)
    assert PAGE in client.get("/arbetsgivare/foretag/installningar").get_data(as_text=True)

    page = client.get(PAGE).get_data(as_text=True)
    assert "Begäran om komplettering av ett arbetsgivarintyg" in page
    assert "email: the recipient has no address" in page
    assert f"/meddelanden/{ours.id}/forsok-igen" in page
    assert f"/meddelanden/{theirs.id}/forsok-igen" not in page

    refused = web.post(client, f"{PAGE}/{theirs.id}/forsok-igen", form_page=PAGE)
    assert refused.status_code == 404
    session.refresh(theirs)
    assert theirs.status == OutboxStatus.DEAD

    retried = web.post(client, f"{PAGE}/{ours.id}/forsok-igen", form_page=PAGE)
    assert retried.status_code == 302
    session.refresh(ours)
    assert (ours.status, ours.attempts) == (OutboxStatus.PENDING, 0)
    assert "Alla meddelanden har kommit fram." in client.get(PAGE).get_data(as_text=True)


def test_a_certifier_is_refused(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    message = _dead_letter(session, w.company, "ours")
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    assert client.get(PAGE).status_code == 403
    token = web.csrf(client, "/arbetsgivare/")
    answer = client.post(f"{PAGE}/{message.id}/forsok-igen", data={"csrf_token": token})
    assert answer.status_code == 403
    session.refresh(message)
    assert message.status == OutboxStatus.DEAD


def test_operators_list_and_retry_every_dead_letter(
    runner: FlaskCliRunner, session: Session, w: f.World, other_company: Company
) -> None:
    ours = _dead_letter(session, w.company, "ours")
    theirs = _dead_letter(session, other_company, "theirs")
    session.commit()

    listed = runner.invoke(args=["outbox", "dead"])
    assert listed.exit_code == 0, listed.output
    assert {line.split("\t")[0] for line in listed.output.splitlines()} == {
        str(ours.id),
        str(theirs.id),
    }

    retried = runner.invoke(args=["outbox", "retry", str(theirs.id)])
    assert retried.exit_code == 0, retried.output
    session.refresh(theirs)
    assert theirs.status == OutboxStatus.PENDING

    again = runner.invoke(args=["outbox", "retry", str(theirs.id)])
    assert again.exit_code == 1
    assert f"no dead letter with id {theirs.id}" in again.output
