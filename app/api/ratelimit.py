"""The rate limiter's in-process storage when no shared one (Redis) is configured.

limits' `memory://` storage starts a timer thread 10 ms after every count it makes, to drop
expired counters: under load, a thread per request. This one drops them from the request that
counts, at most once a second; a counter past its window already reads as zero (`get`), so
what a limit allows is the same.
"""

from __future__ import annotations

import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["swept-memory"]  # noqa: RUF012 - limits' registry reads the class attribute

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()
        self.next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - overrides the private hook
        now = time.monotonic()
        if now >= self.next_sweep:
            self.next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
