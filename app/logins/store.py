"""Logins the server can end: one record per login in one browser, in Redis when REDIS_URL is set
(so every worker and process sees the same), else in the database.

The browser's signed cookie carries only a random token; the record says whose it is, when the
login started and when it was last used. A login ends when the person logs out (that record),
logs out everywhere (all their records), is idle too long, or is older than the absolute limit;
a cookie copied before any of these no longer lets anyone in.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import redis
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.database import rows_affected, utcnow
from app.logins.models import LoginSession

# Writing the last use on every request would make each page a write; a minute is precise enough
# for an idle limit counted in tens of minutes.
TOUCH_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    absolute: timedelta

    def alive(self, started: datetime, last_seen: datetime, now: datetime) -> bool:
        return now - last_seen < self.idle and now - started < self.absolute


def limits_from(config: Mapping[str, Any]) -> Limits:
    """The limits set by SESSION_IDLE_MINUTES and SESSION_MAX_HOURS."""
    return Limits(
        idle=timedelta(minutes=float(config["SESSION_IDLE_MINUTES"])),
        absolute=timedelta(hours=float(config["SESSION_MAX_HOURS"])),
    )


@dataclass(frozen=True)
class Login:
    """A live login as its holder may see it in the list of their logins."""

    started_at: datetime
    last_seen_at: datetime


class LoginStore(Protocol):
    def start(self, person_id: uuid.UUID, now: datetime) -> str: ...

    def check(self, token: str, now: datetime) -> uuid.UUID | None: ...

    def end(self, token: str) -> None: ...

    def end_all(self, person_id: uuid.UUID) -> int: ...

    def active(self, person_id: uuid.UUID, now: datetime) -> list[Login]: ...


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DatabaseLogins:
    """Records in the `login_session` table. Starting and ending join the request's transaction
    (`current`), which the view commits. Checking runs in a short transaction of its own
    (`fresh`) before the request's begins, and writes the last use at most once a minute, since
    most pages commit nothing."""

    def __init__(
        self, limits: Limits, current: Callable[[], Session], fresh: Callable[[], Session]
    ) -> None:
        self.limits, self.current, self.fresh = limits, current, fresh

    def start(self, person_id: uuid.UUID, now: datetime) -> str:
        token = new_token()
        session = self.current()
        session.add(
            LoginSession(
                token_hash=hash_token(token), person_id=person_id, started_at=now, last_seen_at=now
            )
        )
        session.flush()
        return token

    def check(self, token: str, now: datetime) -> uuid.UUID | None:
        with self.fresh() as own:
            record = own.get(LoginSession, hash_token(token))
            if record is None or not self.limits.alive(record.started_at, record.last_seen_at, now):
                return None  # an ended login's record is purged by the worker
            if now - record.last_seen_at >= TOUCH_PRECISION:
                record.last_seen_at = now
                own.commit()
            return record.person_id

    def end(self, token: str) -> None:
        self.current().execute(
            delete(LoginSession).where(LoginSession.token_hash == hash_token(token))
        )

    def end_all(self, person_id: uuid.UUID) -> int:
        ended = self.current().execute(
            delete(LoginSession).where(LoginSession.person_id == person_id)
        )
        return rows_affected(ended)

    def active(self, person_id: uuid.UUID, now: datetime) -> list[Login]:
        records = self.current().scalars(
            select(LoginSession)
            .where(LoginSession.person_id == person_id)
            .order_by(LoginSession.last_seen_at.desc())
        )
        return [
            Login(record.started_at, record.last_seen_at)
            for record in records
            if self.limits.alive(record.started_at, record.last_seen_at, now)
        ]


def purge(session: Session, limits: Limits, *, now: datetime | None = None) -> int:
    """Remove the database records of logins that have ended by time (the worker calls this)."""
    now = now or utcnow()
    ended = session.execute(
        delete(LoginSession).where(
            (LoginSession.last_seen_at <= now - limits.idle)
            | (LoginSession.started_at <= now - limits.absolute)
        )
    )
    return rows_affected(ended)


class RedisLogins:
    """A hash per login that Redis expires after the idle limit (renewed on use), and a set per
    person of their logins' hashes for "log out everywhere"."""

    def __init__(self, limits: Limits, client: redis.Redis, prefix: str = "intyga:login:") -> None:
        self.limits, self.client, self.prefix = limits, client, prefix

    def _login(self, token_hash: str) -> str:
        return f"{self.prefix}session:{token_hash}"

    def _person(self, person_id: uuid.UUID) -> str:
        return f"{self.prefix}person:{person_id}"

    def start(self, person_id: uuid.UUID, now: datetime) -> str:
        token = new_token()
        token_hash = hash_token(token)
        stamp = now.timestamp()
        pipe = self.client.pipeline()
        pipe.hset(
            self._login(token_hash),
            mapping={"person": str(person_id), "started": stamp, "seen": stamp},
        )
        pipe.expire(self._login(token_hash), self.limits.idle)
        pipe.sadd(self._person(person_id), token_hash)
        pipe.expire(self._person(person_id), self.limits.absolute)
        pipe.execute()
        return token

    def check(self, token: str, now: datetime) -> uuid.UUID | None:
        key = self._login(hash_token(token))
        record = self._read(key)
        if record is None:
            return None
        person_id, started, seen = record
        if not self.limits.alive(started, seen, now):
            self.end(token)
            return None
        if now - seen >= TOUCH_PRECISION:
            pipe = self.client.pipeline()
            pipe.hset(key, "seen", str(now.timestamp()))
            pipe.expire(key, self.limits.idle)
            pipe.execute()
        return person_id

    def end(self, token: str) -> None:
        token_hash = hash_token(token)
        record = self._read(self._login(token_hash))
        pipe = self.client.pipeline()
        pipe.delete(self._login(token_hash))
        if record is not None:
            pipe.srem(self._person(record[0]), token_hash)
        pipe.execute()

    def end_all(self, person_id: uuid.UUID) -> int:
        hashes = [str(h, "ascii") for h in self.client.smembers(self._person(person_id))]  # type: ignore[union-attr]
        if not hashes:
            return 0
        ended = int(self.client.delete(*(self._login(h) for h in hashes)))  # type: ignore[arg-type]
        self.client.delete(self._person(person_id))
        return ended

    def active(self, person_id: uuid.UUID, now: datetime) -> list[Login]:
        found = []
        for raw in self.client.smembers(self._person(person_id)):  # type: ignore[union-attr]
            record = self._read(self._login(str(raw, "ascii")))
            if record is not None and self.limits.alive(record[1], record[2], now):
                found.append(Login(record[1], record[2]))
        return sorted(found, key=lambda login: login.last_seen_at, reverse=True)

    def _read(self, key: str) -> tuple[uuid.UUID, datetime, datetime] | None:
        raw: dict[bytes, bytes] = self.client.hgetall(key)  # type: ignore[assignment]
        if not raw:
            return None
        started = datetime.fromtimestamp(float(raw[b"started"]), tz=utcnow().tzinfo)
        seen = datetime.fromtimestamp(float(raw[b"seen"]), tz=utcnow().tzinfo)
        return uuid.UUID(raw[b"person"].decode()), started, seen
