"""Logs an operator can search: one JSON object per line (LOG_FORMAT=json, the default in
production), each carrying the request id that the access log and the answer's X-Request-ID carry.
The worker's lines for a job carry the id of the request that queued it (`app.correlation`).

A request id given by the proxy (X-Request-ID) is kept when it looks like one, so a request can be
followed from the load balancer through gunicorn into the app's own lines.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import Token

from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter
from werkzeug.wrappers import Response

from app import correlation

HEADER = "X-Request-ID"
_GIVEN = re.compile(r"[A-Za-z0-9._-]{8,64}")
FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


class RequestId(logging.Filter):
    """Puts the current request's id, or the id of the request whose job the worker runs, on
    every record ("-" for neither)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = correlation.request_id() or "-"
        return True


def init_app(app: Flask) -> None:
    fmt = app.config.get("LOG_FORMAT") or (
        "json" if app.config["INTYGA_ENV"] == "production" else "text"
    )
    if fmt == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter(FIELDS, rename_fields={"levelname": "level"}))
        handler.addFilter(RequestId())
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        # WeasyPrint logs each layout step of every sealed PDF at INFO, and pyHanko each OCSP
        # and timestamp fetch of every seal (about ten lines): noise, nothing to act on. Their
        # warnings and failures still show.
        for noisy in ("weasyprint.progress", "pyhanko", "pyhanko_certvalidator"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        app.logger.handlers.clear()

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get(HEADER, "")
        g.request_id = given if _GIVEN.fullmatch(given) else uuid.uuid4().hex
        g.request_id_token = correlation.enter(g.request_id)

    @app.teardown_request
    def _request_done(_error: BaseException | None) -> None:
        token: Token[str | None] | None = g.pop("request_id_token", None)
        if token is not None:
            correlation.leave(token)

    @app.after_request
    def _answer_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers[HEADER] = g.request_id
        return response
