"""The worker POSTs each webhook, signed, to the endpoint; failures are retried with back-off;
every attempt is in the delivery log."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.certificates.models import State
from app.notifications.channels import senders_from_config
from app.outbox.models import Channel, OutboxMessage
from app.webhooks import service as webhooks
from app.webhooks.delivery import WebhookSender, sign
from app.webhooks.models import WebhookDelivery
from app.worker.cli import senders as worker_senders
from tests import factories as f
from tests.webhooks.conftest import POLICY, Clock, Receiver, WorkerFactory, add_endpoint


def _log(session: Session) -> list[WebhookDelivery]:
    return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _message(session: Session) -> OutboxMessage:
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel == Channel.WEBHOOK)
        .execution_options(populate_existing=True)
    ).one()


def test_the_receiver_gets_a_signed_event_it_can_verify(
    session: Session, w: f.World, receiver: Receiver, make_worker: WorkerFactory
) -> None:
    receiver.secret = add_endpoint(session, w, receiver.url).secret
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()

    assert make_worker().send_due()["sent"] == 1

    [got] = receiver.received
    assert receiver.verified(got)
    message = _message(session)
    assert got.headers["Intyga-Event"] == "certificate.sent"
    assert got.headers["Intyga-Delivery"] == message.idempotency_key
    assert got.headers["Content-Type"] == "application/json"
    assert json.loads(got.body) == {
        "id": message.idempotency_key,
        "event": "certificate.sent",
        "certificate_id": str(cert.id),
        "state": "sent",
        "version": 1,
        "occurred_at": f.NOW.isoformat(),
    }
    tampered = got.body.replace(b'"version":1', b'"version":2')
    assert got.headers["Intyga-Signature"] != sign(
        receiver.secret, got.headers["Intyga-Timestamp"], tampered
    )
    [attempt] = _log(session)
    assert (attempt.status_code, attempt.error, attempt.ok) == (204, None, True)
    assert attempt.outbox_message_id == message.id
    assert attempt.event == "certificate.sent"
    assert attempt.duration_ms >= 0
    for personal in (f.EMPLOYEE_PNR, "Tolvan", w.company.name):
        assert personal.encode() not in got.body


def test_a_failing_receiver_is_retried_with_back_off_and_every_attempt_is_logged(
    session: Session,
    w: f.World,
    receiver: Receiver,
    make_worker: WorkerFactory,
    clock: Clock,
) -> None:
    receiver.secret = add_endpoint(session, w, receiver.url).secret
    f.certificate_in(session, w, State.SENT)
    session.commit()
    receiver.statuses = [500, 302]
    clock.advance(seconds=0)  # time stands still from here
    worker = make_worker()

    assert worker.send_due()["pending"] == 1
    first = _message(session)
    assert (first.attempts, first.last_error) == (1, "webhook: http 500")
    assert first.next_attempt_at - clock() == POLICY.delay(1)
    assert worker.send_due().total() == 0  # not due yet

    clock.advance(seconds=POLICY.delay(1).total_seconds())
    assert worker.send_due()["pending"] == 1
    second = _message(session)
    assert (second.attempts, second.last_error) == (2, "webhook: http 302")
    assert second.next_attempt_at - clock() == POLICY.delay(2) == timedelta(minutes=2)

    clock.advance(minutes=2)
    assert worker.send_due()["sent"] == 1
    assert len(receiver.received) == 3
    assert all(receiver.verified(item) for item in receiver.received)
    assert {item.headers["Intyga-Delivery"] for item in receiver.received} == {
        first.idempotency_key
    }
    log = _log(session)
    assert [(d.status_code, d.error) for d in log] == [
        (500, "webhook: http 500"),
        (302, "webhook: http 302"),
        (204, None),
    ]
    assert {d.outbox_message_id for d in log} == {first.id}


def test_an_unreachable_receiver_ends_as_a_dead_letter(
    session: Session, w: f.World, make_worker: WorkerFactory, clock: Clock
) -> None:
    add_endpoint(session, w, "http://127.0.0.1:9/nobody-listens")
    f.certificate_in(session, w, State.SENT)
    session.commit()
    worker = make_worker()
    for _ in range(POLICY.max_attempts):
        worker.send_due()
        clock.advance(hours=1)

    message = _message(session)
    assert (message.status, message.attempts) == ("dead", POLICY.max_attempts)
    log = _log(session)
    assert len(log) == POLICY.max_attempts
    assert all(d.status_code is None and d.error == "webhook: ConnectionError" for d in log)


def test_a_deactivated_endpoint_gets_nothing_more(
    session: Session, w: f.World, receiver: Receiver, make_worker: WorkerFactory
) -> None:
    endpoint = add_endpoint(session, w, receiver.url).endpoint
    f.certificate_in(session, w, State.SENT)
    webhooks.deactivate(session, company_id=w.company.id, endpoint_id=endpoint.id, actor=SYSTEM)
    session.commit()

    assert make_worker().send_due()["dead"] == 1
    assert receiver.received == []
    assert _message(session).last_error == "webhook: endpoint deactivated"


def test_the_worker_sends_webhooks_when_it_has_a_database() -> None:
    config = {"MAIL_BACKEND": "console", "SMS_BACKEND": "console", "WEBHOOK_TIMEOUT": "3"}
    assert Channel.WEBHOOK not in senders_from_config(config, io.StringIO())
    sender = worker_senders(config, Session)[Channel.WEBHOOK]
    assert isinstance(sender, WebhookSender)
    assert sender.timeout == 3.0
