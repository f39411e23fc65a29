"""The in-process rate-limit storage counts as limits' memory storage does, without a thread."""

from __future__ import annotations

import threading
import time

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from app.api import ratelimit


def test_the_scheme_names_this_storage() -> None:
    assert isinstance(storage_from_string("swept-memory://"), ratelimit.SweptMemoryStorage)


def test_counting_starts_no_thread_and_limits_as_before() -> None:
    storage = ratelimit.SweptMemoryStorage()
    storage.timer.join(5)  # the one limits' constructor starts, cancelled at once
    limiter = FixedWindowRateLimiter(storage)
    three = parse("3 per minute")
    before = threading.active_count()
    assert [limiter.hit(three, "key:a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(three, "key:b")
    assert threading.active_count() == before


def test_expired_counters_read_as_zero_and_are_swept(monkeypatch: pytest.MonkeyPatch) -> None:
    storage = ratelimit.SweptMemoryStorage()
    storage.incr("key:a", expiry=1)
    storage.incr("key:a", expiry=1)
    assert storage.get("key:a") == 2
    later = time.time() + 2
    monkeypatch.setattr(time, "time", lambda: later)
    assert storage.get("key:a") == 0
    storage.incr("key:old", expiry=1)
    monkeypatch.setattr(time, "time", lambda: later + 5)
    monkeypatch.setattr(time, "monotonic", lambda: storage.next_sweep + 1)
    storage.incr("key:new", expiry=60)
    assert "key:old" not in storage.storage
    assert storage.get("key:new") == 1
