"""The worker: runs the deadline jobs and sends what the outbox holds.

How a message is sent, and what that guarantees
------------------------------------------------
1. **Claim** (one short transaction): up to a batch of due messages get this worker's lease
   (`claimed_by`, `claimed_until`). PostgreSQL locks the candidates with FOR UPDATE SKIP LOCKED,
   so workers running side by side take disjoint batches; SQLite serialises the UPDATE.
2. **Begin** (commit *before* sending): the message becomes `sending`, its attempt is counted and
   the lease renewed — only if this worker still holds the claim.
3. **Send**, with no transaction open (a slow SMTP server holds no database locks).
4. **Finish** (one transaction): `sent`, or back to `pending` with exponential back-off, or
   `dead` after the last try or a failure that no retry can mend.

A worker that dies between 1 and 2 leaves pending messages with a lease: when it runs out,
another worker takes them and nothing was sent, so nothing is doubled. One that dies between 2
and 4 leaves a `sending` message whose outcome is unknown: the channel may or may not have taken
it. After the lease it is sent again — at-least-once, never silently lost — with the same
reference (the e-mail's Message-ID, the SMS provider's Idempotency-Key, both derived from the
idempotency key), so the resend is recognisable and a provider that honours the key delivers it
once. That window is the time between the channel's "accepted" and our commit, one message per
crash; exactly-once beyond that would need the channel to take part in our transaction. A
message that keeps killing its worker still uses up its tries (the attempt is counted in step 2)
and ends as a dead letter. The lease must exceed a send's timeout, so a slow worker is never
overtaken by a second one: RetryPolicy.lease (5 min) against SMTP_TIMEOUT (30 s).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app import correlation
from app.certificates import deadlines
from app.database import is_write_conflict, utcnow
from app.eid import service as eid
from app.notifications.compose import compose
from app.outbox import service as outbox
from app.outbox.models import Channel, OutboxMessage, OutboxStatus
from app.outbox.sending import Outgoing, Sender, SendFailed
from app.outbox.service import RetryPolicy
from app.webhooks import delivery as webhooks
from app.worker.steps import step

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Worker:
    """One worker process (or thread). `sessions` makes a fresh session per transaction."""

    sessions: Callable[[], Session]
    senders: Mapping[str, Sender]
    public_url: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    batch_size: int = 50
    clock: Callable[[], datetime] = utcnow
    name: str = field(default_factory=worker_name)
    stop: threading.Event = field(default_factory=threading.Event)
    # Other work of the same process: `steps` on every pass (import jobs), `housekeeping`
    # with the deadlines (clean-ups). Each returns what it did, for the report.
    steps: Sequence[Callable[[], Counter[str]]] = ()
    housekeeping: Sequence[Callable[[], Counter[str]]] = ()

    # --- one pass ---------------------------------------------------------------------------------

    def run_pass(self) -> Counter[str]:
        """Deadlines, then everything due: what cron's `worker --once` does."""
        report = self.run_deadlines()
        report.update(self.send_due())
        report.update(self.run_steps())
        return report

    def run_steps(self) -> Counter[str]:
        report: Counter[str] = Counter()
        for job in self.steps:
            if not self.stop.is_set():
                report.update(job())
        return report

    def run_deadlines(self) -> Counter[str]:
        """Each job finds its certificates, then handles them a batch per transaction."""
        report: Counter[str] = Counter()
        now = self.clock()
        for job in deadlines.JOBS:
            with step(self.sessions) as session:
                ids = job.find(session, now)
            for start in range(0, len(ids), self.batch_size):
                if self.stop.is_set():
                    return report
                chunk = ids[start : start + self.batch_size]
                try:
                    with step(self.sessions) as session:
                        done = job.apply(session, chunk, now)
                    if done:
                        report[job.name] += done
                except IntegrityError:
                    # Another worker wrote the same reminder (same outbox key) first.
                    log.info("deadline job %s: done by another worker meanwhile", job.name)
                except DBAPIError as exc:
                    if not is_write_conflict(exc):
                        raise
                    log.warning("deadline job %s: write conflict, retried next pass", job.name)
        with step(self.sessions) as session:
            if purged := eid.purge(session, now=now):
                report["eid_orders_purged"] = purged
        for chore in self.housekeeping:
            report.update(chore())
        return report

    def send_due(self) -> Counter[str]:
        """Claim and send batches until nothing is due (or we are asked to stop)."""
        report: Counter[str] = Counter()
        while not self.stop.is_set():
            batch = self.claim()
            for index, message_id in enumerate(batch):
                if self.stop.is_set():
                    self.release(batch[index:])
                    return report
                report[self.deliver(message_id)] += 1
            if len(batch) < self.batch_size:
                break
        return report

    # --- the steps --------------------------------------------------------------------------------

    def claim(self) -> list[int]:
        with step(self.sessions) as session:
            return outbox.claim_due(
                session,
                worker=self.name,
                channels=list(self.senders),
                now=self.clock(),
                lease=self.policy.lease,
                limit=self.batch_size,
            )

    def deliver(self, message_id: int) -> str:
        """Send one claimed message; returns what became of it (sent, pending, dead, lost).
        Its log lines carry the id of the request that queued it."""
        with correlation.job() as belongs_to:
            status = self._deliver(message_id, belongs_to)
            log.info("outbox message %s: %s", message_id, status)
            return status

    def _deliver(self, message_id: int, belongs_to: Callable[[str | None], object]) -> str:
        with step(self.sessions) as session:
            message = outbox.begin_sending(
                session, message_id, worker=self.name, now=self.clock(), lease=self.policy.lease
            )
            if message is None:
                session.rollback()
                return "lost"
            belongs_to(message.request_id)
            attempts, channel = message.attempts, message.channel
            failure: SendFailed | None = None
            outgoing: Outgoing | None = None
            if attempts > self.policy.max_attempts:
                # Earlier tries ended with their worker dead: stop trying this one.
                failure = SendFailed("no outcome after the last try", permanent=True)
            else:
                try:
                    outgoing = self.compose(session, message)
                except SendFailed as exc:
                    failure = exc
        if outgoing is not None:
            failure = self._send(channel, outgoing)
        with step(self.sessions) as session:
            if failure is None:
                outbox.mark_sent(session, message_id, worker=self.name, now=self.clock())
                status = str(OutboxStatus.SENT)
            else:
                status = outbox.mark_failed(
                    session,
                    message_id,
                    attempts=attempts,
                    worker=self.name,
                    now=self.clock(),
                    error=failure.reason,
                    permanent=failure.permanent,
                    policy=self.policy,
                )
                log.info("outbox message %s: %s (%s)", message_id, status, failure.reason)
        return status

    def compose(self, session: Session, message: OutboxMessage) -> Outgoing:
        """The message for its channel: a webhook's signed body, or an e-mail or SMS text."""
        if message.channel == Channel.WEBHOOK:
            return webhooks.outgoing(message)
        return compose(session, message, self.public_url)

    def _send(self, channel: str, outgoing: Outgoing) -> SendFailed | None:
        try:
            self.senders[channel].send(outgoing)
        except SendFailed as exc:
            return exc
        except Exception as exc:
            log.exception("outbox: the %s sender failed unexpectedly", channel)
            return SendFailed(f"{channel}: unexpected {type(exc).__name__}")
        return None

    def release(self, message_ids: list[int]) -> None:
        with step(self.sessions) as session:
            for message_id in message_ids:
                outbox.release(session, message_id, worker=self.name)

    # --- the loop ---------------------------------------------------------------------------------

    def run_forever(self, *, interval: float, deadlines_every: timedelta) -> None:
        """Send every `interval` seconds, run deadlines every `deadlines_every`, until `stop`."""
        last_deadlines: datetime | None = None
        while not self.stop.is_set():
            try:
                now = self.clock()
                if last_deadlines is None or now - last_deadlines >= deadlines_every:
                    self.run_deadlines()
                    last_deadlines = now
                self.send_due()
                self.run_steps()
            except Exception:
                # The database or a channel is down: say so, wait, try again.
                log.exception("worker pass failed; trying again in %s s", interval)
            self.stop.wait(interval)
