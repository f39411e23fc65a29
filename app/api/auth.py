"""Bearer authentication for the API: the key, and through it the company, of this request."""

from __future__ import annotations

from flask import g, request

from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from app.errors import Unauthenticated
from app.extensions import db


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_key() -> ApiKey:
    """The request's API key, checked once per request; Unauthenticated without a valid one."""
    if "api_key" not in g:
        g.api_key = apikeys.authenticate(db.session, bearer_token())
    key: ApiKey = g.api_key
    return key


def rate_limit_key() -> str:
    """Limits count per API key; requests without a valid key count per address instead."""
    try:
        return f"key:{current_key().id}"
    except Unauthenticated:
        return f"address:{request.remote_addr}"
