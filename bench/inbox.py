"""Inbox benchmark: the employee inbox, the a-kassa list and the deadline jobs on 1M certificates.

    .venv/bin/python -m bench.inbox [--database-url URL] [--rows 1000000] [--samples 500]

PostgreSQL only (the default database is `intyga_bench` on 127.0.0.1; create it with `createdb`).
The script migrates it to heads and, unless it already holds that many certificates, fills it
with `--rows` certificates over `--rows / 5` employees, a few hundred companies and the a-kassor,
in SQL (`INSERT ... SELECT generate_series`) and COPY: through the ORM it would take hours. Every
person's personnummer is really encrypted and indexed, so look-ups behave as in production; each
version's content is one encrypted document reused, which no listing reads. The states follow a
steady state: most certificates approved or expired over three years, those still waiting for an
answer delivered within the six weeks, drafts recent.
Before timing, each sent certificate records the reminders the worker would have sent by its
last pass five minutes ago, so that the reminder job finds only what fell due since.

Then it times the functions the pages and the worker call, the very same ones, over many random
owners, and prints p50 and p99 and the plan (EXPLAIN ANALYZE, BUFFERS) of every statement one call
runs. Prints its figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection, event, func, select, text
from sqlalchemy.orm import Session
from stdnum import luhn

from app import create_app
from app import migrate as migrations
from app.akassa import service as akassa_service
from app.akassa.models import Akassa
from app.akassa_portal.service import PAGE_SIZE, Cursor, Query, find
from app.certificates import deadlines
from app.certificates.models import Certificate, State
from app.database import utcnow
from app.employee.service import inbox
from app.extensions import db
from app.people.models import Person
from app.privacy import vault
from schemas.examples import full_example

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/intyga_bench"
# Fixed and public: a second run must read what the first one encrypted. Never a real key.
BENCH_PII_KEY = base64.urlsafe_b64encode(b"intyga bench data, not a secret!").decode()
BENCH_INDEX_KEY = "intyga-bench-blind-index-key-not-a-secret"
CERTIFICATES_PER_EMPLOYEE = 5
COMPANIES = 400


# --- filling --------------------------------------------------------------------------------------


def test_personnummer(n: int) -> str:
    """The n-th valid test personnummer: birth numbers 980-999 are never given to anyone."""
    day, month = 1 + n % 28, 1 + (n // 28) % 12
    year = 1940 + (n // 336) % 65
    birth = 980 + (n // (336 * 65)) % 20
    base = f"{year % 100:02d}{month:02d}{day:02d}{birth:03d}"
    return f"{year}{month:02d}{day:02d}{birth:03d}{luhn.calc_check_digit(base)}"


def fill(session: Session, rows: int, employees: int) -> None:
    """Make `rows` certificates; what was there before is removed first."""
    started = time.perf_counter()
    keys = vault.current()
    now = utcnow()
    session.execute(
        text(
            "TRUNCATE certificate, certificate_version, signature, completion_message, "
            "sealed_document, company, person CASCADE"
        )
    )
    akassa_service.load_reference_data(session)
    funds = session.scalars(select(Akassa.id).order_by(Akassa.id)).all()
    connection = session.connection()
    _copy(
        connection,
        "company (id, organisationsnummer, organisationsnummer_index, employer_id, name, "
        "notify_on_approval, created_at, updated_at)",
        (
            (
                uuid.uuid4(),
                keys.encrypt(f"55{n:08d}"),
                keys.blind_index(f"company-{n}"),
                f"B{n:07d}",
                f"Benchbolaget {n} AB",
                False,
                now,
                now,
            )
            for n in range(COMPANIES)
        ),
    )
    _copy(
        connection,
        "person (id, personnummer, personnummer_index, first_name, last_name, email, "
        "notify_by, language, created_at, updated_at)",
        (
            (
                uuid.uuid4(),
                keys.encrypt(pnr),
                keys.blind_index(pnr),
                "Bench",
                f"Person {n}",
                f"person{n}@example.test",
                "email",
                "sv",
                now,
                now,
            )
            for n, pnr in ((n, test_personnummer(n)) for n in range(employees))
        ),
    )
    print(f"  people and companies  {time.perf_counter() - started:6.1f} s")
    numbered = "SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM {} "
    for table in ("person", "company"):
        session.execute(
            text(f"CREATE TEMPORARY TABLE bench_{table} ON COMMIT DROP AS {numbered.format(table)}")
        )
        session.execute(text(f"CREATE UNIQUE INDEX ON bench_{table} (n)"))
    session.execute(
        text(
            "CREATE TEMPORARY TABLE bench_akassa ON COMMIT DROP AS "
            "SELECT (ordinality - 1)::int AS n, id FROM unnest(CAST(:funds AS int[])) "
            "WITH ORDINALITY AS f(id)"
        ),
        {"funds": list(funds)},
    )
    session.execute(
        text(CERTIFICATES_SQL),
        {
            "rows": rows,
            "now": now,
            "employees": employees,
            "companies": COMPANIES,
            "funds": len(funds),
        },
    )
    print(f"  certificates          {time.perf_counter() - started:6.1f} s")
    content = keys.encrypt(json.dumps(full_example(), ensure_ascii=False, sort_keys=True))
    session.execute(text(VERSIONS_SQL), {"content": content})
    print(f"  versions              {time.perf_counter() - started:6.1f} s")
    session.commit()
    _vacuum_analyze("certificate, certificate_version, person")
    print(f"  vacuum analyze        {time.perf_counter() - started:6.1f} s")


# Every row draws once (r) for its state and again for its dates. A state's share is what a
# steady state holds: the six weeks and the 42-day draft removal keep the open ones recent.
CERTIFICATES_SQL = """
INSERT INTO certificate (id, company_id, employee_id, variant, state, current_version,
    period_start, period_end, delivered_at, answer_deadline, approved_at, akassa_id, closed_at,
    lock_version, created_at, updated_at)
