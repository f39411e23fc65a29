"""gunicorn settings for Intyga's app servers: `gunicorn -c gunicorn.conf.py`.

Every setting can be changed from the environment (names below) without editing this file.
"""

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

from prometheus_client import multiprocess

wsgi_app = "wsgi:app"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: the app's time goes to the database and to Python, not to waiting on slow clients,
# which the reverse proxy buffers. Two per core plus one keeps the cores busy while some wait.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes longer than this is killed and logged (BankID is polled, never waited on).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that a slow leak never grows into an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The proxies whose X-Forwarded-* headers gunicorn believes (the app's ProxyFix counts hops).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# One JSON object per request; the path without its query string, which may carry personal data.
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, '
    '"request_id": "%({x-request-id}o)s", "user_agent": "%(a)s"}'
)

# Prometheus: each worker writes its metrics to files here, so a scrape of any worker sees all.
metrics_dir = Path(
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", str(Path(tempfile.gettempdir()) / "intyga-metrics")
    )
)


def on_starting(_server: object) -> None:
    """Metrics files of an earlier run would be added to this run's."""
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)


def child_exit(_server: object, worker: object) -> None:
    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined,no-untyped-call]
