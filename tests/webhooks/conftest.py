"""Fixtures of the webhook tests: a payroll system's receiver on a loopback port, endpoints, and
a worker that sends webhooks only."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from app.audit.service import SYSTEM
from app.database import utcnow
from app.outbox.service import RetryPolicy
from app.webhooks import service as webhooks
from app.webhooks.delivery import WebhookSender
from app.worker.worker import Worker
from tests import factories as f


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A payroll system that checks every request's signature, as the README tells it to, and
    answers `statuses` first, then 204."""

    secret: str = ""
    url: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def verified(self, item: Received) -> bool:
        timestamp = item.headers["Intyga-Timestamp"]
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + item.body, hashlib.sha256
        ).hexdigest()
        fresh = abs(time.time() - int(timestamp)) < 300
        return fresh and hmac.compare_digest(item.headers["Intyga-Signature"], f"v1={expected}")

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        self.received.append(Received(dict(request.headers), request.get_data()))
        status = self.statuses.pop(0) if self.statuses else 204
        return Response(status=status)(environ, start_response)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    server = make_server("127.0.0.1", 0, found, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_port}/hooks/intyga"
    yield found
    server.shutdown()
    thread.join(timeout=5)


def add_endpoint(session: Session, w: f.World, url: str) -> webhooks.NewEndpoint:
    return webhooks.register(
        session,
        company=w.company,
        url=url,
        description="Lön",
        actor=SYSTEM,
        allow_http_loopback=True,
    )


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions for the worker, joining the test's transaction: their commits are savepoints."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


class Clock:
    """The worker's clock: real time until a test moves it, then it stands still."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or utcnow()

    def advance(self, **delta: float) -> None:
        self.fixed = self() + timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


POLICY = RetryPolicy(max_attempts=3, backoff=timedelta(minutes=1), lease=timedelta(minutes=5))
WorkerFactory = Callable[[], Worker]


@pytest.fixture
def make_worker(sessions: sessionmaker[Session], clock: Clock) -> WorkerFactory:
    def make() -> Worker:
        return Worker(
            sessions=sessions,
            # The receiver listens on loopback: internal addresses allowed, as in development.
            senders={"webhook": WebhookSender(sessions, timeout=5, allow_internal=True)},
            public_url="https://intyga.test",
            policy=POLICY,
            batch_size=10,
            clock=clock,
        )

    return make
