"""The write baseline for `bench.api`: what a JSON POST that stores a certificate costs at least.

It parses the same JSON body and, in one transaction, writes the rows Intyga writes for it: the
certificate, its first version (the content), the idempotency record, an audit event and an
outbox message, with psycopg (PostgreSQL) or sqlite3 and no ORM, validation or encryption.
`BARE_DATABASE_URL` names the database (`postgresql://...` or `sqlite:///path`); the tables are
its own (`bare_*`), made by `create_tables`.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, jsonify, request

app = Flask(__name__)

TABLES = (
    (
        "CREATE TABLE IF NOT EXISTS bare_certificate (id TEXT PRIMARY KEY, employee TEXT,"
        " state TEXT, variant TEXT, created_at TEXT)"
    ),
    (
        "CREATE TABLE IF NOT EXISTS bare_version (certificate_id TEXT, number INTEGER,"
        " content TEXT, PRIMARY KEY (certificate_id, number))"
    ),
    "CREATE TABLE IF NOT EXISTS bare_idempotency (key TEXT PRIMARY KEY, answer TEXT)",
    "CREATE TABLE IF NOT EXISTS bare_audit (id TEXT PRIMARY KEY, action TEXT, data TEXT)",
    "CREATE TABLE IF NOT EXISTS bare_outbox (id TEXT PRIMARY KEY, payload TEXT)",
)


def _connect(url: str) -> Any:
    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        return connection
    import psycopg  # noqa: PLC0415 - only when the baseline runs on PostgreSQL

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def create_tables(url: str) -> None:
    connection = _connect(url)
    with connection:
        for statement in TABLES:
            connection.execute(statement)
    connection.close()


@functools.cache
def _connection() -> Any:
    """One connection per worker process, kept between requests as any pool keeps it: one per
    request would make the baseline pay for PostgreSQL's backend start (a fork) every time."""
    return _connect(os.environ["BARE_DATABASE_URL"])


@app.post("/api/v1/certificates")
def create() -> tuple[Response, int]:
    body = request.get_json()
    sqlite = os.environ["BARE_DATABASE_URL"].startswith("sqlite")
    certificate_id = str(uuid.uuid4())
    answer = {"certificates": [{"id": certificate_id, "state": "draft", "version": 1}]}
    now = datetime.now(UTC).isoformat()
    connection = _connection()
    # sqlite3's connection commits at the block's end; psycopg's would also close it.
    with connection if sqlite else connection.transaction():
        rows: list[tuple[str, tuple[Any, ...]]] = [
            (
                "INSERT INTO bare_certificate VALUES (%s, %s, %s, %s, %s)",
                (certificate_id, body["employee"]["personnummer"], "draft", body["variant"], now),
            ),
            (
                "INSERT INTO bare_version VALUES (%s, %s, %s)",
                (certificate_id, 1, json.dumps(body)),
            ),
            (
                "INSERT INTO bare_idempotency VALUES (%s, %s)",
                (request.headers.get("Idempotency-Key", certificate_id), json.dumps(answer)),
            ),
            (
                "INSERT INTO bare_audit VALUES (%s, %s, %s)",
                (str(uuid.uuid4()), "certificate.created", json.dumps({"id": certificate_id})),
            ),
            (
                "INSERT INTO bare_outbox VALUES (%s, %s)",
                (str(uuid.uuid4()), json.dumps({"certificate": certificate_id})),
            ),
        ]
        for statement, values in rows:
            connection.execute(statement.replace("%s", "?") if sqlite else statement, values)
    return jsonify(answer), 201
