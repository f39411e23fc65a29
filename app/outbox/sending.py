"""What the outbox hands to a channel, and what a channel answers: the interface every sender
(e-mail, SMS, webhooks) implements and the worker drives.

A sender either returns (the channel accepted the message) or raises `SendFailed`, saying
whether trying again may help.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One rendered message, ready for its channel."""

    channel: str
    to: str
    subject: str
    body: str
    idempotency_key: str

    @property
    def reference(self) -> str:
        """Stable and opaque: the same message always carries the same reference, so a resend
        after a crash is recognisable downstream (Message-ID, the SMS provider's key)."""
        return hashlib.sha256(self.idempotency_key.encode()).hexdigest()[:40]


class SendFailed(Exception):  # noqa: N818 - reads as what happened
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Sender(Protocol):
    def send(self, outgoing: Outgoing) -> None: ...
