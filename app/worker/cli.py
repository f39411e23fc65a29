"""`flask --app wsgi worker`: the outbox and deadline worker, as a loop or one pass for cron."""

from __future__ import annotations

import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from types import FrameType
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from app import seal as app_seal
from app.api import idempotency
from app.audit.cli import build_linker
from app.certificates.archive import Renewal
from app.database import utcnow
from app.dataprotection import retention
from app.extensions import db
from app.logins import store as logins
from app.notifications.channels import senders_from_config
from app.outbox.models import Channel
from app.outbox.sending import Sender
from app.outbox.service import RetryPolicy
from app.webhooks.delivery import WebhookSender
from app.worker.archive import ArchiveRenewer
from app.worker.imports import JobRunner
from app.worker.steps import step
from app.worker.worker import Worker


def senders(config: Mapping[str, Any], sessions: Callable[[], Session]) -> dict[str, Sender]:
    """E-mail and SMS as configured, and webhooks (which read endpoints and log attempts; to
    internal addresses only where WEBHOOK_ALLOW_INTERNAL, never in production)."""
    timeout = float(config.get("WEBHOOK_TIMEOUT", 10))
    allow_internal = bool(config.get("WEBHOOK_ALLOW_INTERNAL", False))
    webhooks = WebhookSender(sessions, timeout=timeout, allow_internal=allow_internal)
    return senders_from_config(config) | {Channel.WEBHOOK: webhooks}


def build_worker(app: Flask) -> Worker:
    config = app.config
    worker = Worker(
        sessions=db.new_session,
        senders=senders(config, db.new_session),
        public_url=config["PUBLIC_URL"],
        policy=RetryPolicy(
            max_attempts=int(config["OUTBOX_MAX_ATTEMPTS"]),
            backoff=timedelta(seconds=float(config["OUTBOX_BACKOFF_SECONDS"])),
            lease=timedelta(seconds=float(config["OUTBOX_LEASE_SECONDS"])),
        ),
        batch_size=int(config["OUTBOX_BATCH_SIZE"]),
    )
    imports = JobRunner(
        sessions=db.new_session,
        max_bytes=int(config["IMPORT_MAX_BYTES"]),
        name=worker.name,
        lease=timedelta(seconds=float(config["IMPORT_LEASE_SECONDS"])),
        stop=worker.stop,
    )
    ttl = timedelta(seconds=float(config["IDEMPOTENCY_TTL"]))
    worker.steps = (imports.run_due, build_linker(app).run)
    limits = logins.limits_from(app.config)
    periods = retention.Periods.from_config(config)
    worker.housekeeping = (
        lambda: _purge_idempotency(ttl),
        lambda: _purge_logins(limits),
        lambda: _purge_payroll_data(periods),
    )
    if (renewer := archive_renewer(stop=worker.stop)) is not None:
        worker.housekeeping = (*worker.housekeeping, renewer.run)
    return worker


def archive_renewer(stop: threading.Event | None = None) -> ArchiveRenewer | None:
    """The archive-timestamp job as configured (TSA_URL, the seal's roots and chain), or None
    when sealed PDFs are not long-term here."""
    seal = app_seal.current()
    if not seal.tsa_url or not seal.roots:
        return None
    margin = timedelta(days=float(current_app.config["ARCHIVE_RENEWAL_DAYS"]))
    renewal = Renewal(seal, tuple(app_seal.trusted()), margin)
    return ArchiveRenewer(db.new_session, renewal, stop=stop or threading.Event())


def _purge_logins(limits: logins.Limits) -> Counter[str]:
    with step(db.new_session) as session:
        purged = logins.purge(session, limits)
    return Counter({"logins_purged": purged} if purged else {})


def _purge_payroll_data(periods: retention.Periods) -> Counter[str]:
    with step(db.new_session) as session:
        removed = retention.purge(session, periods, utcnow())
    return Counter({f"{kind}_purged": count for kind, count in removed.items()})


def _purge_idempotency(ttl: timedelta) -> Counter[str]:
    with step(db.new_session) as session:
        purged = idempotency.purge(session, older_than=utcnow() - ttl)
    return Counter({"idempotency_records_purged": purged} if purged else {})


@click.command("worker")
@click.option("--once", is_flag=True, help="One pass (deadlines, then all that is due), then exit.")
@with_appcontext
def worker_command(*, once: bool) -> None:
    """Send the outbox's e-mail and SMS and run the deadline jobs; stop with SIGTERM or Ctrl-C."""
    worker = build_worker(current_app)
    if once:
        report = worker.run_pass()
        click.echo(", ".join(f"{k}: {v}" for k, v in sorted(report.items())) or "nothing to do")
        return
    config = current_app.config
    click.echo(f"worker {worker.name} started; stop with Ctrl-C or SIGTERM")
    with _stop_on_signals(worker):
        worker.run_forever(
            interval=float(config["WORKER_INTERVAL"]),
            deadlines_every=timedelta(seconds=float(config["WORKER_DEADLINES_INTERVAL"])),
        )
    click.echo(f"worker {worker.name} stopped")


@click.command("archive-timestamps")
@with_appcontext
def archive_timestamps_command() -> None:
    """Add the next archive timestamp to every sealed PDF that is due, once (the worker does
    this with its deadline jobs)."""
    renewer = archive_renewer()
    if renewer is None:
        raise click.ClickException("no TSA is configured (TSA_URL and SEAL_ROOTS)")
    report = renewer.run()
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(report.items())) or "nothing due")
    if report.get("archive_timestamps_failed"):
        raise SystemExit(1)


@contextmanager
def _stop_on_signals(worker: Worker) -> Iterator[None]:
    """SIGTERM and SIGINT let the message in hand finish, then the loop ends."""

    def stop(_signum: int, _frame: FrameType | None) -> None:
        worker.stop.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
