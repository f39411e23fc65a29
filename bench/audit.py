"""Audit trail throughput: 1 writer against 8, on SQLite and PostgreSQL side by side.

    .venv/bin/python -m bench.audit [--seconds 5] [--writers 8] [--postgres URL]

Each writer is a process of its own (no shared interpreter lock) that commits one audit event
per transaction, for a company of its own, as fast as it can for `--seconds`. Writers only
insert (a number from the sequence, the event's HMAC): they share no row, so on PostgreSQL
they should scale until the CPU is spent; SQLite has one writer at a time by design. After
the writers, the linker chains everything in batches and `verify_chain` proves it; both are
timed. PostgreSQL's database (emptied first) comes from --postgres, else BENCH_POSTGRES_URL;
without either only SQLite runs. Prints its figures, with the load average; not a timed test.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Barrier
from pathlib import Path

import flask_migrate
from cryptography.fernet import Fernet
from flask import Flask

from app import create_app
from app.audit.chain import link_pending
from app.audit.service import SYSTEM, record, verify_chain
from app.extensions import db
from tests.support import reset_database


@contextmanager
def audit_app(url: str) -> Iterator[Flask]:
    reset_database.reset(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "INTYGA_ENV": "testing",
            "SECRET_KEY": "bench",
            "PII_KEYS": [Fernet.generate_key().decode()],
            "BLIND_INDEX_KEY": "b" * 40,
            "AUDIT_KEY": "a" * 40,
        }
    )
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        yield app
        db.engine.dispose()


def _writer(
    app: Flask, start: Barrier, seconds: float, results: multiprocessing.Queue[int]
) -> None:
    company = uuid.uuid4()
    done = 0
    with app.app_context():
        start.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            with db.new_session() as session:
                record(
                    session,
                    action="bench.write",
                    actor=SYSTEM,
                    company_id=company,
                    data={"n": done},
                )
                session.commit()
            done += 1
    results.put(done)


def writers_throughput(app: Flask, writers: int, seconds: float) -> float:
    """Events committed per second by `writers` processes together."""
    context = multiprocessing.get_context("fork")
    start = context.Barrier(writers + 1)
    results: multiprocessing.Queue[int] = context.Queue()
    db.engine.dispose()  # children open their own connections
    processes = [
        context.Process(target=_writer, args=(app, start, seconds, results)) for _ in range(writers)
    ]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    total = sum(results.get() for _ in processes)
    elapsed = max(time.perf_counter() - began, seconds)
    for process in processes:
        process.join()
    return total / elapsed


def link_and_verify(app: Flask) -> tuple[int, float, float]:
    linked, began = 0, time.perf_counter()
    while True:
        with db.new_session() as session:
            batch = link_pending(session, batch_size=1000)
            session.commit()
        linked += batch
        if batch < 1000:
            break
    linking = time.perf_counter() - began
    began = time.perf_counter()
    with db.new_session() as session:
        report = verify_chain(session)
    verifying = time.perf_counter() - began
    if not report.ok or report.checked != linked:
        raise SystemExit(f"the chain does not verify: {report}")
    return linked, linking, verifying


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(name: str, url: str, writers: int, seconds: float) -> dict[str, str]:
    with audit_app(url) as app:
        before = load()
        one = writers_throughput(app, 1, seconds)
        many = writers_throughput(app, writers, seconds)
        after = load()
        linked, linking, verifying = link_and_verify(app)
    return {
        "database": name,
        "1 writer": f"{one:,.0f}/s",
        f"{writers} writers": f"{many:,.0f}/s",
        "ratio": f"{many / one:.2f}x",
        "linker": f"{linked / linking:,.0f}/s",
        "verify": f"{linked / verifying:,.0f}/s",
        "events": f"{linked:,}",
        "load before": before,
        "load after": after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the migrations' progress
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        sqlite = f"sqlite:///{Path(scratch) / 'audit.db'}"
        rows.append(measure("sqlite", sqlite, args.writers, args.seconds))
    if args.postgres:
        rows.append(measure("postgresql", args.postgres, args.writers, args.seconds))
    else:
        print("PostgreSQL skipped: pass --postgres URL or set BENCH_POSTGRES_URL")
    print(f"audit events per second, one transaction each ({os.cpu_count()} CPUs)")
    for key in rows[0]:
        print(f"  {key:<18}" + "".join(f"{row[key]:>28}" for row in rows))


if __name__ == "__main__":
    main()
