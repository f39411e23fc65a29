"""Scale proof: two gunicorn app servers and three workers on one PostgreSQL, with Redis.

    python -m bench.scale [--certificates 10000] [--database URL]

Pushes certificates through one server, then through both at once (a tenth of the requests sent
again with the same Idempotency-Key, to the other server), signs a share of them through the
in-process BankID meanwhile (each delivery e-mails the employee), lets the workers run the outbox
and the deadline jobs, and kills one worker in the middle. Then prints: certificates created (each
exactly once), e-mails a local SMTP server received (each exactly once, none lost), the audit
chain's verification, and requests per second of one server against two, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
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
from sqlalchemy import func, select, text

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


async def push(
    plan: list[tuple[str, str, bytes]], key: str, connections: int = CONNECTIONS
) -> tuple[float, Counter[int]]:
    """POST every (server, idempotency key, body) of `plan`; returns seconds and statuses."""
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

    started = time.perf_counter()
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        await asyncio.gather(*(client(http) for _ in range(connections)))
    return time.perf_counter() - started, statuses


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
            for certificate in chosen:
                signatures.send(db.session, issuer, certificate, signer, now=utcnow())
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=10_000)
    parser.add_argument(
        "--database", default=os.environ.get("SCALE_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="per app server")
    parser.add_argument("--sign-share", type=float, default=0.05)
    parser.add_argument("--redis-db", type=int, default=12)
    args = parser.parse_args()
    if not args.database.startswith("postgresql"):
        raise SystemExit("the scale proof runs on PostgreSQL (--database postgresql+psycopg://...)")
    random.seed(2026)
    inbox = Inbox(Counter())
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        scratch = Path(folder)
        smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
        smtp.start()
        stack.callback(smtp.stop)
        env = settings(args.database, scratch, smtp.port, args.redis_db)
        key = prepare(env)
        one = stack.enter_context(
            gunicorn("wsgi:app", args.gunicorn_workers, env, scratch / "a.log")
        )
        two = stack.enter_context(
            gunicorn("wsgi:app", args.gunicorn_workers, env, scratch / "b.log")
        )
        running = stack.enter_context(workers(3, env, scratch))
        alone = args.certificates // 5
        print(f"load average before: {os.getloadavg()[0]:.2f}")

        seconds_one, statuses_one = asyncio.run(push(plan_for([one], alone, 0, 0.1), key))
        sent_one = sum(statuses_one.values())
        signed = sign_some(env, scratch, args.sign_share / 2)
        running[0].send_signal(signal.SIGKILL)  # a worker dies mid-run; its leases run out
        running[0].wait()
        print("killed worker 0 (SIGKILL) after the first phase")
        seconds_two, statuses_two = asyncio.run(
            push(plan_for([one, two], args.certificates - alone, alone, 0.1), key)
        )
        sent_two = sum(statuses_two.values())
        signed += sign_some(env, scratch, args.sign_share / 2)
        counts = wait_for_outbox(env, 300)
        created, emails_sent = tally(env)
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
    received = sum(inbox.received.values())
    twice = sum(1 for count in inbox.received.values() if count > 1)
    waiting = counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)
    exact = twice == 0 and len(inbox.received) == emails_sent and not waiting and emails_sent > 0
    verdict = verify.stdout.strip().splitlines()[-1:] or [verify.stderr.strip()[-300:]]
    print(f"statuses, one server: {dict(statuses_one)}; two servers: {dict(statuses_two)}")
    print(f"one server : {sent_one / seconds_one:7.1f} req/s ({sent_one} requests)")
    print(
        f"two servers: {sent_two / seconds_two:7.1f} req/s ({sent_two} requests), "
        f"{(sent_two / seconds_two) / (sent_one / seconds_one):.2f}x"
    )
    print(
        f"certificates created: {created} for {args.certificates} keys "
        f"({'each exactly once' if created == args.certificates else 'MISMATCH'})"
    )
    print(f"signed and delivered: {signed}; outbox by status: {counts}")
    print(
        f"e-mails: {emails_sent} sent by the outbox, {len(inbox.received)} distinct received, "
        f"{received} in all, {twice} twice "
        f"({'each exactly once' if exact else 'MISMATCH'})"
    )
    print(f"audit-verify (exit {verify.returncode}): {verdict[0]}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
