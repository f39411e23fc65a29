"""Bearer authentication for the API: the key, and through it the company, of this request."""

from __future__ import annotations

from flask import g, request

from app.api import throttle
from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from app.errors import Unauthenticated
from app.extensions import db


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_key() -> ApiKey:
    """The request's API key, checked once per request; Unauthenticated without a valid one,
    and the failure counted against the address (app/api/throttle.py)."""
    if "api_key" not in g:
        try:
            g.api_key = apikeys.authenticate(db.session, bearer_token())
        except Unauthenticated as refused:
            g.api_key = refused
            throttle.record_failure()
    if isinstance(g.api_key, Unauthenticated):
        raise g.api_key
    key: ApiKey = g.api_key
    return key


def rate_limit_key() -> str:
    """Limits count per API key; requests without a valid key count per address instead."""
    try:
        return f"key:{current_key().id}"
    except Unauthenticated:
        return f"address:{request.remote_addr}"
