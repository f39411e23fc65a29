"""Swedish and English formats of what people read: one module, checked value by value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from schemas import formats

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "locale", "shown"),
    [
        ("32000.00", "sv", f"32{NBSP}000,00"),
        (Decimal("1234567.5"), "sv", f"1{NBSP}234{NBSP}567,50"),
        ("32000.00", "en", "32,000.00"),
        (0, "sv", "0,00"),
        ("-85.5", "sv", "-85,50"),
        ("not a number", "sv", "not a number"),
    ],
)
def test_amounts_have_thousands_separators_and_two_decimals(
    value: object, locale: str, shown: str
) -> None:
    assert formats.amount(value, locale) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "locale", "shown"),
    [
        ("168.00", "sv", "168"),
        ("37.50", "sv", "37,5"),
        ("7.25", "sv", "7,25"),
        ("37.50", "en", "37.5"),
        ("1744.00", "sv", f"1{NBSP}744"),
    ],
)
def test_hours_keep_the_decimals_they_have(value: str, locale: str, shown: str) -> None:
    assert formats.hours(value, locale) == shown


def test_dates_swedish_iso_and_english_words() -> None:
    assert formats.date(dt.date(2026, 6, 30), "sv") == "2026-06-30"
    assert formats.date("2026-06-30", "en") == "30 Jun 2026"
    assert formats.date("31/6", "sv") == "31/6"
    assert formats.period("2024-01-01", None, "sv") == "2024-01-01 –"
    assert formats.period("2024-01-01", "2024-12-31", "en") == "1 Jan 2024 – 31 Dec 2024"


def test_times_are_swedish_time_whatever_the_clock() -> None:
    summer = dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 1, 15, 8, 0, tzinfo=dt.UTC).replace(tzinfo=None)  # as stored
    assert formats.datetime(summer, "sv") == "2026-07-01 00:30"
    assert formats.datetime(summer, "sv", zone=True) == "2026-07-01 00:30 CEST"
    assert formats.datetime(winter, "sv", zone=True) == "2026-01-15 09:00 CET"
    assert formats.datetime(winter, "en") == "15 Jan 2026, 09:00"


def test_months_are_named() -> None:
    assert formats.month(2026, 6, "sv") == "juni 2026"
    assert formats.month(2026, 6, "en_GB") == "June 2026"


def test_identity_numbers() -> None:
    assert formats.organisation_number("5599999991") == "559999-9991"
    assert formats.organisation_number("165599999991") == "559999-9991"
    assert formats.organisation_number("559999-9991") == "559999-9991"
    assert formats.personnummer("191212121212") == "19121212-1212"
    assert formats.masked_personnummer("191212121212") == "121212-****"
    assert formats.masked_personnummer("121212-1212") == "121212-****"


def test_locale_names() -> None:
    assert formats.language("en_GB") == "en"
    assert formats.language("sv-SE") == "sv"
    assert formats.language(None) == "sv"


def test_kronor_in_running_text() -> None:
    assert formats.kronor(31000, "sv") == f"31{NBSP}000{NBSP}kr"
    assert formats.kronor("1234.50", "sv") == f"1{NBSP}234,50{NBSP}kr"
    assert formats.kronor(31000, "en") == f"31,000{NBSP}kr"


@pytest.mark.parametrize(
    ("value", "locale", "shown"),
    [
        ("100.00", "sv", "100"),
        ("158.50", "sv", "158,5"),
        ("158.50", "en", "158.5"),
        ("34500.00", "sv", "34500"),  # no separator to trip over when it is typed again
        ("7.25", "sv", "7,25"),
        ("12.345", "sv", "12.345"),  # more decimals than allowed: left for the person to fix
        ("34 500", "sv", "34 500"),
        ("tio", "sv", "tio"),
        ("", "sv", ""),
    ],
)
def test_numbers_in_a_form_field_as_a_person_types_them(
    value: str, locale: str, shown: str
) -> None:
    assert formats.typed(value, locale) == shown
