"""API benchmark: three servers under the same gunicorn settings, loaded by wrk side by side.

    .venv/bin/python -m bench.api [--seconds 30] [--connections 50] [--workers 4]
                                  [--database-url URL]

wrk (Debian package `wrk`, `make bench-tools`) keeps `--connections` POSTs of a complete `full`
certificate in flight for `--seconds`, each for one of a thousand known employees with its own
Idempotency-Key, as a payroll system sends them, against:

1. bare echo (`bench.bare`): parse the JSON, answer a small JSON;
2. bare write (`bench.bare_write`): parse the same JSON and write the same rows (certificate,
   version, idempotency record, audit event, outbox message) with psycopg or sqlite3 in one
   transaction, nothing else;
3. Intyga's POST /api/v1/certificates.

The app runs on a fresh SQLite database (WAL) in a temporary folder unless `--database-url` names
another (PostgreSQL: it is emptied first; the bare write uses its own `bare_*` tables in it). A
company, an API key (its rate limit raised through configuration so that it never answers 429)
and the employees are made through the services first. Prints per server the 2xx answers per
second, p50 and p99 (wrk's), the CPU its gunicorn processes spent per request (the database
server's is not counted), the errors the server logged, Intyga's ratios to the bare write and the
load average. wrk is written in C and needs a fraction of a core, so the figures are the
servers'. Not a timed test.
"""

from __future__ import annotations

import argparse
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
from datetime import date, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

from app import create_app
from app import migrate as migrations
from app.akassa import service as akassa_service
from app.apikeys import service as apikeys
from app.audit.service import Actor
from app.companies import service as companies
from app.extensions import db
from app.people import service as people
from bench import bare_write
from bench.inbox import test_personnummer
from schemas.examples import full_example
from tests.support import reset_database

ROOT = Path(__file__).resolve().parent.parent
PATH = "/api/v1/certificates"
EMPLOYEES = 1000
# Records enough for the warm-up and the timed run apart (each reads its own half in turn).
BODIES = 24_000
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
    requests: int
    seconds: float
    failed: int  # answers other than 2xx/3xx, and socket errors
    p50: float  # ms
    p99: float
    cpu: float = 0.0  # CPU seconds gunicorn's processes spent in the run

    @property
    def rate(self) -> float:
        """Successful answers per second: a fast error is no throughput."""
        return (self.requests - self.failed) / self.seconds

    def show(self) -> None:
        print(
            f"  {self.name:<36} {self.rate:8,.1f} 2xx/s   p50 {self.p50:7.1f} ms   "
            f"p99 {self.p99:7.1f} ms   CPU {self.cpu_per_request:5.2f} ms/request   "
            f"({self.requests:,} requests, {self.failed:,} failed)"
        )

    @property
    def cpu_per_request(self) -> float:
        """Milliseconds of the server's CPU per answer: what load on a shared machine changes
        least (wall-clock rates fall when other processes take the cores)."""
        return self.cpu * 1000 / max(1, self.requests)


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
        migrations.upgrade("heads")
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


