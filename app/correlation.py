"""The request id the work in hand belongs to, for every log line it writes.

A request takes its id when it begins (`app.operations.logs`). What it queues for the worker (an
outbox message: e-mail, SMS, webhook; an import job) keeps that id, and the worker runs the job
under it again, so the lines of the job and of the request that asked for it are found together.
Plain context variables: the domain reads them as it reads the clock, without Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

_current: ContextVar[str | None] = ContextVar("intyga_request_id", default=None)


def request_id() -> str | None:
    """The id of the request (or of the job's enqueuing request) being handled, if any."""
    return _current.get()


@contextmanager
def carried(request_id: str | None) -> Iterator[None]:
    """Run the block as part of the request `request_id`; the previous id comes back after."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def job() -> Iterator[Callable[[str | None], object]]:
    """A worker's job, whose request is known only once the job is read: call the function
    given with its id; the id before the block comes back after it."""
    token = _current.set(None)
    try:
        yield _current.set
    finally:
        _current.reset(token)


def enter(request_id: str) -> Token[str | None]:
    """Begin a request in hooks that cannot hold a `with` block; `leave` ends it."""
    return _current.set(request_id)


def leave(token: Token[str | None]) -> None:
    _current.reset(token)
