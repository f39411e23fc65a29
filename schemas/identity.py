"""Swedish identity numbers and contact details: validation and the one normal form we store."""

import re

from personnummer import personnummer
from stdnum.se import orgnr

from schemas.formats import masked_personnummer

_PERSONNUMMER = re.compile(r"(\d{6}|\d{8})[-+]?\d{4}")
_POSTAL_CODE = re.compile(r"(\d{3}) ?(\d{2})")
_PHONE = re.compile(r"\+?\d{7,}")
_PHONE_NOISE = re.compile(r"[\s\-()]")


def validate_personnummer(value: str) -> str:
    """Return the 12-digit form of a personnummer or samordningsnummer (day + 60).

    Accepts 10 or 12 digits, with or without '-' or '+' ('+' marks a 10-digit number of someone
    100 or older). Raises ValueError.
    """
    candidate = value.strip()
    if not _PERSONNUMMER.fullmatch(candidate):
        raise ValueError("a personnummer has 10 or 12 digits")
    try:
        parsed = personnummer.parse(candidate)
    except personnummer.PersonnummerException as error:
        raise ValueError("not a valid personnummer or samordningsnummer") from error
    return str(parsed.format(long_format=True))


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
