"""What the engine reads: gross income per calendar month, its source and any skip reason."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from app.errors import InvalidContent
from schemas import ContentInvalid, load_income_table
from schemas.codes import INCOME_SOURCES, SKIP_REASONS

# The schema's "none" says in so many words that a month has no reason to be skipped.
NO_REASON = "none"


class YearMonth(NamedTuple):
    """A calendar month; tuples order them in time."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> YearMonth:
        return cls(day.year, day.month)

    def shifted(self, months: int) -> YearMonth:
        """The month `months` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return YearMonth(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class IncomeMonth:
    """Gross income of one month in kronor (Decimal: derived pay may hold öre).

    `skip_reason` is one of the schema's reasons (sickness, child_care, parental_benefit,
    full_time_study, business) or None; the assessment uses it only when skipping helps.
    """

    year: int
    month: int
    amount: Decimal
    source: str
    skip_reason: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1–12, not {self.month}")
        if not self.amount.is_finite() or self.amount < 0:
            raise ValueError("income must be a finite amount, not negative")
        if self.source not in INCOME_SOURCES:
            raise ValueError(f"source must be one of {INCOME_SOURCES}")
        if self.skip_reason not in (None, *SKIP_REASONS):
            raise ValueError(f"skip_reason must be one of {SKIP_REASONS}")
        if self.skip_reason == NO_REASON:
            object.__setattr__(self, "skip_reason", None)

    @property
    def when(self) -> YearMonth:
        return YearMonth(self.year, self.month)

    def as_row(self) -> dict[str, Any]:
        """The row as the income table stores it: whole kronor, rounded half up."""
        row: dict[str, Any] = {
            "year": self.year,
            "month": self.month,
            "amount": int(self.amount.to_integral_value("ROUND_HALF_UP")),
            "source": self.source,
        }
        if self.skip_reason is not None:
            row["skip_reason"] = self.skip_reason
        return row


def income_months(rows: Any) -> tuple[IncomeMonth, ...]:
    """An income table (entered, imported or stored) checked by `load_income_table`.

    Raises InvalidContent with message keys per row index, duplicate months included.
    """
    try:
        table = load_income_table(rows)
    except ContentInvalid as invalid:
        raise InvalidContent(invalid.errors) from invalid
    return tuple(_month(row) for row in table)


def _month(row: Mapping[str, Any]) -> IncomeMonth:
    return IncomeMonth(
        year=row["year"],
        month=row["month"],
        amount=Decimal(row["amount"]),
        source=row["source"],
        skip_reason=row.get("skip_reason"),
    )


def by_month(months: Iterable[IncomeMonth]) -> dict[YearMonth, IncomeMonth]:
    """The months keyed by calendar month. Raises InvalidContent when a month comes twice,
    keyed by the later one's position as `load_income_table` reports it."""
    found: dict[YearMonth, IncomeMonth] = {}
    errors: dict[str | int, Any] = {}
    for index, month in enumerate(months):
        if month.when in found:
            errors[index] = {"month": ["duplicate_month"]}
        found.setdefault(month.when, month)
    if errors:
        raise InvalidContent(errors)
    return found
