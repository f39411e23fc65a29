"""Numbers, dates and identity numbers as a person reads them, in Swedish or English (Babel).

One place for every format, so pages, the change list, e-mails and the PDF agree: amounts with
thousands separators and two decimals ("32 000,00"), hours with at most two decimals ("37,5"),
dates as Swedes write them ("2026-06-30") or as the English do ("30 Jun 2026"), times in Swedish
time whatever the server's clock, organisationsnummer as NNNNNN-NNNN and personnummer masked one
way. Stored and sealed data keep their machine forms (ISO dates, UTC, plain decimals); only what
a person reads passes through here. Knows nothing of Flask: the locale is an argument.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Final
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

SWEDISH_TIME: Final = ZoneInfo("Europe/Stockholm")
# Babel's plain "en" is American (6/30/26, 2:05 PM); Intyga's English readers are in Europe.
# Parsed once: a list page formats a hundred dates, and Babel parses a locale name on each call.
_BABEL_LOCALES: Final = {"sv": Locale.parse("sv_SE"), "en": Locale.parse("en_GB")}
_DATE_FORMATS: Final = {"sv": "yyyy-MM-dd", "en": "d MMM y"}
_TIME_FORMATS: Final = {"sv": "yyyy-MM-dd HH:mm", "en": "d MMM y, HH:mm"}


def language(locale: str | None) -> str:
    """ "sv" or "en" for any locale name ("en_GB", "sv-SE", None)."""
    return "en" if (locale or "").lower().startswith("en") else "sv"


def babel_locale(locale: str | None) -> Locale:
    return _BABEL_LOCALES[language(locale)]


def number(
    value: decimal.Decimal | float | int | str, locale: str = "sv", *, places: int = 2
) -> str:
    """A number with thousands separators and exactly `places` decimals: 32 000,00 / 32,000.00.
    Text that is not a number is returned as it is."""
    parsed = _decimal(value)
    if parsed is None:
        return str(value)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(parsed, pattern, locale=babel_locale(locale))


def amount(value: decimal.Decimal | float | int | str, locale: str = "sv") -> str:
    """Kronor as on a payslip: 32 000,00."""
    return number(value, locale, places=2)


def kronor(value: decimal.Decimal | float | int | str, locale: str = "sv") -> str:
    """A sum of money in running text: 31 000 kr, öre only when there are any (1 234,50 kr).
    The unit keeps to its number (a no-break space): "kr" alone at a line's start misleads."""
    parsed = _decimal(value)
    if parsed is None:
        return str(value)
    return f"{number(parsed, locale, places=0 if parsed == parsed.to_integral() else 2)}\u00a0kr"


def hours(value: decimal.Decimal | float | int | str, locale: str = "sv") -> str:
    """Hours with the decimals they have, at most two: 168, 37,5, 7,25."""
    parsed = _decimal(value)
    if parsed is None:
        return str(value)
    return format_decimal(parsed, "#,##0.##", locale=babel_locale(locale))


def typed(value: str, locale: str = "sv") -> str:
    """A number as one types it into a form field: no thousands separators, the decimals it has
    (none for "100.00"), a decimal comma in Swedish: 158,5 / 100. Text that is not such a
    number, or has more than two decimals, is returned as it is: what a person typed and must
    correct is never changed under their eyes."""
    parsed = _decimal(value)
    exponent = parsed.normalize().as_tuple().exponent if parsed is not None else None
    if parsed is None or not isinstance(exponent, int) or exponent < -2:
        return value
    return format_decimal(parsed, "0.##", locale=babel_locale(locale))


def date(value: dt.date | str, locale: str = "sv") -> str:
    """2026-06-30 in Swedish, 30 Jun 2026 in English; an ISO string is read first."""
    parsed = _date(value)
    if parsed is None:
        return str(value)
    return format_date(parsed, _DATE_FORMATS[language(locale)], locale=babel_locale(locale))


def period(start: dt.date | str | None, end: dt.date | str | None, locale: str = "sv") -> str:
    """A date range; an open end is left open ("2024-01-01 –")."""
    first = date(start, locale) if start else ""
    last = date(end, locale) if end else ""
    return f"{first} – {last}".strip()


def datetime(value: dt.datetime, locale: str = "sv", *, zone: bool = False) -> str:
    """A moment in Swedish time (naive values are UTC, as the database stores them);
    `zone` adds the zone's abbreviation (CET/CEST) where the reader may be elsewhere."""
    moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    text = format_datetime(
        moment, _TIME_FORMATS[language(locale)], tzinfo=SWEDISH_TIME, locale=babel_locale(locale)
    )
    if zone:
        text += " " + format_datetime(moment, "z", tzinfo=SWEDISH_TIME, locale="en_GB")
    return text


def month(year: int, month_number: int, locale: str = "sv") -> str:
    """juni 2026 / June 2026."""
    return format_date(dt.date(year, month_number, 1), "LLLL y", locale=babel_locale(locale))


def organisation_number(value: str) -> str:
    """556677-8899: the ten digits with the hyphen every Swede expects."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else value


def personnummer(value: str) -> str:
    """19121212-1212: a stored 12-digit personnummer in full, where the reader may see it."""
    return f"{value[:8]}-{value[8:]}" if re.fullmatch(r"\d{12}", value) else value


def masked_personnummer(value: str) -> str:
    """121212-****: the one way a personnummer is shown without its last four digits."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 12:
        digits = digits[2:]
    return f"{digits[:6]}-****" if len(digits) == 10 else value


def _decimal(value: decimal.Decimal | float | int | str) -> decimal.Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        parsed = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def _date(value: dt.date | str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
