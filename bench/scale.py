"""Scale proof: two gunicorn app servers and three workers on one PostgreSQL, with Redis.

    python -m bench.scale [--certificates 10000] [--database URL]

Pushes certificates through one server, then through both at once (a tenth of the requests sent
again with the same Idempotency-Key, to the other server), signs a share of them through the
in-process BankID meanwhile (each delivery e-mails the employee), lets the workers run the outbox
and the deadline jobs, and kills one worker (SIGKILL) in the middle while it holds leases on
e-mails it has claimed. Then prints: certificates created (each exactly once), e-mails a local
SMTP server received (each exactly once, none lost, the dead worker's taken over after their
lease), the audit chain's verification, and requests per second of one server against two, with
the load average.

The kill comes when the worker holds claimed e-mails and none mid-send: it is stopped (SIGSTOP),
its leases read, and killed if so (else let go on and tried again). A worker killed between the
SMTP server's "accepted" and its own commit sends that one e-mail again, with the same
Message-ID: the at-least-once window `app.worker.worker` documents, which this proof does not
hide by chance but names.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import aiohttp
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, func, select, text

from app import create_app, seal
from app.certificates.models import Certificate, State
from app.database import utcnow
from app.demo import signatures
from app.extensions import db
from app.outbox.models import Channel, OutboxMessage, OutboxStatus
from app.people.service import find_person
from bench.api import ROOT, UNLIMITED, bodies, free_port, gunicorn, prepare
from signing.bankid.testserver.ca import CertificateAuthority
from signing.bankid.testserver.completion import DEFAULT_SERVICE_NAME

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/intyga_scale"
CONNECTIONS = 32
# Signatures committed together, so their e-mails reach the outbox together and a worker claims
# several at once: a lease held long enough to be caught.
SIGN_BATCH = 5


@dataclass
class Inbox:
    """What the local SMTP server received, by Message-ID."""

    received: Counter[str]

    async def handle_DATA(self, _server: object, _session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's hook name
        content: bytes = envelope.content  # type: ignore[attr-defined]
        for line in content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.received[line.split(b":", 1)[1].strip().decode()] += 1
                break
        return "250 OK"


def settings(database: str, scratch: Path, smtp_port: int, redis_db: int) -> dict[str, str]:
    return {
        "INTYGA_ENV": "testing",
        "DATABASE_URL": database,
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:6379/{redis_db}",
        "SECRET_KEY": "scale-" + "s" * 40,
        "PII_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": "b" * 40,
        "AUDIT_KEY": "a" * 40,
        "AUDIT_ANCHOR_DIR": str(scratch / "anchors"),
        "SEAL_DIR": str(scratch / "seal"),
        "API_RATE_LIMIT": UNLIMITED,
        "MAIL_BACKEND": "smtp",
        "MAIL_FROM": "intyga@scale.test",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_TLS": "none",
        "SMS_BACKEND": "console",
        "WORKER_INTERVAL": "0.2",
        "WORKER_DEADLINES_INTERVAL": "2",
        "OUTBOX_LEASE_SECONDS": "5",
        "LOG_FORMAT": "json",
        "IMPORT_LEASE_SECONDS": "5",
    }


@contextmanager
def workers(
    count: int, env: Mapping[str, str], scratch: Path
) -> Iterator[list[subprocess.Popen[bytes]]]:
    started = []
    for n in range(count):
        log = (scratch / f"worker-{n}.log").open("wb")
        started.append(
            subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started:
            process.wait(timeout=60)


@dataclass
class Killing:
    """The worker killed, and the e-mails it had claimed then (ids), once it happened."""

    pid: int
    held: list[int]
    at: float


class LeaseKiller(threading.Thread):
    """SIGKILLs `process` the first time it holds a lease on claimed e-mails none of which it is
    sending: stopped (SIGSTOP) while its leases are read, so none can start meanwhile."""

    def __init__(self, process: subprocess.Popen[bytes], database: str) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.engine = create_engine(database)
        self.pattern = f"{socket.gethostname()[:40]}:{process.pid}:%"
        self.done = threading.Event()
        self.stop = threading.Event()
        self.started_at = time.monotonic()
        self.killing: Killing | None = None

    def leases(self) -> list[tuple[int, str]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(OutboxMessage.id, OutboxMessage.status).where(
                    OutboxMessage.claimed_by.like(self.pattern),
                    OutboxMessage.claimed_until > func.now(),
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
                )
            ).all()
        return [(row[0], row[1]) for row in rows]

    def run(self) -> None:
        try:
            while not self.stop.is_set() and self.process.poll() is None:
                if any(status == OutboxStatus.PENDING for _id, status in self.leases()):
                    self.process.send_signal(signal.SIGSTOP)
                    held = self.leases()
                    if held and all(status == OutboxStatus.PENDING for _id, status in held):
                        self.process.send_signal(signal.SIGKILL)
                        self.process.wait()
                        at = time.monotonic() - self.started_at
                        self.killing = Killing(self.process.pid, [i for i, _s in held], at)
                        return
                    self.process.send_signal(signal.SIGCONT)
                time.sleep(0.02)
        finally:
            self.engine.dispose()
            self.done.set()


async def push(
    plan: list[tuple[str, str, bytes]], key: str, connections: int = CONNECTIONS
) -> Phase:
    """POST every (server, idempotency key, body) of `plan`."""
    statuses: Counter[int] = Counter()
    queue: asyncio.Queue[tuple[str, str, bytes]] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    async def client(http: aiohttp.ClientSession) -> None:
        while not queue.empty():
            base, idempotency, body = queue.get_nowait()
            for _attempt in range(5):
                async with http.post(
                    f"{base}/api/v1/certificates",
                    data=body,
                    headers={**headers, "Idempotency-Key": idempotency},
                ) as answer:
                    await answer.read()
                    if answer.status != 409:  # the first of two with one key is still running
                        statuses[answer.status] += 1
                        break
                await asyncio.sleep(0.05)

    started, busy = time.perf_counter(), busy_seconds()
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        await asyncio.gather(*(client(http) for _ in range(connections)))
    seconds = time.perf_counter() - started
    return Phase(seconds, statuses, (busy_seconds() - busy) / seconds)


@dataclass(frozen=True)
class Phase:
    """One push: how long it took, the answers, and how many of the machine's cores were busy
    meanwhile (every process: servers, workers, PostgreSQL and this load generator)."""

    seconds: float
    statuses: Counter[int]
    cores_busy: float

    @property
    def rate(self) -> float:
        return sum(self.statuses.values()) / self.seconds


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent not idle since boot (/proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def plan_for(
    servers: list[str], count: int, offset: int, retry_share: float
) -> list[tuple[str, str, bytes]]:
    made = bodies()
    plan = []
    for n in range(offset, offset + count):
        key = f"scale-{n}"
        body = _employment(made[n % len(made)], n // len(made))
        plan.append((servers[n % len(servers)], key, body))
        if random.random() < retry_share:  # the client did not hear the answer: sent again
            plan.append((servers[(n + 1) % len(servers)], key, body))
    random.shuffle(plan)
    return plan


def _employment(body: bytes, earlier: int) -> bytes:
    """Another employment of the same person (starting `earlier` days before): a record of its
    own, since a payroll record sent again is the same certificate (intake's record key)."""
    content = json.loads(body)
    start = date.fromisoformat(content["employment"]["period"]["start"])
    content["employment"]["period"]["start"] = (start - timedelta(days=earlier)).isoformat()
    return json.dumps(content).encode()


def sign_some(env: Mapping[str, str], scratch: Path, share: float) -> int:
    """The employer signs a share of the drafts through the in-process BankID; each is
    delivered, and the outbox gets the employee's e-mail in the same transaction."""
    app = create_app(dict(env))
    state = scratch / "bankid"
    ca = CertificateAuthority(state)
    with app.app_context():
        issuer = signatures.issuer(
            state,
            trusted_roots=[ca.root.certificate],
            service_name=DEFAULT_SERVICE_NAME,
            seal=seal.current(),
            own_names=False,
        )
        signer = find_person(db.session, "198001019804")
        if issuer is None or signer is None:
            raise SystemExit("no test CA or no signer: prepare() did not run")
        drafts = db.session.scalars(
            select(Certificate).where(Certificate.state == State.DRAFT).order_by(Certificate.id)
        ).all()
        chosen = [c for c in drafts if random.random() < share]
        with seal.test_pki_reachable():  # sealing asks the test PKI over HTTP
            for n, certificate in enumerate(chosen, start=1):
                signatures.send(db.session, issuer, certificate, signer, now=utcnow())
                if n % SIGN_BATCH == 0 or n == len(chosen):
                    db.commit()
        db.engine.dispose()
    return len(chosen)


def wait_for_outbox(env: Mapping[str, str], seconds: float) -> dict[str, int]:
    app = create_app(dict(env))
    deadline = time.monotonic() + seconds
    with app.app_context():
        while True:
            counts = dict(
                db.session.execute(
                    select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
                ).all()
            )
            db.session.rollback()
            waiting = counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)
            if not waiting or time.monotonic() > deadline:
                db.engine.dispose()
                return counts
            time.sleep(1)


