"""Who signs on the test server: personal number checks, reserved numbers, and plausible test names.

Reserved personal numbers make the "app" fail in a chosen way, so demos and tests can show every
failure without waiting. They are born 1900-01-01 (no living person) and have valid checksums:

    190001010016  the user cancels in the app          -> failed/userCancel
    190001010024  the BankID is revoked or too old     -> failed/certificateErr
    190001010032  the app never starts                 -> failed/startFailed (at once)
    190001010040  the user never finishes              -> failed/expiredTransaction (at once)
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Final

USER_CANCEL: Final = "190001010016"
CERTIFICATE_ERR: Final = "190001010024"
START_FAILED: Final = "190001010032"
EXPIRED_TRANSACTION: Final = "190001010040"

RESERVED: Final[dict[str, str]] = {
    USER_CANCEL: "userCancel",
    CERTIFICATE_ERR: "certificateErr",
    START_FAILED: "startFailed",
    EXPIRED_TRANSACTION: "expiredTransaction",
}

# BankID's own well-known test person.
_KNOWN: Final[dict[str, tuple[str, str]]] = {"191212121212": ("Tolvan", "Tolvansson")}
_GIVEN_ODD: Final = ("Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Mikael")
_GIVEN_EVEN: Final = ("Anna", "Maria", "Eva", "Karin", "Kristina", "Lena", "Sara", "Emma")
_SURNAMES: Final = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
)


def is_valid_personal_number(value: str) -> bool:
    """12 digits YYYYMMDDNNNC, a real date (day + 60 for coordination numbers), Luhn checksum."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    day = int(value[6:8])
    try:
        date(int(value[:4]), int(value[4:6]), day - 60 if day > 60 else day)
    except ValueError:
        return False
    total = 0
    for index, char in enumerate(value[2:]):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def name_for(personal_number: str) -> tuple[str, str]:
    """(given name, surname): BankID's Tolvan for 191212121212, else stable per number.

    The given name follows the second-last digit: odd for men, even for women, as in real numbers.
    """
    if personal_number in _KNOWN:
        return _KNOWN[personal_number]
    digest = hashlib.sha256(personal_number.encode("ascii")).digest()
    given = _GIVEN_ODD if int(personal_number[10]) % 2 else _GIVEN_EVEN
    return given[digest[0] % len(given)], _SURNAMES[digest[1] % len(_SURNAMES)]


def split_name(full_name: str) -> tuple[str, str]:
    """A typed name as (given names, surname): the surname is the last word."""
    words = full_name.split()
    if len(words) < 2:
        raise ValueError("a name needs a given name and a surname")
    return " ".join(words[:-1]), words[-1]