SELECT gen_random_uuid(), c.id, p.id, s.variant, s.state, 1,
    s.created::date - 700, s.created::date - 10,
    s.delivered, s.delivered + interval '42 days', s.approved,
    CASE WHEN s.state = 'approved' THEN a.id END, s.closed,
    2, s.created, COALESCE(s.closed, s.delivered, s.created)
FROM (
    SELECT x.*,
        CASE WHEN x.state = 'approved' THEN x.approved
             WHEN x.state = 'expired' THEN x.delivered + interval '42 days'
             WHEN x.state = 'withdrawn' THEN x.created + interval '3 days' END AS closed
    FROM (
        SELECT t.*,
            CASE WHEN t.state NOT IN ('draft', 'signed') THEN t.created + interval '1 hour' END
                AS delivered,
            CASE WHEN t.state = 'approved'
                THEN t.created + interval '1 hour' + random() * interval '41 days' END
                AS approved
        FROM (
            SELECT d.*,
                CAST(:now AS timestamptz) - CASE
                    WHEN d.state IN ('sent', 'completion_requested')
                        THEN random() * interval '42 days'
                    WHEN d.state IN ('draft', 'signed') THEN random() * interval '45 days'
                    ELSE interval '43 days' + random() * interval '1050 days' END AS created
            FROM (
                SELECT CASE
                    WHEN r < 0.70 THEN 'approved'
                    WHEN r < 0.80 THEN 'expired'
                    WHEN r < 0.84 THEN 'withdrawn'
                    WHEN r < 0.92 THEN 'sent'
                    WHEN r < 0.94 THEN 'completion_requested'
                    WHEN r < 0.999 THEN 'draft'
                    ELSE 'signed' END AS state,
                    CASE WHEN random() < 0.3 THEN 'income_2025' ELSE 'full' END AS variant,
                    floor(random() * :employees)::bigint AS employee_n,
                    floor(random() * :companies)::bigint AS company_n,
                    -- a few large funds hold most members, as in life
                    floor(power(random(), 2) * :funds)::int AS fund_n
                FROM (SELECT g, random() AS r FROM generate_series(1, :rows) AS g) AS raw
            ) AS d
        ) AS t
    ) AS x
) AS s
JOIN bench_person p ON p.n = s.employee_n
JOIN bench_company c ON c.n = s.company_n
JOIN bench_akassa a ON a.n = s.fund_n
"""

VERSIONS_SQL = """
INSERT INTO certificate_version (id, certificate_id, number, content, created_by_label,
    signed_at, content_hash, lock_version, created_at, updated_at)
SELECT gen_random_uuid(), id, 1, :content, 'Lönesystemet',
    CASE WHEN state <> 'draft' THEN created_at END,
    CASE WHEN state <> 'draft' THEN md5(id::text) || md5(id::text) END,
    1, created_at, created_at
