"""Storing AGI income statements and reading them back per person.

`store` upserts by the statement's natural key (`IncomeRecord.record_key`: employer, person,
period, specification number) within the importing company, so a later form replaces an earlier
one and a `Borttag` marks it removed: what is kept is what `payroll_adapters.latest_income`
would keep. It works in batches with bulk statements (one SELECT, one INSERT, one UPDATE per
batch) and holds no ORM objects, so memory stays flat however long the file.

An import stores a hundred thousand statements or more, so the per-row work is kept to what
differs between rows: a person's encrypted number and blind index are made once per person
(`Identities`), and the values shared by the whole batch (company, job, time) are converted
for the database once, not once per row.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Table, column, insert, select, table, update
from sqlalchemy.orm import Session

from app.database import utcnow
from app.income.models import AgiIncome
from app.people.service import personnummer_index
from app.privacy import vault
from payroll_adapters import IncomeRecord

BATCH_SIZE = 1000
AGI_INCOME = cast(Table, AgiIncome.__table__)
_SHARED = ("company_id", "import_job_id", "imported_at")
_INDEX_BYTES = 32  # a blind index is an HMAC-SHA256
_COLUMNS = (
    "personnummer",
    "personnummer_index",
    "employer",
    "year",
    "month",
    "cash_pay",
    "benefits",
    "specification_number",
    "removed",
    "record_key",
    "source_pointer",
    "source_line",
    *_SHARED,
)
# The table with untyped columns, for inserts whose values are already what the database
# stores: the personnummer encrypted by `Identities`, the shared values by `_shared`.
_PREPARED = table("agi_income", *(column(name) for name in _COLUMNS))


@dataclass
class StoreCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def add(self, other: StoreCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.removed += other.removed

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class Identities:
    """Each person's encrypted personnummer and blind index, made once per import.

    A file names every employee once a month, and Fernet encryption (with the HMAC of the
    index) costs more than everything else done for a row, so both are made once per person
    and reused for the person's later rows. Reusing one token for a person's rows reveals
    nothing the blind index beside it does not. Each person is kept in about 250 bytes (token
    and index as raw bytes), the first `limit` people met: that bounds the memory whatever the
    file (a cache of every person of a 10,000-employee file grew the import's peak by half);
    the people past it are encrypted row by row.
    """

    def __init__(self, limit: int = 4096) -> None:
        self._limit = limit
        self._known: dict[str, bytes] = {}

    def of(self, personnummer: str) -> tuple[str, str]:
        """(encrypted personnummer, blind index) of an already validated personnummer."""
        known = self._known.get(personnummer)
        if known is not None:
            index, token = known[:_INDEX_BYTES], known[_INDEX_BYTES:]
            return base64.urlsafe_b64encode(token).decode(), index.hex()
        keys = vault.current()
        encrypted, blind = keys.encrypt(personnummer), keys.blind_index(personnummer)
        if len(self._known) < self._limit:
            self._known[personnummer] = bytes.fromhex(blind) + base64.urlsafe_b64decode(encrypted)
        return encrypted, blind


def store(
    session: Session,
    company_id: uuid.UUID | None,
    records: Iterable[IncomeRecord],
    *,
    import_job_id: uuid.UUID | None = None,
    batch_size: int = BATCH_SIZE,
) -> StoreCounts:
    """Upsert `records` for `company_id`; later records with the same key win. Flushes only."""
    counts = StoreCounts()
    identities = Identities()
    for batch in _batches(records, batch_size):
        counts.add(
            store_batch(
                session, company_id, batch, import_job_id=import_job_id, identities=identities
            )
        )
    return counts


def _batches(records: Iterable[IncomeRecord], size: int) -> Iterator[list[IncomeRecord]]:
    batch: list[IncomeRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def store_batch(
    session: Session,
    company_id: uuid.UUID | None,
    batch: list[IncomeRecord],
    *,
    import_job_id: uuid.UUID | None = None,
    identities: Identities | None = None,
) -> StoreCounts:
    """One batch: records sharing a key within it count as updates of the first.

    Pass the same `identities` for every batch of one import."""
    counts = StoreCounts()
    latest: dict[str, IncomeRecord] = {}
    for record in batch:
        if record.record_key in latest:
            counts.updated += 1
        latest[record.record_key] = record
    identities = identities or Identities()
    connection = session.connection()
    now = utcnow()
    if company_id is None:
        return _store_unowned(
            session, latest, counts, import_job_id=import_job_id, identities=identities, now=now
        )
    shared = _shared(connection.dialect, company_id, import_job_id, now)
    rows = []
    for record in latest.values():
        counts.removed += record.removed
        rows.append(_row(record, *identities.of(record.personnummer), shared))
    created, updated = _upsert(connection, rows)
    counts.created += created
    counts.updated += updated
    counts.unchanged += len(rows) - created - updated
    return counts


def _store_unowned(
    session: Session,
    latest: dict[str, IncomeRecord],
    counts: StoreCounts,
    *,
    import_job_id: uuid.UUID | None,
    identities: Identities,
    now: datetime,
) -> StoreCounts:
    """Statements of no company: NULL never conflicts in a unique key, so they are looked up."""
    existing = _existing(session, list(latest))
    shared = _shared(session.connection().dialect, None, import_job_id, now)
    inserts: list[tuple[Any, ...]] = []
    updates: list[dict[str, Any]] = []
    for key, record in latest.items():
        counts.removed += record.removed
        found = existing.get(key)
        if found is None:
            inserts.append(_row(record, *identities.of(record.personnummer), shared))
        elif found[1:] == (record.cash_pay, record.benefits, record.removed):
            counts.unchanged += 1
        else:
            updates.append(_changes(found[0], record, import_job_id, now))
            counts.updated += 1
    if inserts:
        counts.created += len(inserts)
        _insert(session.connection(), inserts)
    if updates:
        session.execute(update(AgiIncome), updates)
    return counts


def _shared(
    dialect: Dialect, company_id: uuid.UUID | None, import_job_id: uuid.UUID | None, now: datetime
) -> tuple[Any, ...]:
    """The values every row of a batch shares, as their column types give them to the database."""
    values = dict(zip(_SHARED, (company_id, import_job_id, now), strict=True))
    for name in _SHARED:
        process = AGI_INCOME.c[name].type.bind_processor(dialect)
        if process is not None and values[name] is not None:
            values[name] = process(values[name])
    return tuple(values[name] for name in _SHARED)


def _insert(connection: Connection, rows: list[tuple[Any, ...]]) -> None:
    """The driver's executemany of prepared rows (in `_COLUMNS` order).

    Values are already in the database's terms, so SQLAlchemy's handling of each row's
    parameters would only double the cost of the insert."""
    connection.exec_driver_sql(*_driver_statement(connection.dialect, rows))


# A row already stored under the key is changed only when what it says differs.
_UPSERT = """
ON CONFLICT (company_id, record_key) DO UPDATE SET
    cash_pay = excluded.cash_pay, benefits = excluded.benefits, removed = excluded.removed,
    source_pointer = excluded.source_pointer, source_line = excluded.source_line,
    import_job_id = excluded.import_job_id, imported_at = excluded.imported_at
WHERE (agi_income.cash_pay, agi_income.benefits, agi_income.removed)
    IS DISTINCT FROM (excluded.cash_pay, excluded.benefits, excluded.removed)"""


def _upsert(connection: Connection, rows: list[tuple[Any, ...]]) -> tuple[int, int]:
    """One set-based statement per batch, nothing read first: (created, updated)."""
    if connection.dialect.name == "postgresql":
        return _upsert_postgresql(connection, rows)
    return _upsert_sqlite(connection, rows)


# The rows' own columns as one array each, their types spelled out.
_ARRAYS = (
    "text[]",
    "text[]",
    "text[]",
    "int4[]",
    "int4[]",
    "int8[]",
    "int8[]",
    "int8[]",
    "bool[]",
    "text[]",
    "text[]",
    "int4[]",
)
# Text goes joined by the unit separator, which no value stored here can hold (digits, hex,
# base64 and element paths): one join instead of psycopg quoting each element of a list.
_SEPARATOR = "\x1f"


def _array_of(kind: str) -> str:
    if kind == "text[]":
        return "string_to_array(%s, chr(31))"
    return f"CAST(%s AS {kind})"


# The rows written come back counted: (created, all written).
_UNNEST = (
    f"WITH written AS (INSERT INTO agi_income ({', '.join(_COLUMNS)}) "  # noqa: S608
    f"SELECT u.*, CAST(%s AS uuid), CAST(%s AS uuid), CAST(%s AS timestamptz) "
    f"FROM unnest({', '.join(_array_of(kind) for kind in _ARRAYS)}) AS u"
    f"{_UPSERT} RETURNING xmax = 0 AS created) "
    "SELECT count(*) FILTER (WHERE created), count(*) FROM written"
)


def _upsert_postgresql(connection: Connection, rows: list[tuple[Any, ...]]) -> tuple[int, int]:
    """The batch as one array per column, joined by `unnest`.

    Fifteen parameters whatever the batch size, each of one type, so every batch is the same
    statement to psycopg. With a parameter per value, each batch had its own mix of integer
    types (psycopg sends the smallest that fits), and psycopg counted every mix, with its
    15,000 type codes, towards preparing it (a hundred of them, even with `prepare=False`,
    which skips the preparing, not the counting): memory grew with the file. Numbers and
    flags go as array literals, so their type does not depend on their size either.
    PostgreSQL tells an inserted row by its `xmax` (0: no earlier version), and counts them."""
    columns = [list(values) for values in zip(*rows, strict=True)]
    own = [
        _literal(values) if kind != "text[]" else _joined(values)
        for kind, values in zip(_ARRAYS, columns, strict=False)
    ]
    shared = [values[0] for values in columns[len(_ARRAYS) :]]
    created, written = connection.exec_driver_sql(_UNNEST, (*shared, *own)).one()
    return created, written - created


def _joined(values: list[str]) -> str:
    joined = _SEPARATOR.join(values)
    if joined.count(_SEPARATOR) != len(values) - 1:
        msg = "a stored value holds the unit separator"
        raise ValueError(msg)
    return joined


def _literal(values: list[Any]) -> str:
    """An array literal of numbers or flags ("{1,NULL,True}")."""
    if None in values:
        values = ["NULL" if value is None else value for value in values]
    return "{" + ",".join(map(str, values)) + "}"


def _upsert_sqlite(connection: Connection, rows: list[tuple[Any, ...]]) -> tuple[int, int]:
    """The batch as one multi-row VALUES. SQLite writes one transaction at a time and numbers
    new rows on from the largest id, so the ids added are the rows created; the rows changed
    (`changes()`) are those created and updated. The SQL of every full batch is the same text,
    so the driver's statement cache holds one."""
    largest = "SELECT coalesce(max(id), 0) FROM agi_income"
    before = connection.exec_driver_sql(largest).scalar_one()
    values = f"({', '.join(['?'] * len(_COLUMNS))})"
    # Only constant names and placeholders are written into the SQL.
    head = f"INSERT INTO agi_income ({', '.join(_COLUMNS)}) VALUES "  # noqa: S608
    sql = head + ", ".join([values] * len(rows)) + _UPSERT
    written = connection.exec_driver_sql(sql, tuple(value for row in rows for value in row))
    created = connection.exec_driver_sql(largest).scalar_one() - before
    return created, written.rowcount - created


def _driver_statement(dialect: Dialect, rows: list[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    compiled = insert(_PREPARED).compile(dialect=dialect)
    if dialect.positional:
        order = [_COLUMNS.index(name) for name in compiled.positiontup or ()]
        if order != list(range(len(_COLUMNS))):
            rows = [tuple(row[index] for index in order) for row in rows]
        return compiled.string, rows
    return compiled.string, [dict(zip(_COLUMNS, row, strict=True)) for row in rows]


def _existing(session: Session, keys: list[str]) -> dict[str, tuple[int, int, int, bool]]:
    owner = AgiIncome.company_id.is_(None)
    rows = session.execute(
        select(
            AgiIncome.record_key,
            AgiIncome.id,
            AgiIncome.cash_pay,
            AgiIncome.benefits,
            AgiIncome.removed,
        ).where(owner, AgiIncome.record_key.in_(keys))
    )
    return {key: (id_, cash, benefits, removed) for key, id_, cash, benefits, removed in rows}


def _row(
    record: IncomeRecord, encrypted: str, index: str, shared: tuple[Any, ...]
) -> tuple[Any, ...]:
    return (
        encrypted,
        index,
        record.employer,
        record.year,
        record.month,
        record.cash_pay,
        record.benefits,
        record.specification_number,
        record.removed,
        record.record_key,
        record.source_pointer[:300],
        record.line,
        *shared,
    )


def _changes(
    id_: int, record: IncomeRecord, import_job_id: uuid.UUID | None, now: datetime
) -> dict[str, Any]:
    return {
        "id": id_,
        "cash_pay": record.cash_pay,
        "benefits": record.benefits,
        "removed": record.removed,
        "source_pointer": record.source_pointer[:300],
        "source_line": record.line,
        "import_job_id": import_job_id,
        "imported_at": now,
    }


def records_for(
    session: Session,
    personnummer: str,
    *,
    company_id: uuid.UUID | None = None,
    include_removed: bool = False,
) -> list[IncomeRecord]:
    """Every statement in force for this person, oldest period first.

    When several companies imported the same statement, the latest import counts once.
    `company_id` narrows to what one company imported (its drafts' pre-fill).
    """
    query = select(AgiIncome).where(
        AgiIncome.personnummer_index == personnummer_index(personnummer)
    )
    if company_id is not None:
        query = query.where(AgiIncome.company_id == company_id)
    if not include_removed:
        query = query.where(AgiIncome.removed.is_(False))
    query = query.order_by(AgiIncome.imported_at, AgiIncome.id)
    latest: dict[str, IncomeRecord] = {}
    for row in session.scalars(query):
        latest[row.record_key] = _record(row)
    return sorted(
        latest.values(),
        key=lambda r: (r.year, r.month, r.employer, r.specification_number),
    )


def _record(row: AgiIncome) -> IncomeRecord:
    return IncomeRecord(
        personnummer=row.personnummer,
        year=row.year,
        month=row.month,
        cash_pay=row.cash_pay,
        benefits=row.benefits,
        employer=row.employer,
        specification_number=row.specification_number,
        source_pointer=row.source_pointer,
        record_key=row.record_key,
        line=row.source_line,
        removed=row.removed,
    )


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    cash_pay: int
    benefits: int

    @property
    def income(self) -> int:
        return self.cash_pay + self.benefits


def months_for(session: Session, company_id: uuid.UUID, personnummer: str) -> list[Month]:
    """What the company declared for this person, per month (statements in force summed): shown
    beside a draft, since neither variant's content has a place for income per month."""
    totals: dict[tuple[int, int], tuple[int, int]] = {}
    for record in records_for(session, personnummer, company_id=company_id):
        cash, benefits = totals.get((record.year, record.month), (0, 0))
        totals[(record.year, record.month)] = (cash + record.cash_pay, benefits + record.benefits)
    return [Month(year, month, *amounts) for (year, month), amounts in sorted(totals.items())]
