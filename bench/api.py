"""API benchmark: certificates created through POST /api/v1/certificates under gunicorn, next to a
bare Flask endpoint under the same settings.

    .venv/bin/python -m bench.api [--seconds 30] [--connections 50] [--workers 4]
                                  [--database-url URL]

The app runs under gunicorn on a loopback port, on a fresh SQLite database (WAL) in a temporary
folder unless `--database-url` names another (PostgreSQL: it is emptied first). A company and an
API key are made through the services, and the key's rate limit is raised through configuration
so that it never answers 429. The load generator (asyncio and aiohttp, in this process) keeps
`--connections` requests in flight for `--seconds`, each a complete `full` certificate for one of
a thousand employees, known already, with its own Idempotency-Key, as a payroll system sends
them. Then the same load goes to `bench.bare` (parse the JSON, answer a small JSON) under the
same gunicorn. Prints successful requests per second, p50 and p99 of both, the ratio, and the
errors the server logged. Not a timed test.

The generator shares the machine with the server: its CPU share is printed, so a bare figure
limited by the generator rather than the server can be told.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import flask_migrate
from cryptography.fernet import Fernet

from app import create_app
from app.akassa import service as akassa_service
from app.apikeys import service as apikeys
from app.audit.service import Actor
from app.companies import service as companies
from app.extensions import db
from app.people import service as people
from bench.inbox import test_personnummer
from schemas.examples import full_example
from tests.support import reset_database

ROOT = Path(__file__).resolve().parent.parent
PATH = "/api/v1/certificates"
EMPLOYEES = 1000
UNLIMITED = "1000000 per second"
EXCEPTION = re.compile(r"^[\w.]+(Error|Exception): ")


@dataclass(frozen=True)
class Load:
    key: str
    payloads: list[bytes]
    connections: int
    seconds: float


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float]
    statuses: Counter[int]
    client_cpu: float

    @property
    def rate(self) -> float:
        """Successful answers per second: a fast error is no throughput."""
        done = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
        return done / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, round(len(ordered) * share) - 1)] * 1000

    def show(self) -> None:
        statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(self.statuses.items()))
        print(
            f"  {self.name:<32} {self.rate:8,.1f} 2xx/s   p50 {self.percentile(0.5):7.1f} ms   "
            f"p99 {self.percentile(0.99):7.1f} ms   ({statuses}; load generator "
            f"{self.client_cpu:.0%} of a core)"
        )


def settings(database_url: str, scratch: Path) -> dict[str, str]:
    """The app's configuration, given to gunicorn's workers through the environment."""
    return {
        "INTYGA_ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench",
        "PII_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": "b" * 40,
        "SEAL_DIR": str(scratch / "seal"),
        "API_RATE_LIMIT": UNLIMITED,
    }


def prepare(config: Mapping[str, str]) -> str:
    """Migrate, load the funds, make a company, its API key and its employees; returns the key."""
    reset_database.reset(config["DATABASE_URL"])
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        session = db.session
        akassa_service.load_reference_data(session)
        admin = people.find_or_create_person(
            session, "198001019804", first_name="Anna", last_name="Admin"
        )
        employer = full_example()["employer"]
        company = companies.register_company(
            session,
            organisationsnummer=employer["organisation_number"],
            name=employer["name"],
            admin=admin,
        )
        key = apikeys.create(session, company=company, name="bench", actor=Actor.person(admin.id))
        # Known employees, as a payroll system's usually are: what is timed is the draft.
        employee = full_example()["employee"]
        for n in range(EMPLOYEES):
            people.find_or_create_person(
                session,
                test_personnummer(n),
                first_name=employee["first_name"],
                last_name=employee["last_name"],
                email=employee["email"],
                mobile=employee["phone"],
            )
        db.commit()
        db.engine.dispose()
        return key.plaintext


def bodies() -> list[bytes]:
    """One certificate per employee; who changes, the rest is the full example."""
    made = []
    for n in range(EMPLOYEES):
        content = copy.deepcopy(full_example())
        content["employee"]["personnummer"] = test_personnummer(n)
        made.append(json.dumps({"variant": "full", **content}).encode())
    return made


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn(target: str, workers: int, env: Mapping[str, str], log: Path) -> Iterator[str]:
    """`target` served by gunicorn on a loopback port until the block ends, logging to `log`."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        target,
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def show_logged_errors(log: Path) -> None:
    """The exceptions the server logged, most frequent first."""
    errors = Counter(
        line for line in log.read_text(errors="replace").splitlines() if EXCEPTION.match(line)
    )
    for line, count in errors.most_common(3):
        print(f"    logged {count:,}× {line[:160]}")


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - loopback
                return
        except OSError as exc:
            if getattr(exc, "code", None) is not None:  # an HTTP answer: it is up
                return
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute")