FROM certificate
"""


# What the worker recorded by its last pass, five minutes before `now`: every reminder then due.
# Run before each timing, so that a pass finds only what fell due since, as in production.
SETTLE_REMINDERS_SQL = """
UPDATE certificate SET reminders_sent = due.day
FROM (
    SELECT id, CASE WHEN delivered_at <= :last - interval '35 days' THEN 35 ELSE 14 END AS day
    FROM certificate
    WHERE state = 'sent' AND delivered_at <= :last - interval '14 days'
) AS due
WHERE certificate.id = due.id AND certificate.reminders_sent < due.day
"""
WORKER_INTERVAL = timedelta(minutes=5)


def settle_reminders(session: Session, now: datetime) -> None:
    updated = session.execute(text(SETTLE_REMINDERS_SQL), {"last": now - WORKER_INTERVAL})
    session.commit()
    changed = getattr(updated, "rowcount", 0)
    print(f"reminders recorded up to the worker's last pass: {changed:,} certificates updated")
    if changed > 1000:  # many rows rewritten: the visibility map needs a VACUUM again
        _vacuum_analyze("certificate")


def _vacuum_analyze(tables: str) -> None:
    # VACUUM refuses to run inside a transaction.
    with db.engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.exec_driver_sql(f"VACUUM ANALYZE {tables}")


def _copy(connection: Connection, target: str, rows: Iterator[Sequence[Any]]) -> None:
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# --- timing ---------------------------------------------------------------------------------------


@dataclass
class Captured:
    """The statements one call ran, with their parameters, to explain them afterwards."""

    statements: list[tuple[str, Any]] = field(default_factory=list)


@contextmanager
def capture(session: Session) -> Iterator[Captured]:
    captured = Captured()
    engine = session.get_bind()

    def record(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        captured.statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", record)


def measure(session: Session, name: str, call: Callable[[Any], int], owners: Sequence[Any]) -> None:
    """p50 and p99 of `call(owner)` over the owners, one transaction each, like a request;
    `call` returns how many rows it found."""
    for owner in owners[:20]:  # warm the pool and the caches
        call(owner)
        session.rollback()
    durations, sizes = [], []
    for owner in owners:
        start = time.perf_counter()
        sizes.append(call(owner))
        session.rollback()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    print(
        f"  {name:<36} p50 {statistics.median(durations):7.2f} ms   "
        f"p99 {durations[max(0, round(len(durations) * 0.99) - 1)]:7.2f} ms   "
        f"n={len(durations):<4} rows/call {statistics.mean(sizes):,.1f}"
    )


def explain(session: Session, name: str, call: Callable[[], object]) -> None:
    with capture(session) as captured:
        call()
    session.rollback()
    print(f"\n--- {name}: {len(captured.statements)} statement(s) per call")
    raw = session.connection().connection.driver_connection
    for statement, parameters in captured.statements:
        cursor = raw.cursor()  # type: ignore[union-attr]
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
        print("\n".join(f"  {line}" for (line,) in cursor.fetchall()))
        cursor.close()
    session.rollback()


def run(session: Session, samples: int) -> None:
    rng = random.Random(2026)
    # Sampled from the certificates, so each employee drawn has at least one.
    employees = session.scalars(
        select(Certificate.employee_id).order_by(func.random()).limit(samples)
    ).all()
    shares = {
        fund: n
        for fund, n in session.execute(
            select(Certificate.akassa_id, func.count())
            .where(Certificate.state == State.APPROVED)
            .group_by(Certificate.akassa_id)
        )
        if fund is not None
    }
    funds = rng.choices(list(shares), list(shares.values()), k=samples)
    largest = max(shares, key=shares.__getitem__)
    # The bench's people are "Person n" with the n-th test personnummer.
    searches = [
        (fund, test_personnummer(int(last_name.removeprefix("Person "))))
        for fund, last_name in session.execute(
            select(Certificate.akassa_id, Person.last_name)
            .join(Person, Certificate.employee_id == Person.id)
            .where(Certificate.state == State.APPROVED)
            .order_by(func.random())
            .limit(samples)
        )
        if fund is not None
    ]
    # Where "Äldre" 39 times from the first page leads: the 40th page of each fund drawn.
    deep = {
        fund: Cursor(approved_at, certificate_id)
        for fund in set(funds)
        for approved_at, certificate_id in session.execute(
            select(Certificate.approved_at, Certificate.id)
            .where(Certificate.akassa_id == fund, Certificate.state == State.APPROVED)
            .order_by(Certificate.approved_at.desc(), Certificate.id.desc())
            .offset(39 * PAGE_SIZE - 1)
            .limit(1)
        )
        if approved_at is not None
    }
    session.rollback()
    now = utcnow()

    def employee_inbox(person: uuid.UUID) -> int:
        found = inbox(session, person)
        return len(found.awaiting) + len(found.documents)

    def akassa_page(fund: int, query: Query) -> int:
        return len(find(session, fund, query).certificates)

    first = Query()

    def page_40(fund: int) -> Query:
        return Query(older_than=deep.get(fund))

    print(f"\nqueries: p50 and p99 over {samples} random owners (a-kassor by their share)")
    # What any query costs here: a transaction's round trips, the driver, the machine's load.
    measure(
        session,
        "baseline: SELECT 1",
        lambda _: len(session.execute(text("SELECT 1")).all()),
        employees,
    )
    measure(session, "employee inbox", employee_inbox, employees)
    measure(session, "a-kassa list, page 1", lambda f: akassa_page(f, first), funds)
    measure(session, "a-kassa list, page 40", lambda f: akassa_page(f, page_40(f)), funds)
    measure(
        session,
        "a-kassa list, page 1, largest fund",
        lambda f: akassa_page(f, first),
        [largest] * samples,
    )
    measure(
        session,
        "a-kassa search by personnummer",
        lambda fs: akassa_page(fs[0], Query(search=fs[1])),
        searches,
    )
    for job in deadlines.JOBS:
        measure(session, f"deadline job {job.name}: find", _counting(session, job, now), [0] * 30)

    explain(session, "employee inbox", lambda: inbox(session, employees[0]))
    explain(session, "a-kassa list, page 1, largest fund", lambda: find(session, largest, first))
    explain(
        session,
        "a-kassa list, page 40, largest fund",
        lambda: find(session, largest, page_40(largest)),
    )
    explain(
        session,
        "a-kassa search by personnummer",
        lambda: find(session, searches[0][0], Query(search=searches[0][1])),
    )
    for job in deadlines.JOBS:
        explain(session, f"deadline job {job.name}: find", partial(job.find, session, now))


def _counting(session: Session, job: deadlines.Job, now: datetime) -> Callable[[Any], int]:
    return lambda _: len(job.find(session, now))


def describe(session: Session) -> None:
    counts = session.execute(
        select(Certificate.state, func.count()).group_by(Certificate.state).order_by(func.count())
    ).all()
    people = session.scalar(select(func.count()).select_from(Person))
    size = session.scalar(text("SELECT pg_size_pretty(pg_total_relation_size('certificate'))"))
    print(f"{sum(n for _, n in counts):,} certificates over {people:,} people; table {size}")
    print("  " + ", ".join(f"{state} {n:,}" for state, n in counts))
    indexes = session.scalars(
        text("SELECT indexdef FROM pg_indexes WHERE tablename = 'certificate' ORDER BY indexname")
    ).all()
    print("indexes on certificate:\n" + "\n".join(f"  {index}" for index in indexes))
    session.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=1_000_000, help="certificates")
    parser.add_argument("--samples", type=int, default=500, help="random owners per query")
    parser.add_argument("--refill", action="store_true", help="fill even if the rows are there")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        parser.error("this benchmark needs PostgreSQL")
    app = create_app(
        {
            "DATABASE_URL": args.database_url,
            "INTYGA_ENV": "testing",
            "SECRET_KEY": "bench",
            "PII_KEYS": [BENCH_PII_KEY],
            "BLIND_INDEX_KEY": BENCH_INDEX_KEY,
        }
    )
    with app.app_context():
        migrations.upgrade("heads")
        session = db.session
        present = session.scalar(select(func.count()).select_from(Certificate)) or 0
        session.rollback()
        if args.refill or present != args.rows:
            print(f"filling {args.rows:,} certificates (found {present:,})")
            fill(session, args.rows, max(1, args.rows // CERTIFICATES_PER_EMPLOYEE))
        settle_reminders(session, utcnow())
        describe(session)
        run(session, args.samples)


if __name__ == "__main__":
    main()
