"""Security headers on every answer, in one after-request hook.

A strict Content-Security-Policy (scripts and styles from our own static files only, nothing
inline, no framing), nosniff, no referrer (URLs carry certificate ids and searches), HSTS in
production, and `Cache-Control: no-store` on everything but static files: pages and downloads
carry personnummer, and no browser cache or proxy may keep them.

flask-talisman was considered; its last release is from 2023 and it would still need our own
no-store rule, so one hook of our own says it all in one place.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = "max-age=63072000; includeSubDomains"


def is_static() -> bool:
    """Our CSS, scripts and images: the same for everyone, so caching them is fine."""
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def init_app(app: Flask) -> None:
    production = app.config["INTYGA_ENV"] == "production"

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if production:
            response.headers["Strict-Transport-Security"] = HSTS
        if not is_static():
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
