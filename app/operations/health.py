"""Readiness: can this server do its work now? Each check names what it reached and how.

Liveness (`/healthz`) only asks the database for `SELECT 1`; readiness also asks Redis (when
configured) and the seal, since a server that cannot seal cannot sign anything.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from signing.seal import ServiceSeal


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database(session: Session) -> Check:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return Check("database", ok=False, detail=type(exc).__name__)
    return Check("database", ok=True, detail="ok")


def redis_server(url: str | None, *, timeout: float = 2.0) -> Check | None:
    """None when no Redis is configured: the embedded setup has nothing to reach."""
    if not url:
        return None
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as exc:
        return Check("redis", ok=False, detail=type(exc).__name__)
    finally:
        client.close()
    return Check("redis", ok=True, detail="ok")


def seal(service_seal: ServiceSeal, now: datetime | None = None) -> Check:
    """The key signs and its certificate verifies that signature, within its validity: what an
    HSM behind the key must also answer before the server takes signing traffic."""
    now = now or datetime.now(UTC)
    certificate = service_seal.certificate
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        return Check("seal", ok=False, detail="certificate outside its validity")
    probe = secrets.token_bytes(32)
    key, public = service_seal.private_key, certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPrivateKey) and isinstance(public, rsa.RSAPublicKey):
            signature = key.sign(probe, padding.PKCS1v15(), hashes.SHA256())
            public.verify(signature, probe, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(
            public, ec.EllipticCurvePublicKey
        ):
            signature = key.sign(probe, ec.ECDSA(hashes.SHA256()))
            public.verify(signature, probe, ec.ECDSA(hashes.SHA256()))
        else:
            return Check("seal", ok=False, detail="key and certificate do not match")
    except InvalidSignature:
        return Check("seal", ok=False, detail="key and certificate do not match")
    return Check("seal", ok=True, detail="ok")
