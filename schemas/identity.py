"""Swedish identity numbers and contact details: validation and the one normal form we store."""

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from personnummer import personnummer
from stdnum.se import orgnr

from schemas.formats import masked_personnummer
from schemas.messages import msg

_PERSONNUMMER = re.compile(r"(\d{6}|\d{8})([-+]?)(\d{4})")
_SWEDEN = ZoneInfo("Europe/Stockholm")
_POSTAL_CODE = re.compile(r"(\d{3}) ?(\d{2})")
_PHONE = re.compile(r"\+?\d{7,}")
_PHONE_NOISE = re.compile(r"[\s\-()]")


def validate_personnummer(value: str, *, today: dt.date | None = None) -> str:
    """Return the 12-digit form of a personnummer or samordningsnummer (day + 60).

    Accepts 10 or 12 digits, with or without '-' or '+'. A 10-digit number gets its century by
    Skatteverket's rule (folkbokföringsförordningen and SKV 704): the person is under 100 on
    `today` unless the separator is '+', which marks 100 or older. Raises ValueError.
    """
    candidate = value.strip()
    match = _PERSONNUMMER.fullmatch(candidate)
    if match is None:
        raise ValueError("a personnummer has 10 or 12 digits")
    born, separator, serial = match.groups()
    if len(born) == 6:
        born = _with_century(born, separator == "+", today or dt.datetime.now(_SWEDEN).date())
    try:
        parsed = personnummer.parse(born + serial)
    except personnummer.PersonnummerException as error:
        raise ValueError("not a valid personnummer or samordningsnummer") from error
    return str(parsed.format(long_format=True))


def _with_century(yymmdd: str, hundred_or_older: bool, today: dt.date) -> str:
    """The birth date with its century: the latest one that does not put the birth after
    `today`, a hundred years earlier for '+'. A samordningsnummer's day is 60 more."""
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    day = day - 60 if day > 60 else day
    full = today.year - (today.year - year) % 100
    if (full, month, day) > (today.year, today.month, today.day):
        full -= 100
    if hundred_or_older:
        full -= 100
    return f"{full // 100:02d}{yymmdd}"


def century_assumed(value: str) -> int | None:
    """The birth year a 10-digit personnummer was given by the century rule, or None when the
    number had all 12 digits (or is not a personnummer at all)."""
    match = _PERSONNUMMER.fullmatch(value.strip())
    if match is None or len(match.group(1)) != 6:
        return None
    try:
        return int(validate_personnummer(value)[:4])
    except ValueError:
        return None


def identity_warnings(raw: Mapping[str, Any]) -> list[str]:
    """Warnings about how the employee was identified in raw certificate content: the century of
    a 10-digit personnummer had to be assumed. Message keys, as `content_warnings` gives."""
    employee = raw.get("employee")
    number = employee.get("personnummer") if isinstance(employee, Mapping) else None
    year = century_assumed(number) if isinstance(number, str) else None
    return [msg("century_assumed", year)] if year is not None else []


def validate_organisationsnummer(value: str) -> str:
    """Return the 10-digit organisationsnummer, or a sole trader's personnummer in 10 digits.

    Legal persons have a third digit of 2 or more and a Luhn check digit; a lower third digit can
    only be a month, so the number must then be the owner's personnummer. The 12-digit form
    "16" + number used in employer declarations (AGI) is accepted too. Raises ValueError.
    """
    digits = re.sub(r"[\s-]", "", value)
    if re.fullmatch(r"16\d{10}", digits):
        digits = digits[2:]
    if re.fullmatch(r"\d{10}", digits) and int(digits[2]) >= 2:
        if not orgnr.is_valid(digits):
            raise ValueError("organisationsnummer fails its check digit")
        return digits
    return validate_personnummer(digits)[2:]


def mask_personnummer(pnr12: str) -> str:
    """Show a stored 12-digit personnummer in lists without its last four digits."""
    if not re.fullmatch(r"\d{12}", pnr12):
        raise ValueError("expected a normalised 12-digit personnummer")
    return masked_personnummer(pnr12)


def normalise_phone(value: str) -> str:
    """Drop spaces, dashes and brackets and write +46/0046 as a leading 0. Raises ValueError.

    Payroll files write one number in many ways; the 15-character limit applies to this form.
    """
    compact = _PHONE_NOISE.sub("", value)
    for prefix in ("+46", "0046"):
        if compact.startswith(prefix):
            compact = "0" + compact.removeprefix(prefix).removeprefix("0")
            break
    if not _PHONE.fullmatch(compact):
        raise ValueError("a phone number is digits, optionally after a leading '+'")
    return compact


def normalise_postal_code(value: str) -> str:
    """Return five digits from '12345' or '123 45'. Raises ValueError."""
    match = _POSTAL_CODE.fullmatch(value.strip())
    if match is None:
        raise ValueError("a Swedish postal code has five digits")
    return match.group(1) + match.group(2)
