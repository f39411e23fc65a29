"""A BankID test server of our own: the RP API v6.0 over real HTTP, with real signatures.

For development, demos and tests only. See `server.create_test_server` and, for the personal
numbers that trigger failures, `people`.
"""

from signing.bankid.testserver.people import (
    CERTIFICATE_ERR,
    EXPIRED_TRANSACTION,
    RESERVED,
    START_FAILED,
    USER_CANCEL,
)
from signing.bankid.testserver.server import BankIDTestServer, create_test_server

__all__ = [
    "CERTIFICATE_ERR",
    "EXPIRED_TRANSACTION",
    "RESERVED",
    "START_FAILED",
    "USER_CANCEL",
    "BankIDTestServer",
    "create_test_server",
]
