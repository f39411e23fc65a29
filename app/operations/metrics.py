"""Prometheus metrics: request latency measured in each process, and the work queues read from
the database at each scrape, so that every app server reports the same shared truth.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py does): each worker process then
writes its histograms to files there and a scrape of any worker sums them all.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime

from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app.database import utcnow
from app.eid.models import EidOrder
from app.imports.models import ImportJob
from app.outbox.models import OutboxMessage, OutboxStatus

REQUEST_SECONDS = Histogram(
    "intyga_request_duration_seconds",
    "Time from the request's arrival in Flask to its answer, by route.",
    ("method", "route", "status"),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

_UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.DEAD)


def init_app(app: Flask) -> None:
    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("request_started", None)
        if started is not None:
            rule = request.url_rule.rule if request.url_rule is not None else "unmatched"
            REQUEST_SECONDS.labels(request.method, rule, str(response.status_code)).observe(
                time.perf_counter() - started
            )
        return response


class QueueCollector(Collector):
    """Outbox depth and age, dead letters, import jobs and records, BankID orders by outcome."""

    def __init__(self, sessions: Callable[[], Session], now: Callable[[], datetime] = utcnow):
        self._sessions, self._now = sessions, now

    def collect(self) -> Iterator[Metric]:
        with self._sessions() as session:
            yield from self._outbox(session)
            yield from self._imports(session)
            yield from self._eid_orders(session)

    def _outbox(self, session: Session) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "intyga_outbox_messages",
            "Messages not yet sent, by channel and status.",
            labels=("channel", "status"),
        )
        age = GaugeMetricFamily(
            "intyga_outbox_oldest_age_seconds",
            "Age of the oldest message waiting to be sent (0 when none waits), by channel.",
            labels=("channel",),
        )
        rows = session.execute(
            select(
                OutboxMessage.channel,
                OutboxMessage.status,
                func.count(),
                func.min(OutboxMessage.created_at),
            )
            .where(OutboxMessage.status.in_(_UNSENT))
            .group_by(OutboxMessage.channel, OutboxMessage.status)
        ).all()
        now, oldest = self._now(), dict[str, float]()
        for channel, status, count, first in rows:
            depth.add_metric((channel, status), count)
            if status != OutboxStatus.DEAD and first is not None:
                waited = max((now - first).total_seconds(), 0.0)
                oldest[channel] = max(oldest.get(channel, 0.0), waited)
        for channel, waited in sorted(oldest.items()):
            age.add_metric((channel,), waited)
        yield depth
        yield age

    def _imports(self, session: Session) -> Iterator[Metric]:
        jobs = GaugeMetricFamily(
            "intyga_import_jobs", "Payroll import jobs by state.", labels=("state",)
        )
        for state, count in session.execute(
            select(ImportJob.state, func.count()).group_by(ImportJob.state)
        ):
            jobs.add_metric((state,), count)
        yield jobs
        read = session.scalar(select(func.coalesce(func.sum(ImportJob.records_read), 0)))
        records = CounterMetricFamily(
            "intyga_import_records",
            "Records read by import jobs still on file; rate() gives records per second.",
        )
        records.add_metric((), int(read or 0))
        yield records

    def _eid_orders(self, session: Session) -> Iterator[Metric]:
        orders = GaugeMetricFamily(
            "intyga_bankid_orders",
            "BankID orders of the last day (orders are purged after a day), by purpose and "
            "outcome: pending, complete or the failure's hint code.",
            labels=("purpose", "outcome"),
        )
        for purpose, status, hint, count in session.execute(
            select(EidOrder.purpose, EidOrder.status, EidOrder.hint_code, func.count()).group_by(
                EidOrder.purpose, EidOrder.status, EidOrder.hint_code
            )
        ):
            outcome = hint if status == "failed" and hint else status
            orders.add_metric((purpose, outcome), count)
        yield orders


def exposition(sessions: Callable[[], Session]) -> Response:
    """The text format, with this process's (or, under gunicorn, every worker's) metrics."""
    queues = CollectorRegistry()
    queues.register(QueueCollector(sessions))
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
        body = generate_latest(processes)
    else:
        body = generate_latest(REGISTRY)
    return Response(body + generate_latest(queues), mimetype=CONTENT_TYPE_LATEST)