def bodies(count: int = EMPLOYEES) -> list[bytes]:
    """`count` certificates, each a payroll record of its own: the employees in turn, each time
    another employment (starting a day earlier), since a record sent again is the same
    certificate (intake's record key) and would be answered "unchanged" instead of stored."""
    made = []
    example = full_example()
    start = date.fromisoformat(example["employment"]["period"]["start"])
    for n in range(count):
        content = copy.deepcopy(example)
        content["employee"]["personnummer"] = test_personnummer(n % EMPLOYEES)
        earlier = start - timedelta(days=n // EMPLOYEES)
        content["employment"]["period"]["start"] = earlier.isoformat()
        made.append(json.dumps({"variant": "full", **content}).encode())
    return made


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn(
    target: str, workers: int, env: Mapping[str, str], log: Path, *, port: int | None = None
) -> Iterator[str]:
    """`target` served by gunicorn on a loopback port (`port`, or a free one) until the block
    ends, logging to `log`."""
    port = port or free_port()
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
        MASTERS[base] = server.pid
        try:
            _wait_until_up(base, server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


# The gunicorn master's process id by the address it serves (`cpu_seconds` reads its workers).
MASTERS: dict[str, int] = {}


def cpu_seconds(master: int) -> float:
    """CPU time (user and system) that gunicorn's master and its workers have spent: the live
    ones, and those recycled (`max_requests`) or replaced, whose time the master collected
    when it reaped them."""
    ticks = sum(_stat(master)[11:15])  # utime, stime, and its reaped workers' cutime, cstime
    for pid in map(int, _read(f"/proc/{master}/task/{master}/children").split()):
        ticks += sum(_stat(pid)[11:13])
    return ticks / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[int]:
    """The numeric fields of /proc/PID/stat after the command name (none for a process that
    has just ended)."""
    fields = _read(f"/proc/{pid}/stat").rpartition(")")[2].split()
    # The first is the state, a letter: kept as 0 so that the indexes stay proc(5)'s, less 3.
    return [0, *map(int, fields[1:])] if len(fields) > 14 else []


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:  # a process that has just ended
        return ""


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


# The wrk threads post the bodies in turn (one per line of the file) from `offset` on, none twice
# while fewer than the lines are sent, each with a key of its own.
SCRIPT = """
local made = 0
function setup(thread)
  thread:set("id", made)
  made = made + 1
end
local bodies, sent = {}, 0
function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  wrk.headers["Content-Type"] = "application/json"
  run = args[3]
  offset = tonumber(args[4])
  threads = tonumber(args[5])
end
function request()
  sent = sent + 1
  wrk.headers["Idempotency-Key"] = string.format("%s-%d-%d", run, id, sent)
  return wrk.format(nil, nil, nil, bodies[(offset + sent * threads + id) % #bodies + 1])
end
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    errors.status + errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


THREADS = 2


def wrk(
    name: str, url: str, spec: Load, scratch: Path, *, run: str, seconds: float, offset: int
) -> Result:
    bodies = scratch / "bodies.jsonl"
    if not bodies.exists():
        bodies.write_bytes(b"\n".join(spec.payloads) + b"\n")
    script = scratch / "post.lua"
    script.write_text(SCRIPT)
    command = [
        "wrk",
        "--threads",
        str(THREADS),
        "--connections",
        str(spec.connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "--script",
        str(script),
        url,
        "--",
        str(bodies),
        spec.key,
        run,
        str(offset),
        str(THREADS),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(row for row in output.splitlines() if row.startswith("RESULT "))
    requests, micros, failed, p50, p99 = (int(value) for value in line.split()[1:])
    return Result(name, requests, micros / 1e6, failed, p50 / 1000, p99 / 1000)


def measure(name: str, base: str, spec: Load, scratch: Path) -> Result:
    # A short warm-up: gunicorn's workers import and connect on their first requests.
    # It reads the second half of the records, the timed run the first.
    warm = f"warm-{uuid.uuid4().hex}"
    half = len(spec.payloads) // 2
    url = base + PATH
    wrk(name, url, spec, scratch, run=warm, seconds=min(2.0, spec.seconds), offset=half)
    before = cpu_seconds(MASTERS[base])
    result = wrk(name, url, spec, scratch, run=uuid.uuid4().hex, seconds=spec.seconds, offset=0)
    result.cpu = cpu_seconds(MASTERS[base]) - before
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn's sync workers")
    parser.add_argument("--database-url", help="default: a fresh SQLite file (WAL)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        url = args.database_url or f"sqlite:///{scratch / 'api.db'}"
        env = settings(url, scratch)
        spec = Load(prepare(env), bodies(BODIES), args.connections, args.seconds)
        print(
            f"gunicorn, {args.workers} sync workers, {args.connections} connections for "
            f"{args.seconds:g} s on {os.cpu_count()} cores; database {url.split(':', 1)[0]}"
        )
        bare_write.create_tables(url)
        runs: list[tuple[str, str, Mapping[str, str]]] = [
            ("bench.bare:app", "bare echo (parse, answer)", {}),
            (
                "bench.bare_write:app",
                "bare write (parse, 5 rows, 1 commit)",
                {"BARE_DATABASE_URL": url},
            ),
            ("wsgi:app", "Intyga POST /api/v1/certificates", env),
        ]
        results = []
        for target, name, target_env in runs:
            log = scratch / f"{target.split(':')[0]}.log"
            with gunicorn(target, args.workers, target_env, log) as base:
                results.append(measure(name, base, spec, scratch))
            results[-1].show()
            show_logged_errors(log)
    _echo, write, app = results
    if app.rate and write.rate:
        print(
            f"  Intyga / bare write: {write.rate / app.rate:.1f}× fewer requests per second, "
            f"p50 {app.p50 / write.p50:.1f}× and p99 {app.p99 / write.p99:.1f}× the latency, "
            f"{app.cpu_per_request / write.cpu_per_request:.1f}× the CPU per request"
        )
    print(f"  load average (1 min): {load:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