def tally(env: Mapping[str, str]) -> tuple[int, int]:
    app = create_app(dict(env))
    with app.app_context():
        created = db.session.scalar(select(func.count()).select_from(Certificate)) or 0
        emails = (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    OutboxMessage.channel == Channel.EMAIL,
                    OutboxMessage.status == OutboxStatus.SENT,
                )
            )
            or 0
        )
        db.session.execute(text("SELECT 1"))
        db.engine.dispose()
    return created, emails


def held_by_others(env: Mapping[str, str], killing: Killing | None) -> Counter[str]:
    """What became of the e-mails the killed worker had claimed, and who finished them."""
    if killing is None:
        return Counter()
    app = create_app(dict(env))
    with app.app_context():
        rows = db.session.execute(
            select(OutboxMessage.status, OutboxMessage.claimed_by).where(
                OutboxMessage.id.in_(killing.held)
            )
        ).all()
        db.engine.dispose()
    dead = f":{killing.pid}:"
    return Counter(
        f"{status} by {'the killed worker' if dead in (by or '') else 'another worker'}"
        for status, by in rows
    )


@dataclass
class Figures:
    """What one run measured, and its verdicts."""

    certificates: int
    one: Phase
    two: Phase
    created: int
    signed: int
    counts: dict[str, int]
    emails_sent: int
    inbox: Inbox
    killing: Killing | None
    taken_over: Counter[str]
    verify: subprocess.CompletedProcess[str]

    def report(self) -> None:
        received = sum(self.inbox.received.values())
        distinct = len(self.inbox.received)
        twice = sum(1 for count in self.inbox.received.values() if count > 1)
        waiting = self.counts.get(OutboxStatus.PENDING, 0) + self.counts.get(
            OutboxStatus.SENDING, 0
        )
        exact = not twice and distinct == self.emails_sent and not waiting and self.emails_sent
        verdict = self.verify.stdout.strip().splitlines()[-1:] or [
            self.verify.stderr.strip()[-300:]
        ]
        print(f"statuses, one server: {dict(self.one.statuses)}; two: {dict(self.two.statuses)}")
        cores = os.cpu_count()
        for name, phase in (("one server ", self.one), ("two servers", self.two)):
            print(
                f"{name}: {phase.rate:7.1f} req/s ({sum(phase.statuses.values())} requests), "
                f"{phase.cores_busy:.1f} of the machine's {cores} cores busy"
            )
        print(
            f"two servers / one: {self.two.rate / self.one.rate:.2f}x (on one machine, more "
            "servers add requests per second only while cores are left idle)"
        )
        once = self.created == self.certificates
        print(
            f"certificates created: {self.created} for {self.certificates} keys "
            f"({'each exactly once' if once else 'MISMATCH'})"
        )
        print(f"signed and delivered: {self.signed}; outbox by status: {self.counts}")
        if self.killing is None:
            print("worker 0 was NOT killed: it never held leases on claimed e-mails alone")
        else:
            print(
                f"killed worker 0 (pid {self.killing.pid}, SIGKILL) {self.killing.at:.1f} s "
                f"after the one-server phase, holding leases on {len(self.killing.held)} "
                f"claimed e-mail(s); afterwards they are: {dict(self.taken_over)}"
            )
        print(
            f"e-mails: {self.emails_sent} sent by the outbox, {distinct} distinct received, "
            f"{received} in all, {twice} twice ({'each exactly once' if exact else 'MISMATCH'})"
        )
        print(f"audit-verify (exit {self.verify.returncode}): {verdict[0]}")
        whole = (
            self.killing is not None
            and once
            and exact
            and self.verify.returncode == 0
            and set(self.taken_over) == {"sent by another worker"}
        )
        print(f"nothing lost, nothing done twice: {'yes' if whole else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=10_000)
    parser.add_argument(
        "--database", default=os.environ.get("SCALE_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument(
        "--gunicorn-workers",
        type=int,
        default=max(1, (os.cpu_count() or 2) // 2),
        help="per app server; by default half the cores, so that one server leaves room for a "
        "second on this one machine and the comparison shows what a second server adds",
    )
    parser.add_argument("--sign-share", type=float, default=0.05)
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument(
        "--port-base",
        type=int,
        help="the two servers and the SMTP server on this port and the next two (else free ones)",
    )
    args = parser.parse_args()
    if not args.database.startswith("postgresql"):
        raise SystemExit("the scale proof runs on PostgreSQL (--database postgresql+psycopg://...)")
    random.seed(2026)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the SMTP server's every command
    inbox = Inbox(Counter())
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        scratch = Path(folder)
        ports = [args.port_base + n for n in range(3)] if args.port_base else [None, None, None]
        smtp = Controller(inbox, hostname="127.0.0.1", port=ports[2] or free_port())
        smtp.start()
        stack.callback(smtp.stop)
        env = settings(args.database, scratch, smtp.port, args.redis_db)
        key = prepare(env)
        one = stack.enter_context(
            gunicorn("wsgi:app", args.gunicorn_workers, env, scratch / "a.log", port=ports[0])
        )
        two = stack.enter_context(
            gunicorn("wsgi:app", args.gunicorn_workers, env, scratch / "b.log", port=ports[1])
        )
        running = stack.enter_context(workers(3, env, scratch))
        alone = args.certificates // 5
        print(f"load average before: {os.getloadavg()[0]:.2f}")

        phase_one = asyncio.run(push(plan_for([one], alone, 0, 0.1), key))
        # Worker 0 dies in the middle, holding leases: from here on, when it next holds some.
        killer = LeaseKiller(running[0], args.database)
        killer.start()
        signed = sign_some(env, scratch, args.sign_share / 2)
        phase_two = asyncio.run(
            push(plan_for([one, two], args.certificates - alone, alone, 0.1), key)
        )
        signed += sign_some(env, scratch, args.sign_share / 2)
        counts = wait_for_outbox(env, 300)
        killer.stop.set()
        killer.done.wait(30)
        created, emails_sent = tally(env)
        taken_over = held_by_others(env, killer.killing)
        for n in range(len(running)):
            lines = (scratch / f"worker-{n}.log").read_text(errors="replace").splitlines()
            print(f"worker {n} log, last lines:", *lines[-3:], sep="\n    ")
        verify = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "audit-verify"],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
    Figures(
        args.certificates,
        phase_one,
        phase_two,
        created,
        signed,
        counts,
        emails_sent,
        inbox,
        killer.killing,
        taken_over,
        verify,
    ).report()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
