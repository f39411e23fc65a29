"""Rows stored through the prepared insert read back exactly as the ORM would have stored them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import utcnow
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
