"""Storing AGI statements: upsert by record key, later forms replace earlier, Borttag honoured."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.income import service as income
from app.income.models import AgiIncome
from payroll_adapters import IncomeRecord, income_by_month, latest_income, read_agi
from tests import factories as f

FIXTURES = Path(__file__).parents[1] / "payroll_adapters" / "fixtures"


def agi_records(data: bytes) -> list[IncomeRecord]:
    return [
        item
        for item in read_agi(io.BytesIO(data), max_bytes=10_000_000)
        if isinstance(item, IncomeRecord)
    ]


def test_store_keeps_what_latest_income_keeps(session: Session) -> None:
    w = f.world(session)
    records = agi_records((FIXTURES / "agi_2025.xml").read_bytes())
    counts = income.store(session, w.company.id, records)
    assert counts.created == len(latest_income(records)) + 1  # the removed one is stored too
    stored = {
        person: income.records_for(session, person)
        for person in {record.personnummer for record in records}
    }
    expected = income_by_month(records)
    got = income_by_month(record for found in stored.values() for record in found)
    assert got == expected
    # The later form with the same specification number replaced the earlier one.
    [february] = [r for r in stored["198506152340"] if r.month == 2]
    assert (february.cash_pay, february.benefits) == (29500, 800)
    # Borttag: specification number 2 of January no longer counts.
    assert [(r.month, r.specification_number) for r in stored["198112189876"]] == [(1, 1), (2, 1)]
    removed = income.records_for(session, "198112189876", include_removed=True)
    assert [r.specification_number for r in removed if r.removed] == [2]


def test_storing_twice_changes_nothing(session: Session) -> None:
    w = f.world(session)
    records = agi_records((FIXTURES / "agi_2025.xml").read_bytes())
    income.store(session, w.company.id, records)
    again = income.store(session, w.company.id, records)
    assert again.created == 0
    assert session.scalar(select(func.count()).select_from(AgiIncome)) == len(
        {r.record_key for r in records}
    )


def test_small_batches_give_the_same_result(session: Session) -> None:
    w = f.world(session)
    records = agi_records((FIXTURES / "agi_2025.xml").read_bytes())
    income.store(session, w.company.id, records, batch_size=2)
    assert income_by_month(income.records_for(session, "198506152340")) == {
        ("165560160680", "198506152340", 2025, 1): 28000,
        ("165560160680", "198506152340", 2025, 2): 30300,
    }


def test_records_for_an_unknown_person_is_empty(session: Session) -> None:
    assert income.records_for(session, f.OUTSIDER_PNR) == []
