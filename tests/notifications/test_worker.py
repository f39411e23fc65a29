"""The worker sends what the life cycle put in the outbox: to a real SMTP server and a real HTTP
SMS provider, retrying with back-off, giving up into dead letters, never touching webhooks."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import State
from app.errors import NotFound
from app.notifications.channels import ConsoleMailer, ConsoleSms, HttpSms, senders_from_config
from app.outbox import service as outbox
from app.outbox.models import Channel, OutboxMessage, OutboxStatus
from app.outbox.sending import Outgoing
from app.people.models import NotifyBy
from tests import factories as f
from tests.notifications.conftest import POLICY, Clock, LocalSmtp, SmsProvider, WorkerFactory


def _messages(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_delivered_certificate_reaches_the_employee_by_email(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()

    report = make_worker().send_due()

    assert report["sent"] == 1
    [mail] = smtp_server.messages
    assert smtp_server.recipients() == [w.employee.email]
    assert mail["Subject"] == "Du har fått ett arbetsgivarintyg"
    assert "https://intyga.test/arbetstagare" in mail.get_content()
    assert mail["Message-ID"].endswith("@intyga.test>")
    assert mail["Auto-Submitted"] == "auto-generated"
    [message] = _messages(session)
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert (message.attempts, message.claimed_by, message.last_error) == (1, None, None)
    assert str(cert.id) in message.payload["certificate_id"]


def test_the_employee_is_written_to_in_their_language(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    w = f.world(session)
    w.employee.language = "en"
    f.certificate_in(session, w, State.SENT)
    session.commit()

    make_worker().send_due()

    [mail] = smtp_server.messages
    assert mail["Subject"] == "You have received an employer certificate"
    assert "replies are not read" in mail.get_content()


def test_the_company_hears_of_a_completion_request_with_a_link_to_the_certificate(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    session.commit()

    make_worker().send_due()

    by_recipient = dict(zip(smtp_server.recipients(), smtp_server.messages, strict=True))
    company_mail = by_recipient["hr@example.test"]
    assert company_mail["Subject"] == "Begäran om komplettering av ett arbetsgivarintyg"
    assert f"https://intyga.test/arbetsgivare/intyg/{cert.id}" in company_mail.get_content()


def test_sms_goes_to_the_http_provider_with_bearer_token_and_idempotency_key(
    session: Session, make_worker: WorkerFactory, sms_provider: SmsProvider
) -> None:
    w = f.world(session)
    w.employee.mobile = "070-123 45 67"
    w.employee.notify_by = NotifyBy.SMS
    f.certificate_in(session, w, State.SENT)
    session.commit()

    report = make_worker(senders={"sms": HttpSms(sms_provider.url, "secret-token")}).send_due()

    assert report["sent"] == 1
    [request] = sms_provider.requests
    assert request["path"] == "/v1/messages"
    assert request["authorization"] == "Bearer secret-token"
    body = request["json"]
    assert body["to"] == "+46701234567"
    assert body["text"].startswith("Du har fått ett arbetsgivarintyg att granska.")
    assert body["text"].endswith("https://intyga.test/arbetstagare")
    assert body["reference"] == request["idempotency_key"]
    assert len(body["reference"]) == 40


def test_sms_provider_failures_retry_and_a_refused_number_gives_up(
    session: Session, make_worker: WorkerFactory, sms_provider: SmsProvider, clock: Clock
) -> None:
    w = f.world(session)
    w.employee.mobile = "0701234567"
    w.employee.notify_by = NotifyBy.SMS
    f.certificate_in(session, w, State.SENT)
    session.commit()
    worker = make_worker(senders={"sms": HttpSms(sms_provider.url, "secret-token")})

    sms_provider.statuses = [503]
    assert worker.send_due()["pending"] == 1
    [message] = _messages(session)
    assert message.last_error == "sms: http 503"
    clock.advance(minutes=1)
    sms_provider.statuses = [400]
    assert worker.send_due()["dead"] == 1
    [message] = _messages(session)
    assert (message.status, message.attempts, message.last_error) == ("dead", 2, "sms: http 400")
    assert len({r["idempotency_key"] for r in sms_provider.requests}) == 1


def test_failures_back_off_exponentially_then_the_message_is_a_dead_letter(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp, clock: Clock
) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.COMPLETION_REQUESTED)  # one mail to the employee, one to HR
    session.commit()
    smtp_server.stop()
    worker = make_worker()
    clock.now = clock.now  # time stands still from here

    waits = []
    for attempt in range(1, POLICY.max_attempts):
        assert worker.send_due()["pending"] == 2
        messages = _messages(session)
        assert {m.attempts for m in messages} == {attempt}
        assert {m.last_error for m in messages} == {"smtp: ConnectionRefusedError"}
        [due] = {m.next_attempt_at for m in messages}
        waits.append(due - clock.now)
        clock.now = due - timedelta(seconds=1)
        assert worker.send_due()["sent"] == 0, "nothing is due before its time"
        clock.now = due
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]

    assert worker.send_due()["dead"] == 2
    assert {(m.status, m.attempts) for m in _messages(session)} == {("dead", POLICY.max_attempts)}
    clock.advance(days=30)
    assert worker.send_due().total() == 0, "dead letters are not tried again"

    [dead] = outbox.dead_letters(session, w.company.id)
    assert dead.recipient_company_id == w.company.id
    assert (
        outbox.dead_letters(session, f.company(session, w.admin, "5560360793", "Annat AB").id) == []
    )


def test_an_admin_can_put_a_dead_letter_back_in_line(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp, clock: Clock
) -> None:
    w = f.world(session)
    w.company.notification_email = None
    message = outbox.enqueue(
        session,
        key="manual",
        channel=Channel.EMAIL,
        template="completion_requested",
        payload={"certificate_id": "x"},
        company=w.company,
    )
    session.commit()
    make_worker().send_due()
    session.refresh(message)
    assert (message.status, message.last_error) == ("dead", "email: the recipient has no address")

    other = f.company(session, w.admin, "5560360793", "Annat AB")
    with pytest.raises(NotFound):
        outbox.retry_dead_letter(session, other.id, message.id)
    w.company.notification_email = "lon@example.test"
    outbox.retry_dead_letter(session, w.company.id, message.id, now=clock.now)
    session.commit()
    assert make_worker().send_due()["sent"] == 1
    assert "lon@example.test" in smtp_server.recipients()


def test_webhooks_are_left_alone(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    w = f.world(session)
    outbox.enqueue(
        session,
        key="hook",
        channel=Channel.WEBHOOK,
        template="certificate_delivered",
        payload={},
        company=w.company,
    )
    session.commit()

    assert make_worker().send_due().total() == 0
    [message] = _messages(session)
    assert (message.status, message.attempts, message.claimed_by) == ("pending", 0, None)


def test_withdrawn_and_expired_reach_both_sides(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    w = f.world(session)
    sent = f.certificate_in(session, w, State.SENT)
    certificates.withdraw(session, sent, actor=w.by_certifier, reason="Fel", now=f.NOW)
    f.certificate_in(session, w, State.EXPIRED)
    session.commit()

    make_worker().send_due()

    subjects = sorted(str(m["Subject"]) for m in smtp_server.messages)
    assert subjects == [
        "Du har fått ett arbetsgivarintyg",
        "Du har fått ett arbetsgivarintyg",
        "Ett arbetsgivarintyg besvarades inte i tid",
        "Ett arbetsgivarintyg har dragits tillbaka",
        "Tiden för att svara på ett arbetsgivarintyg har gått ut",
    ]


def test_console_senders_print_the_message() -> None:
    out = io.StringIO()
    senders = senders_from_config({"MAIL_BACKEND": "console", "SMS_BACKEND": "console"}, out)
    assert isinstance(senders["email"], ConsoleMailer)
    assert isinstance(senders["sms"], ConsoleSms)
    senders["email"].send(Outgoing("email", "a@example.test", "Ämne", "Text", "k:email"))
    assert "Subject: Ämne\n\nText" in out.getvalue()
    with pytest.raises(ValueError, match="MAIL_BACKEND"):
        senders_from_config({"MAIL_BACKEND": "carrier-pigeon"})
    with pytest.raises(ValueError, match="SMS_HTTP_URL"):
        senders_from_config({"SMS_BACKEND": "http"})
