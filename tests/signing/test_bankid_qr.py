"""The animated QR code, against BankID's published test vector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from signing.bankid.qr import qr_auth_code, qr_data, qr_time_at

TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
SECRET = "d28db9a7-4cde-429e-a983-359be676944c"


@pytest.mark.parametrize(
    ("qr_time", "auth_code"),
    [
        (0, "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"),
        (1, "949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"),
        (2, "a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3"),
    ],
)
def test_published_test_vector(qr_time: int, auth_code: str) -> None:
    assert qr_auth_code(SECRET, qr_time) == auth_code
    assert qr_data(TOKEN, SECRET, qr_time) == f"bankid.{TOKEN}.{qr_time}.{auth_code}"


def test_qr_time_counts_whole_seconds_and_never_goes_negative() -> None:
    started = datetime(2026, 1, 1, tzinfo=UTC)
    assert qr_time_at(started, started + timedelta(seconds=2.9)) == 2
    assert qr_time_at(started, started - timedelta(seconds=1)) == 0


def test_negative_qr_time_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        qr_data(TOKEN, SECRET, -1)
