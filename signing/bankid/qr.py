"""BankID's animated QR code: its data changes every second, so a photographed code soon expires."""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime


def qr_auth_code(qr_start_secret: str, qr_time: int) -> str:
    """hex(HMAC-SHA256(key=qrStartSecret, msg=qrTime)), both as ASCII."""
    return hmac.new(
        qr_start_secret.encode("ascii"), str(qr_time).encode("ascii"), hashlib.sha256
    ).hexdigest()


def qr_data(qr_start_token: str, qr_start_secret: str, qr_time: int) -> str:
    """The text to put in the QR code `qr_time` whole seconds after the order started."""
    if qr_time < 0:
        raise ValueError("qr_time cannot be negative")
    return f"bankid.{qr_start_token}.{qr_time}.{qr_auth_code(qr_start_secret, qr_time)}"


def qr_time_at(started_at: datetime, now: datetime) -> int:
    """Whole seconds since the order started, never negative (clocks may disagree slightly)."""
    return max(0, math.floor((now - started_at).total_seconds()))
