"""Faults: the SMTP server down for a while, a worker killed mid-batch, two workers at once.
Deliveries are counted at the SMTP server itself."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit.models import AuditEvent
from app.audit.service import verify_chain
from app.certificates.models import State
from app.notifications.channels import SmtpMailer
from app.outbox.models import OutboxMessage, OutboxStatus
from app.outbox.sending import Outgoing
from app.worker.worker import Worker
from tests import factories as f
from tests.notifications.conftest import POLICY, Clock, LocalSmtp, WorkerFactory


def _outbox(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _sent_certificates(session: Session, count: int) -> f.World:
    """`count` certificates delivered to the employee: `count` e-mails waiting."""
    w = f.world(session)
    for _ in range(count):
        f.certificate_in(session, w, State.SENT)
    return w


def _arrivals(smtp: LocalSmtp) -> Counter[str]:
    return Counter(str(message["Message-ID"]) for message in smtp.messages)


def test_smtp_down_for_a_while_every_message_arrives_once_it_is_back(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp, clock: Clock
) -> None:
    w = _sent_certificates(session, 3)
    f.certificate_in(session, w, State.COMPLETION_REQUESTED)  # one more to the employee, one to HR
    session.commit()
    clock.now = clock.now
    worker = make_worker()
    smtp_server.stop()

    assert worker.send_due()["pending"] == 5
    clock.advance(minutes=1)
    assert worker.send_due()["pending"] == 5
    assert {m.attempts for m in _outbox(session)} == {2}
    smtp_server.start()
    clock.advance(seconds=90)
    assert worker.send_due().total() == 0, "still backing off"
    clock.advance(seconds=30)
    assert worker.send_due()["sent"] == 5
    clock.advance(days=1)
    assert worker.send_due().total() == 0

    arrivals = _arrivals(smtp_server)
    assert len(arrivals) == 5
    assert set(arrivals.values()) == {1}
    assert {m.status for m in _outbox(session)} == {OutboxStatus.SENT}


class Crash(BaseException):
    """The process dies: nothing after this point runs, no handler catches it."""


class DiesOnThird:
    """Sends through `mailer`, and on the third message dies before or after the server took it."""

    def __init__(self, mailer: SmtpMailer, *, after_send: bool) -> None:
        self.mailer, self.after_send, self.count = mailer, after_send, 0

    def send(self, outgoing: Outgoing) -> None:
        self.count += 1
        if self.count == 3 and not self.after_send:
            raise Crash
        self.mailer.send(outgoing)
        if self.count == 3:
            raise Crash


@pytest.mark.parametrize("crash", ["after_claim", "before_send"])
def test_a_worker_killed_mid_batch_the_next_one_finishes_none_lost_none_doubled(
    session: Session,
    make_worker: WorkerFactory,
    smtp_server: LocalSmtp,
    clock: Clock,
    crash: str,
) -> None:
    _sent_certificates(session, 5)
    session.commit()
    clock.now = clock.now
    first = make_worker(senders={"email": DiesOnThird(smtp_server.mailer(), after_send=False)})
    if crash == "after_claim":
        assert len(first.claim()) == 5  # ...and the process is gone before it sends anything
    else:
        with pytest.raises(Crash):
            first.send_due()
        assert len(smtp_server.messages) == 2
    second = make_worker()

    assert second.send_due().total() == 0, "the dead worker's lease still holds"
    clock.advance(seconds=POLICY.lease.total_seconds())
    report = second.send_due()

    assert report["sent"] == (5 if crash == "after_claim" else 3)
    arrivals = _arrivals(smtp_server)
    assert len(arrivals) == 5
    assert set(arrivals.values()) == {1}
    assert {(m.status, m.claimed_by) for m in _outbox(session)} == {("sent", None)}


def test_a_worker_killed_after_the_server_took_a_message_resends_it_recognisably(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp, clock: Clock
) -> None:
    """The one window no sender can close alone: the server said yes, we died before our
    commit. The message goes again (at-least-once), with the same Message-ID."""
    _sent_certificates(session, 5)
    session.commit()
    clock.now = clock.now
    first = make_worker(senders={"email": DiesOnThird(smtp_server.mailer(), after_send=True)})
    with pytest.raises(Crash):
        first.send_due()
    in_flight = [m for m in _outbox(session) if m.status == OutboxStatus.SENDING]
    assert len(in_flight) == 1

    clock.advance(seconds=POLICY.lease.total_seconds())
    make_worker().send_due()

    arrivals = _arrivals(smtp_server)
    assert len(arrivals) == 5, "nothing lost"
    assert sorted(arrivals.values()) == [1, 1, 1, 1, 2], "only the one in flight, once more"
    [again] = [message_id for message_id, n in arrivals.items() if n == 2]
    assert again == f"<{_reference(in_flight[0])}@intyga.test>"
    assert {m.status for m in _outbox(session)} == {OutboxStatus.SENT}


def _reference(message: OutboxMessage) -> str:
    return Outgoing("email", "", "", "", message.idempotency_key).reference


def test_a_message_that_keeps_killing_its_worker_ends_as_a_dead_letter(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp, clock: Clock
) -> None:
    class AlwaysDies:
        def send(self, outgoing: Outgoing) -> None:
            raise Crash

    _sent_certificates(session, 1)
    session.commit()
    clock.now = clock.now
    for _ in range(POLICY.max_attempts):
        with pytest.raises(Crash):
            make_worker(senders={"email": AlwaysDies()}).send_due()
        clock.advance(seconds=POLICY.lease.total_seconds())

    assert make_worker().send_due()["dead"] == 1
    [message] = _outbox(session)
    assert (message.status, message.last_error) == ("dead", "no outcome after the last try")
    assert smtp_server.messages == []


@pytest.mark.committing
def test_two_workers_at_once_never_send_the_same_message_twice(
    committing: sessionmaker[Session], smtp_server: LocalSmtp
) -> None:
    with committing() as session:
        _sent_certificates(session, 24)
        session.commit()
    workers = [
        Worker(
            sessions=committing,
            senders={"email": smtp_server.mailer()},
            public_url="https://intyga.test",
            policy=POLICY,
            batch_size=4,
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(len(workers))
    reports: list[Counter[str]] = [Counter() for _ in workers]

    def run(index: int) -> None:
        barrier.wait(timeout=10)
        reports[index] = workers[index].send_due()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    arrivals = _arrivals(smtp_server)
    assert len(arrivals) == 24
    assert set(arrivals.values()) == {1}
    assert sum(report["sent"] for report in reports) == 24
    with committing() as session:
        statuses = session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
        assert [tuple(row) for row in statuses] == [("sent", 24)]


@pytest.mark.committing
def test_two_workers_running_the_deadlines_at_once_do_each_thing_once(
    committing: sessionmaker[Session],
) -> None:
    with committing() as session:
        _sent_certificates(session, 6)
        session.commit()
    day_42 = f.NOW + timedelta(days=42)
    workers = [
        Worker(
            sessions=committing,
            senders={},
            public_url="https://intyga.test",
            batch_size=2,
            clock=lambda: day_42,
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)

    def run(worker: Worker) -> None:
        barrier.wait(timeout=10)
        worker.run_deadlines()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    workers[0].run_deadlines()  # a later pass finishes what a lost write race left

    with committing() as session:
        expiries = session.scalars(
            select(AuditEvent.certificate_id).where(AuditEvent.action == "certificate.expire")
        ).all()
        assert len(expiries) == len(set(expiries)) == 6
        keys = session.scalars(
            select(OutboxMessage.idempotency_key).where(
                OutboxMessage.template == "certificate_expired"
            )
        ).all()
        assert len(keys) == 12  # the employee and the company, once each
        assert verify_chain(session).ok
