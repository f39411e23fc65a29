"""Income tables for the assessment tests, written the way the rules read: newest month last.

Unemployment starts on 15 October 2025 unless a test says otherwise, so the plain frame is
October 2024 to September 2025 and a list of twelve amounts fills it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from app.assessment import Assessment, IncomeMonth, YearMonth, assess

UNEMPLOYED = date(2025, 10, 15)
LAST = YearMonth(2025, 9)
MEMBER_3_YEARS = date(2022, 10, 1)

Amount = int | str | Decimal


def percent(*levels: int) -> tuple[Decimal, ...]:
    """Levels as the rule table holds them."""
    return tuple(Decimal(level) for level in levels)


def months(
    amounts: Sequence[Amount],
    *,
    last: YearMonth = LAST,
    reasons: dict[int, str] | None = None,
    source: str = "agi",
) -> list[IncomeMonth]:
    """One IncomeMonth per amount, the last amount in `last`; `reasons` maps an index in
    `amounts` to a skip reason."""
    first = last.shifted(1 - len(amounts))
    reasons = reasons or {}
    table = []
    for index, amount in enumerate(amounts):
        when = first.shifted(index)
        table.append(
            IncomeMonth(when.year, when.month, Decimal(str(amount)), source, reasons.get(index))
        )
    return table


def judge(
    rows: Iterable[IncomeMonth],
    *,
    unemployed_on: date = UNEMPLOYED,
    member_since: date | None = MEMBER_3_YEARS,
) -> Assessment:
    return assess(rows, unemployed_on=unemployed_on, member_since=member_since)


def run(
    amounts: Sequence[Amount],
    *,
    reasons: dict[int, str] | None = None,
    unemployed_on: date = UNEMPLOYED,
    member_since: date | None = MEMBER_3_YEARS,
) -> Assessment:
    """Assess `amounts` ending in the month before unemployment."""
    last = YearMonth.of(unemployed_on).shifted(-1)
    return judge(
        months(amounts, last=last, reasons=reasons),
        unemployed_on=unemployed_on,
        member_since=member_since,
    )
