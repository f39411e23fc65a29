"""The income table kept next to a certificate: gross income per month and where it came from.

It is context for the 2025 rules (rules-2025.md), not part of what the employer signs, and has
no counterpart in the SOAP service: its element names are Intyga's own.
"""

from collections.abc import Sequence
from typing import Any

from marshmallow import ValidationError, validates_schema

from schemas import fields as f
from schemas.base import ContentInvalid, ContentSchema, Problems, errors_of
from schemas.codes import INCOME_SOURCES, SKIP_REASONS
from schemas.messages import msg


class IncomeMonthSchema(ContentSchema):
    """One month: income in whole kronor, its source, and why it may be skipped."""

    year = f.whole("Ar", 1900, 2100, required=True, extension=True)
    month = f.whole("Manad", 1, 12, required=True, extension=True)
    amount = f.whole("Inkomst", 0, None, required=True, extension=True)
    source = f.choice("Kalla", INCOME_SOURCES, required=True, extension=True)
    skip_reason = f.choice("Overhoppningsorsak", SKIP_REASONS, extension=True)


class _IncomeTableSchema(IncomeMonthSchema):
    """The rows together: each month once."""

    @validates_schema(pass_collection=True, skip_on_field_errors=False)
    def _months_unique(self, rows: Sequence[dict[str, Any]], **_: Any) -> None:
        problems = Problems()
        seen: set[tuple[int, int]] = set()
        for index, row in enumerate(rows):
            if "year" in row and "month" in row:
                if (row["year"], row["month"]) in seen:
                    problems.add(msg("duplicate_month"), index, "month")
                seen.add((row["year"], row["month"]))
        problems.raise_any()


_TABLE = _IncomeTableSchema(many=True)


def load_income_table(rows: Any) -> list[dict[str, Any]]:
    """Validate an income table and return its months in calendar order.

    Raises ContentInvalid with errors keyed by row index.
    """
    if not isinstance(rows, list | tuple):
        raise ContentInvalid({"_schema": [msg("not_list")]})
    try:
        loaded = _TABLE.load(rows)
    except ValidationError as error:
        raise ContentInvalid(errors_of(error)) from error
    table: list[dict[str, Any]] = _TABLE.dump(loaded)
    return sorted(table, key=lambda row: (row["year"], row["month"]))
