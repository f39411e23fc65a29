"""`Idempotency-Key` on POST: the same key and body get the first answer again, nothing is done
twice; the same key with another body is a conflict. Answers are kept only for requests that
succeeded, so a refused request can be corrected and sent again under the same key."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from app.api.models import IdempotentRequest
from app.apikeys.models import ApiKey
from app.database import delete_where, insert_for, utcnow
from app.errors import Conflict, DomainError

KEY_MAX_LENGTH = 255


@dataclass(frozen=True)
class Stored:
    status: int
    body: dict[str, Any]


def request_hash(method: str, path: str, body: bytes) -> str:
    digest = hasher(method, path)
    digest.update(body)
    return digest.hexdigest()


def hasher(method: str, path: str) -> hashlib._Hash:
    """A running `request_hash` for a body read as a stream (fed chunk by chunk)."""
    return hashlib.sha256(f"{method} {path}\n".encode())


def check_key(idempotency_key: str) -> str:
    key = idempotency_key.strip()
    if not key or len(key) > KEY_MAX_LENGTH or not key.isprintable():
        raise DomainError("idempotency_key_invalid", max=KEY_MAX_LENGTH)
    return key


def replay(
    session: Session, api_key: ApiKey, idempotency_key: str, fingerprint: str
) -> Stored | None:
    """The stored answer for this key and request; None when the key is new.

    Raises Conflict when the key was used for a different request."""
    found = (
        session.connection()
        .execute(_STORED, {"api_key_id": api_key.id, "idempotency_key": idempotency_key})
        .first()
    )
    if found is None:
        return None
    if found.request_hash != fingerprint:
        raise Conflict("idempotency_key_reused")
    return Stored(found.status, dict(found.body))


# Read on every POST that has a key: built once, run on the connection without the ORM.
_STORED = select(
    IdempotentRequest.request_hash, IdempotentRequest.status, IdempotentRequest.body
).where(
    IdempotentRequest.api_key_id == bindparam("api_key_id"),
    IdempotentRequest.idempotency_key == bindparam("idempotency_key"),
)


def remember(
    session: Session,
    api_key: ApiKey,
    idempotency_key: str,
    fingerprint: str,
    *,
    status: int,
    body: Mapping[str, Any],
) -> None:
    """Keep the answer in the request's transaction. Of two requests with the same key at once,
    the second is told to retry here: it finds the first's row (on PostgreSQL once the first
    commits; had the first rolled back, the second's answer is kept)."""
    connection = session.connection()
    kept = connection.execute(
        _remembering(connection.dialect.name),
        {
            "id": uuid.uuid4(),
            "api_key_id": api_key.id,
            "idempotency_key": idempotency_key,
            "request_hash": fingerprint,
            "status": status,
            "body": dict(body),
            "created_at": utcnow(),
        },
    ).first()
    if kept is None:
        raise Conflict("idempotency_key_in_use")


@functools.cache
def _remembering(dialect: str) -> Insert:
    return (
        insert_for(dialect, IdempotentRequest)
        .on_conflict_do_nothing(
            index_elements=[IdempotentRequest.api_key_id, IdempotentRequest.idempotency_key]
        )
        .returning(IdempotentRequest.id)
    )


def purge(session: Session, *, older_than: datetime) -> int:
    """Forget answers kept for retries once no client retries any more (`IDEMPOTENCY_TTL`)."""
    return delete_where(session, IdempotentRequest, IdempotentRequest.created_at < older_than)
