"""errorCode -> typed error, as the provider interface promises."""

from __future__ import annotations

import pytest

from signing.eid import (
    AlreadyInProgress,
    EidError,
    InternalError,
    InvalidParameters,
    Maintenance,
    NotFound,
    RequestTimeout,
    TooManyRequests,
    TransportError,
    Unauthorized,
    UnknownError,
    error_for_code,
)


@pytest.mark.parametrize(
    ("code", "error_type"),
    [
        ("alreadyInProgress", AlreadyInProgress),
        ("invalidParameters", InvalidParameters),
        ("unauthorized", Unauthorized),
        ("notFound", NotFound),
        ("requestTimeout", RequestTimeout),
        ("tooManyRequests", TooManyRequests),
        ("internalError", InternalError),
        ("maintenance", Maintenance),
        ("Maintenance", Maintenance),
        ("MAINTENANCE", Maintenance),
    ],
)
def test_known_codes_get_their_type(code: str, error_type: type[EidError]) -> None:
    error = error_for_code(code, "details for the log", http_status=400)
    assert type(error) is error_type
    assert error.details == "details for the log"
    assert error.http_status == 400
    assert error.error_code == error_type.code


def test_unknown_codes_are_kept() -> None:
    error = error_for_code("brandNewCode", "what happened")
    assert isinstance(error, UnknownError)
    assert error.error_code == "brandNewCode"
    assert "brandNewCode" in str(error)


def test_transport_errors_are_eid_errors() -> None:
    error = TransportError("BankID svarar inte")
    assert isinstance(error, EidError)
    assert error.error_code == "transport"
    assert "BankID svarar inte" in str(error)
