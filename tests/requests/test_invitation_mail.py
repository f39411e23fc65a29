"""Inviting a colleague queues an e-mail to the address the admin gave; the worker sends it over
real SMTP, reading the address from the invitation (the outbox holds only its id)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.companies import service as companies
from app.companies.models import Invitation, Role
from app.outbox.models import OutboxMessage, OutboxStatus
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID
from tests.notifications.conftest import LocalSmtp, WorkerFactory

PAGE = "/arbetsgivare/kollegor"


def _messages(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(
        session.scalars(select(OutboxMessage).where(OutboxMessage.template == "invitation"))
    )


def test_the_invited_colleague_gets_an_email_with_the_login_link(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    make_worker: WorkerFactory,
    smtp_server: LocalSmtp,
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    invited = web.post(
        client,
        f"{PAGE}/inbjudan",
        form_page=PAGE,
        personnummer="19751124-9836",
        email="olle@example.test",
        role="certifier",
    )
    assert invited.status_code == 302
    [message] = _messages(session)
    invitation = session.scalars(select(Invitation)).one()
    assert message.channel == "email"
    assert message.payload == {"invitation_id": str(invitation.id)}
    assert message.recipient_company_id == w.company.id
    assert message.recipient_person_id is None

    report = make_worker().send_due()

    assert report["sent"] == 1
    assert smtp_server.recipients() == ["olle@example.test"]
    [mail] = smtp_server.messages
    assert mail["Subject"] == "Du har bjudits in till Intyga"
    body = mail.get_content()
    assert "Logga in med BankID" in body
    assert "https://intyga.test/logga-in" in body
    del mail["To"]
    for personal in ("olle", "751124", "9836", "Anna", "Admin"):
        assert personal not in mail.as_string()
    assert _messages(session)[0].status == OutboxStatus.SENT


def test_someone_already_known_is_invited_in_their_language(
    session: Session, w: f.World, make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    olle = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
    olle.language = "en"
    companies.invite(
        session,
        w.company,
        personnummer=f.OUTSIDER_PNR,
        email="olle.privat@example.test",
        role=Role.ADMIN,
        invited_by=w.admin,
    )
    session.commit()

    make_worker().send_due()

    assert smtp_server.recipients() == ["olle.privat@example.test"]
    assert smtp_server.messages[0]["Subject"] == "You have been invited to Intyga"


def test_a_revoked_invitation_is_not_sent(
    session: Session, w: f.World, make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    invitation = companies.invite(
        session,
        w.company,
        personnummer=f.OUTSIDER_PNR,
        email="olle@example.test",
        role=Role.CERTIFIER,
        invited_by=w.admin,
    )
    companies.revoke_invitation(
        session, w.company.id, invitation.id, actor=Actor.person(w.admin.id)
    )
    session.commit()

    report = make_worker().send_due()

    assert report["dead"] == 1
    assert smtp_server.messages == []
    [message] = _messages(session)
    assert message.last_error is not None
    assert "olle" not in message.last_error
