"""Failed API keys, throttled far harder than calls with a valid key.

A key is 256 random bits, so guessing one is hopeless; but each failed attempt still costs a
lookup, and a flood of them hides in the logs. Calls with a valid key may make
API_RATE_LIMIT calls (600 a minute); an address that presents a missing, wrong or revoked key
may fail API_FAILURE_LIMIT times (10 a minute, 50 an hour), after which every call from it, to
the REST API and the SOAP service alike, is refused with 429 until the window has passed.

The counters live in the rate limiter's storage: Redis when configured (RATELIMIT_STORAGE_URI,
or REDIS_URL), so every worker process shares them; in memory otherwise.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

NAMESPACE = "intyga-api-key-failures"
GUARDED_BLUEPRINTS = ("api", "soap")


class FailureThrottle:
    def __init__(self, storage_uri: str, limits: str) -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.items: list[RateLimitItem] = parse_many(limits)

    def failed(self, address: str) -> None:
        for item in self.items:
            self.limiter.hit(item, NAMESPACE, address)

    def wait(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None if it may now."""
        waits = [
            self.limiter.get_window_stats(item, NAMESPACE, address).reset_time - time.time()
            for item in self.items
            if not self.limiter.test(item, NAMESPACE, address)
        ]
        return max(1, math.ceil(max(waits))) if waits else None


def current() -> FailureThrottle:
    throttle: FailureThrottle = current_app.extensions["intyga.api_key_failures"]
    return throttle


def address() -> str:
    return request.remote_addr or "unknown"


def record_failure() -> None:
    current().failed(address())


def _refuse_throttled() -> None:
    if request.blueprint in GUARDED_BLUEPRINTS and (wait := current().wait(address())):
        raise TooManyRequests(retry_after=wait)


def init_app(app: Flask) -> None:
    """Call before the rate limiter's init_app: a throttled address is refused before its key
    is even looked up."""
    app.extensions["intyga.api_key_failures"] = FailureThrottle(
        app.config["RATELIMIT_STORAGE_URI"], app.config["API_FAILURE_LIMIT"]
    )
    app.before_request(_refuse_throttled)
