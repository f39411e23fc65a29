"""Rows stored through the prepared insert read back exactly as the ORM would have stored them."""

from __future__ import annotations

import dataclasses
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import utcnow
from app.imports.models import ImportJob
from app.income import service as income
from app.income.models import AgiIncome
from app.people.service import personnummer_index
from app.privacy import vault
from payroll_adapters import IncomeRecord
from tests import factories as f

PNR = "198112189876"


def _record(month: int, *, person: str = PNR, removed: bool = False) -> IncomeRecord:
    return IncomeRecord(
        personnummer=person,
        year=2025,
        month=month,
        cash_pay=30000 + month,
        benefits=month,
        employer="165560160680",
        specification_number=1,
        source_pointer=f"/Skatteverket/Blankett[{month + 1}]/Blankettinnehall/IU",
        record_key=f"key-{person}-{month}",
        line=10 * month,
        removed=removed,
    )


def test_every_column_reads_back_as_the_orm_would_store_it(session: Session) -> None:
    w = f.world(session)
    before = utcnow()
    counts = income.store(session, w.company.id, [_record(1), _record(2, removed=True)])
    assert (counts.created, counts.removed) == (2, 1)
    rows = session.scalars(select(AgiIncome).order_by(AgiIncome.month)).all()
    assert [
        (
            row.company_id,
            row.personnummer,
            row.personnummer_index,
            row.year,
            row.month,
            row.cash_pay,
            row.benefits,
            row.removed,
            row.source_pointer,
            row.source_line,
            row.import_job_id,
        )
        for row in rows
    ] == [
        (w.company.id, PNR, personnummer_index(PNR), 2025, 1, 30001, 1, False,
         "/Skatteverket/Blankett[2]/Blankettinnehall/IU", 10, None),
        (w.company.id, PNR, personnummer_index(PNR), 2025, 2, 30002, 2, True,
         "/Skatteverket/Blankett[3]/Blankettinnehall/IU", 20, None),
    ]  # fmt: skip
    assert all(row.imported_at >= before and row.imported_at.tzinfo is not None for row in rows)


def test_rows_of_an_unowned_import_are_kept_apart(session: Session) -> None:
    w = f.world(session)
    income.store(session, None, [_record(1)])
    income.store(session, w.company.id, [_record(1)])
    assert income.records_for(session, PNR, company_id=w.company.id) != []
    owners = session.scalars(select(AgiIncome.company_id).order_by(AgiIncome.id)).all()
    assert owners == [None, w.company.id]
    # Storing the same again finds both, each under its own owner.
    assert income.store(session, None, [_record(1)]).unchanged == 1
    assert income.store(session, w.company.id, [_record(1)]).unchanged == 1


def test_identities_encrypt_each_person_once_within_their_limit(session: Session) -> None:
    identities = income.Identities(limit=1)
    first = identities.of(PNR)
    assert identities.of(PNR) == first
    assert vault.current().decrypt(first[0]) == PNR
    assert first[1] == personnummer_index(PNR)
    other = "198506152340"
    # Past the limit a person is still encrypted correctly, only not remembered.
    token, index = identities.of(other)
    assert identities.of(other)[0] != token
    assert vault.current().decrypt(token) == other
    assert index == personnummer_index(other)


def _changed(record: IncomeRecord, **changes: object) -> IncomeRecord:
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


def test_the_upsert_counts_what_it_created_updated_and_left_alone(session: Session) -> None:
    w = f.world(session)
    first = [_record(month) for month in (1, 2, 3)]
    assert income.store(session, w.company.id, first) == income.StoreCounts(created=3)
    job = _job(session, w.company.id)
    again = [
        _changed(first[0], line=99),  # the same amounts: left as it was, line and all
        _changed(first[1], cash_pay=1),  # another amount: updated
        _changed(first[2], removed=True, cash_pay=0, benefits=0),  # withdrawn: updated
        _record(4),  # new
    ]
    counts = income.store(session, w.company.id, again, import_job_id=job)
    assert counts == income.StoreCounts(created=1, updated=2, unchanged=1, removed=1)
    rows = {row.month: row for row in session.scalars(select(AgiIncome).order_by(AgiIncome.month))}
    assert (rows[1].cash_pay, rows[1].source_line, rows[1].import_job_id) == (30001, 10, None)
    assert (rows[2].cash_pay, rows[2].source_line, rows[2].import_job_id) == (1, 20, job)
    assert (rows[3].removed, rows[3].cash_pay, rows[3].import_job_id) == (True, 0, job)
    assert (rows[4].cash_pay, rows[4].import_job_id) == (30004, job)
    assert len(rows) == 4


def test_a_key_repeated_within_a_batch_keeps_the_last(session: Session) -> None:
    w = f.world(session)
    records = [_record(1), _changed(_record(1), cash_pay=5), _record(2)]
    counts = income.store(session, w.company.id, records)
    assert (counts.created, counts.updated, counts.total) == (2, 1, 3)
    assert session.scalars(select(AgiIncome.cash_pay).order_by(AgiIncome.month)).all() == [
        5,
        30002,
    ]


def test_each_company_upserts_only_its_own_rows(session: Session) -> None:
    w = f.world(session)
    other = f.company(session, w.admin, "5560360793", "Annat AB")
    income.store(session, w.company.id, [_record(1)])
    assert income.store(session, other.id, [_changed(_record(1), cash_pay=7)]).created == 1
    mine = income.records_for(session, PNR, company_id=w.company.id)
    theirs = income.records_for(session, PNR, company_id=other.id)
    assert [r.cash_pay for r in mine] == [30001]
    assert [r.cash_pay for r in theirs] == [7]


def _job(session: Session, company_id: uuid.UUID) -> uuid.UUID:
    job = ImportJob(company_id=company_id, format="agi", filename="agi.xml", size=1)
    session.add(job)
    session.flush()
    return job.id


def test_batches_of_any_integer_sizes_share_one_statement(session: Session) -> None:
    """Each batch's amounts and lines need other integer sizes; the driver still sees one
    statement (on PostgreSQL psycopg keeps every new one it meets, with a type code per
    parameter, so a statement per mix made memory grow with the file)."""
    w = f.world(session)
    for batch in range(6):
        records = [
            _changed(_record(month), cash_pay=7 ** (batch + month), line=40_000 * batch + month)
            for month in range(1, 13)
        ]
        assert income.store(session, w.company.id, records, batch_size=4).created == 12 * (
            batch == 0
        )
    driver = session.connection().connection.driver_connection
    prepared = getattr(driver, "_prepared", None)
    if prepared is not None:  # psycopg: the statements it counts or has prepared
        keys = (*prepared._counts, *prepared._names)
        seen = {key for key in keys if b"INSERT INTO agi_income" in key[0]}
        assert len(seen) == 1, [key[1] for key in seen]
