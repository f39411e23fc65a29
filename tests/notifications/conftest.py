"""A real SMTP server (aiosmtpd) and a real HTTP SMS provider on loopback ports, and workers
whose clock the test sets."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from app.database import utcnow
from app.notifications.channels import SmtpMailer, SmtpSettings
from app.outbox.service import RetryPolicy
from app.worker.worker import Worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Inbox:
    """aiosmtpd handler: keeps every message the server accepted."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, _session: SmtpSession, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class LocalSmtp:
    """An SMTP server that can be stopped and started again on the same port (an outage)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.inbox.lock:
            return [message for _rcpt, message in self.inbox.received]

    def recipients(self) -> list[str]:
        with self.inbox.lock:
            return [to for rcpt, _message in self.inbox.received for to in rcpt]

    def mailer(self) -> SmtpMailer:
        return SmtpMailer(
            SmtpSettings(
                host="127.0.0.1",
                port=self.port,
                tls="none",
                username=None,
                password=None,
                mail_from="Intyga <noreply@intyga.test>",
                timeout=5,
            )
        )


@pytest.fixture
def smtp_server() -> Iterator[LocalSmtp]:
    server = LocalSmtp()
    server.start()
    yield server
    server.stop()


@dataclass
class SmsProvider:
    """What our HTTP SMS provider received; `statuses` are answered first, then 202."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        self.requests.append(
            {
                "path": request.path,
                "authorization": request.headers.get("Authorization"),
                "idempotency_key": request.headers.get("Idempotency-Key"),
                "json": request.get_json(),
            }
        )
        status = self.statuses.pop(0) if self.statuses else 202
        response = Response(json.dumps({"id": "sms-1"}), status=status, mimetype="application/json")
        return response(environ, start_response)


@pytest.fixture
def sms_provider() -> Iterator[SmsProvider]:
    provider = SmsProvider()
    server = make_server("127.0.0.1", 0, provider, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    provider.url = f"http://127.0.0.1:{server.server_port}/v1/messages"
    yield provider
    server.shutdown()
    thread.join(timeout=5)


class Clock:
    """The real time until a test sets or advances it; then time stands still."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or utcnow()

    @property
    def now(self) -> datetime:
        return self()

    @now.setter
    def now(self, value: datetime) -> None:
        self.fixed = value

    def advance(self, **delta: float) -> datetime:
        self.fixed = self() + timedelta(**delta)
        return self.fixed


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions for workers, joining the test's transaction: their commits are savepoints."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


POLICY = RetryPolicy(
    max_attempts=4,
    backoff=timedelta(minutes=1),
    max_backoff=timedelta(hours=1),
    lease=timedelta(minutes=5),
)

WorkerFactory = Callable[..., Worker]


@pytest.fixture
def make_worker(
    sessions: sessionmaker[Session], smtp_server: LocalSmtp, clock: Clock
) -> WorkerFactory:
    def make(**overrides: Any) -> Worker:
        settings: dict[str, Any] = {
            "sessions": sessions,
            "senders": {"email": smtp_server.mailer()},
            "public_url": "https://intyga.test",
            "policy": POLICY,
            "batch_size": 10,
            "clock": clock,
        }
        return Worker(**(settings | overrides))

    return make