async def generate(url: str, spec: Load, seconds: float) -> tuple[list[float], Counter[int], float]:
    """Keep `connections` POSTs in flight for `seconds`; latencies of completed requests."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    stop = time.monotonic() + seconds
    connections, payloads = spec.connections, spec.payloads
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=60)

    async def client(index: int, session: aiohttp.ClientSession) -> None:
        sent = 0
        while time.monotonic() < stop:
            headers = {
                "Authorization": f"Bearer {spec.key}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            }
            body = payloads[(index + sent * connections) % len(payloads)]
            start = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
            latencies.append(time.perf_counter() - start)
            statuses[response.status] += 1
            sent += 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.monotonic()
        await asyncio.gather(*(client(i, session) for i in range(connections)))
        elapsed = time.monotonic() - started
    return latencies, statuses, elapsed


def measure(name: str, url: str, spec: Load) -> Result:
    # A short warm-up: gunicorn's workers import and connect on their first requests.
    asyncio.run(generate(url, spec, min(2.0, spec.seconds)))
    cpu = time.process_time()
    latencies, statuses, elapsed = asyncio.run(generate(url, spec, spec.seconds))
    return Result(name, elapsed, latencies, statuses, (time.process_time() - cpu) / elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn's sync workers")
    parser.add_argument("--database-url", help="default: a fresh SQLite file (WAL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        url = args.database_url or f"sqlite:///{scratch / 'api.db'}"
        env = settings(url, scratch)
        spec = Load(prepare(env), bodies(), args.connections, args.seconds)
        print(
            f"gunicorn, {args.workers} sync workers, {args.connections} connections for "
            f"{args.seconds:g} s on {os.cpu_count()} cores; database {url.split(':', 1)[0]}"
        )
        runs: list[tuple[str, str, Mapping[str, str]]] = [
            ("wsgi:app", "Intyga POST /api/v1/certificates", env),
            ("bench.bare:app", "bare Flask POST (parse, answer)", {}),
        ]
        results = []
        for target, name, target_env in runs:
            log = scratch / f"{target.split(':')[0]}.log"
            with gunicorn(target, args.workers, target_env, log) as base:
                results.append(measure(name, base + PATH, spec))
            results[-1].show()
            show_logged_errors(log)
    app, bare = results
    if app.rate and bare.rate:
        print(
            f"  ratio (bare / Intyga): {bare.rate / app.rate:.1f}× the requests per second, "
            f"p50 {app.percentile(0.5) / bare.percentile(0.5):.1f}× and "
            f"p99 {app.percentile(0.99) / bare.percentile(0.99):.1f}× the latency"
        )
    _report_failures(app)


def _report_failures(result: Result) -> None:
    failed = sum(n for status, n in result.statuses.items() if status >= 300)
    if failed:
        share = failed / sum(result.statuses.values())
        print(f"  {failed:,} Intyga answers were not 2xx ({share:.1%})")


if __name__ == "__main__":
    main()
