"""Making, checking and revoking API keys.

A key is "intyga_" + a short random prefix + 256 random bits. Only its SHA-256 is stored: a key
that random needs no slow hash, and a lookup by hash compares no secret byte by byte.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.apikeys.models import ApiKey
from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.companies.models import Company
from app.database import utcnow
from app.errors import DomainError, NotFound, Unauthenticated

KEY_START = "intyga_"
NAME_MAX_LENGTH = 60
# Writing last_used_at on every call would make each request a write to one hot row; a minute's
# precision is enough to tell a key in use from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)
_LONGEST_KEY = 128


@dataclass(frozen=True)
class NewKey:
    """A key just made, with its plaintext: show it once, it cannot be recovered."""

    key: ApiKey
    plaintext: str = field(repr=False)


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create(
    session: Session,
    *,
    company: Company,
    name: str,
    actor: Actor,
    now: datetime | None = None,
) -> NewKey:
    """A new key for `company`; the plaintext is returned here and never again."""
    now = now or utcnow()
    name = (name or "").strip()
    if not name:
        raise DomainError("api_key_name_required")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError("api_key_name_too_long", max=NAME_MAX_LENGTH)
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_START}{prefix}{secrets.token_urlsafe(32)}"
    key = ApiKey(
        company_id=company.id,
        name=name,
        prefix=prefix,
        secret_hash=hash_key(plaintext),
        created_at=now,
        created_by_id=actor.person_id,
        created_by_label=actor.label,
    )
    session.add(key)
    session.flush()
    _audit(session, key, "created", actor, now)
    return NewKey(key, plaintext)


def authenticate(session: Session, presented: str | None, *, now: datetime | None = None) -> ApiKey:
    """The live key whose plaintext is `presented`; Unauthenticated for anything else.

    Missing, unknown and revoked keys are refused alike, so a caller learns nothing of which.
    """
    now = now or utcnow()
    presented = (presented or "").strip()
    if not presented.startswith(KEY_START) or len(presented) > _LONGEST_KEY:
        raise Unauthenticated("api_key_invalid")
    digest = hash_key(presented)
    key = session.scalar(select(ApiKey).where(ApiKey.secret_hash == digest))
    if key is None or not hmac.compare_digest(key.secret_hash, digest) or key.revoked_at:
        raise Unauthenticated("api_key_invalid")
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        key.last_used_at = now
    return key


def get_for_company(session: Session, company_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    key = session.scalar(select(ApiKey).where(ApiKey.id == key_id, ApiKey.company_id == company_id))
    if key is None:
        raise NotFound("api_key_not_found")
    return key


def list_for_company(session: Session, company_id: uuid.UUID) -> list[ApiKey]:
    """The company's keys, newest first, revoked ones included (they show when and by whom)."""
    return list(
        session.scalars(
            select(ApiKey)
            .where(ApiKey.company_id == company_id)
            .order_by(ApiKey.created_at.desc(), ApiKey.id)
        )
    )


def revoke(
    session: Session,
    *,
    company_id: uuid.UUID,
    key_id: uuid.UUID,
    actor: Actor,
    now: datetime | None = None,
) -> ApiKey:
    """Refuse the key from now on; revoking it again changes nothing."""
    now = now or utcnow()
    key = get_for_company(session, company_id, key_id)
    if key.revoked_at is None:
        key.revoked_at = now
        session.flush()
        _audit(session, key, "revoked", actor, now)
    return key


def _audit(session: Session, key: ApiKey, action: str, actor: Actor, now: datetime) -> None:
    record_audit(
        session,
        action=f"api_key.{action}",
        actor=actor,
        company_id=key.company_id,
        data={"api_key_id": str(key.id), "prefix": key.prefix},
        now=now,
    )
