"""Reading the scalar values payroll files write: dates or date-times, decimals, flags.

Strict patterns on purpose: a mutated or hostile file must yield a problem, never a huge
number or an exception from deep inside `decimal`.
"""

import datetime as dt
import decimal
import re

_DATE_OR_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
# xs:decimal: any number of decimals, "5." and ".5" included (exports write "6.01666666666667").
# Thirty decimals are far beyond any payroll figure and still cheap to read.
_DECIMAL = re.compile(r"[+-]?(?:\d{1,12}(?:[.,]\d{0,30})?|[.,]\d{1,30})")
_WHOLE = re.compile(r"[+-]?\d{1,12}")
_TRUE = ("true", "1")
_FALSE = ("false", "0")


def date_part(value: str) -> str | None:
    """The YYYY-MM-DD of an xs:date or xs:dateTime, or None when it is neither."""
    match = _DATE_OR_DATETIME.fullmatch(value.strip())
    return match.group(1) if match else None


def to_date(value: str) -> dt.date | None:
    """A real calendar date from an xs:date or xs:dateTime, else None."""
    day = date_part(value)
    if day is None:
        return None
    try:
        return dt.date.fromisoformat(day)
    except ValueError:
        return None


def to_datetime(value: str) -> dt.datetime | None:
    """An xs:dateTime (a bare date means midnight), else None."""
    if to_date(value) is None:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def to_decimal(value: str) -> decimal.Decimal | None:
    """A decimal written with point or comma and spaces between thousands, else None."""
    compact = re.sub(r"\s", "", value)
    if not _DECIMAL.fullmatch(compact):
        return None
    return decimal.Decimal(compact.replace(",", "."))


def to_whole(value: str) -> int | None:
    """A whole number (amounts in kronor, specification numbers), else None."""
    compact = value.strip()
    return int(compact) if _WHOLE.fullmatch(compact) else None


def to_flag(value: str) -> bool | str:
    """xs:boolean as a bool; anything else unchanged, for the schema to judge."""
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    return value
