"""`flask webhook-listen`'s receiver: what the worker delivers is verified and printed once;
forged, stale and replayed requests are refused or skipped."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from app.certificates.models import State
from app.webhooks.delivery import sign
from app.webhooks.receiver import receiver
from tests import factories as f
from tests.notifications.conftest import free_port
from tests.webhooks.conftest import WorkerFactory, add_endpoint

Listen = Callable[[int, str], list[str]]


@pytest.fixture
def listen() -> Iterator[Listen]:
    """Start the receiver on a port with a secret; returns the lines it prints."""
    servers = []

    def start(port: int, secret: str) -> list[str]:
        lines: list[str] = []
        server = make_server("127.0.0.1", port, receiver(secret, lines.append), threaded=True)
        threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
        servers.append(server)
        return lines

    yield start
    for server in servers:
        server.shutdown()


def test_a_delivery_is_verified_and_printed_once(
    session: Session, w: f.World, make_worker: WorkerFactory, listen: Listen
) -> None:
    port = free_port()
    secret = add_endpoint(session, w, f"http://127.0.0.1:{port}/").secret
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()
    lines = listen(port, secret)

    assert make_worker().send_due()["sent"] == 1
    assert lines == [
        f"certificate.sent: certificate {cert.id} version 1, state sent, at {f.NOW.isoformat()}"
    ]


def test_forged_stale_and_replayed_requests(listen: Listen) -> None:
    port = free_port()
    lines = listen(port, "s3cret")
    url = f"http://127.0.0.1:{port}/"
    body = (
        b'{"certificate_id":"c1","event":"certificate.sent","id":"d1",'
        b'"occurred_at":"2026-11-30T09:00:00+00:00","state":"sent","version":1}'
    )

    def post(secret: str, timestamp: str, delivery: str = "d1") -> int:
        headers = {
            "Intyga-Timestamp": timestamp,
            "Intyga-Signature": sign(secret, timestamp, body),
            "Intyga-Delivery": delivery,
            "Intyga-Event": "certificate.sent",
        }
        return requests.post(url, data=body, headers=headers, timeout=5).status_code

    now = str(int(time.time()))
    assert post("wrong", now) == 401
    assert post("s3cret", str(int(time.time()) - 3600)) == 401
    assert post("s3cret", now) == 204
    assert post("s3cret", now) == 204
    assert lines == [
        "refused: Intyga-Signature does not match the secret",
        "refused: missing or old Intyga-Timestamp",
        "certificate.sent: certificate c1 version 1, state sent, at 2026-11-30T09:00:00+00:00",
        "already handled: d1",
    ]
    assert requests.get(url, timeout=5).status_code == 405
