"""Sending a webhook: the JSON body, its signature, the POST, and a log row per attempt.

The worker (`app.worker.worker`) claims webhook messages like any other and calls
`WebhookSender.send` with no transaction open; 2xx counts as delivered, anything else as a failure
that the worker retries with its back-off. The receiver checks

    Intyga-Signature: v1=<hex HMAC-SHA256(secret, f"{Intyga-Timestamp}.{body}")>

and, against replays, that Intyga-Timestamp is recent and Intyga-Delivery unseen.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import utcnow
from app.outbox.models import Channel, OutboxMessage
from app.outbox.sending import Outgoing, SendFailed
from app.webhooks.addresses import (
    InternalAddressError,
    Resolver,
    UnresolvableError,
    public_only_session,
    system_resolver,
)
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

BODY_FIELDS = ("event", "certificate_id", "state", "version", "occurred_at")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The Intyga-Signature header's value."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"v1={digest.hexdigest()}"


def outgoing(message: OutboxMessage) -> Outgoing:
    """The message as the sender needs it: `to` names the endpoint, `body` is the exact JSON."""
    payload: dict[str, Any] = message.payload
    body = {"id": message.idempotency_key} | {name: payload[name] for name in BODY_FIELDS}
    return Outgoing(
        channel=Channel.WEBHOOK,
        to=str(payload["endpoint_id"]),
        subject=str(payload["event"]),
        body=json.dumps(body, separators=(",", ":"), sort_keys=True),
        idempotency_key=message.idempotency_key,
    )


class WebhookSender:
    """POSTs to the endpoint the message names. `sessions` gives short transactions of its own:
    one to read the endpoint, one to log the attempt. Unless `allow_internal` (development),
    every delivery resolves the host anew and connects to public addresses only."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        *,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
        allow_internal: bool = False,
        resolve: Resolver = system_resolver,
    ) -> None:
        self.sessions, self.timeout, self.clock = sessions, timeout, clock
        self.allow_internal = allow_internal
        self.http = requests.Session() if allow_internal else public_only_session(resolve)

    def send(self, outgoing: Outgoing) -> None:
        with self.sessions() as session:
            endpoint = session.get(WebhookEndpoint, uuid.UUID(outgoing.to))
            if endpoint is None or not endpoint.active:
                raise SendFailed("webhook: endpoint deactivated", permanent=True)
            url, secret = endpoint.url, endpoint.secret
        body = outgoing.body.encode()
        timestamp = str(int(self.clock()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Intyga-Webhooks/1",
            "Intyga-Event": outgoing.subject,
            "Intyga-Delivery": outgoing.idempotency_key,
            "Intyga-Timestamp": timestamp,
            "Intyga-Signature": sign(secret, timestamp, body),
        }
        status: int | None = None
        error: str | None = None
        started = time.monotonic()
        permanent = False
        try:
            # Redirects are not followed: the registered URL is the one that gets signed events,
            # and a redirect could point inside.
            response = self.http.post(
                url, data=body, headers=headers, timeout=self.timeout, allow_redirects=False
            )
            status = response.status_code
            response.close()
        except InternalAddressError:
            error, permanent = "webhook: internal address refused", True
        except UnresolvableError:
            error = "webhook: host not found"
        except requests.RequestException as exc:
            error = f"webhook: {type(exc).__name__}"
        duration_ms = round((time.monotonic() - started) * 1000)
        if status is not None and not 200 <= status < 300:
            error = f"webhook: http {status}"
        self._log(outgoing, uuid.UUID(outgoing.to), status, error, duration_ms)
        if error is not None:
            raise SendFailed(error, permanent=permanent)

    def _log(
        self,
        outgoing: Outgoing,
        endpoint_id: uuid.UUID,
        status: int | None,
        error: str | None,
        duration_ms: int,
    ) -> None:
        with self.sessions() as session:
            message_id = session.scalar(
                select(OutboxMessage.id).where(
                    OutboxMessage.idempotency_key == outgoing.idempotency_key
                )
            )
            session.add(
                WebhookDelivery(
                    endpoint_id=endpoint_id,
                    outbox_message_id=message_id,
                    event=outgoing.subject,
                    attempted_at=utcnow(),
                    status_code=status,
                    error=error,
                    duration_ms=duration_ms,
                )
            )
            session.commit()
