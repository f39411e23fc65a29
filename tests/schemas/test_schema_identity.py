"""Personnummer, organisationsnummer and contact details: validation and normal forms."""

import pytest

from schemas import mask_personnummer, validate_organisationsnummer, validate_personnummer
from schemas.identity import normalise_phone, normalise_postal_code


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("191212121212", "191212121212"),
        ("19121212-1212", "191212121212"),
        ("19121212+1212", "191212121212"),
        (" 191212121212 ", "191212121212"),
        ("121212-1212", "201212121212"),  # ten digits: the most recent century
        ("121212+1212", "191212121212"),  # '+': a hundred years or more
        ("1212121212", "201212121212"),
        ("201212721219", "201212721219"),  # samordningsnummer: day 12 + 60
        ("121272-1219", "201212721219"),
    ],
)
def test_valid_personnummer_are_normalised_to_12_digits(given: str, normalised: str) -> None:
    assert validate_personnummer(given) == normalised


@pytest.mark.parametrize(
    "given",
    [
        "191212121213",  # check digit
        "19121312-1212",  # month 13
        "191212321212",  # day 32 (and not a samordningsnummer)
        "191212921212",  # day 92: beyond samordningsnummer
        "19121212121",  # 11 digits
        "1912121212123",  # 13 digits
        "19121212 1212",
        "19121212--1212",
        "abcdefghijkl",
        "",
    ],
)
def test_invalid_personnummer_are_refused(given: str) -> None:
    with pytest.raises(ValueError, match="personnummer"):
        validate_personnummer(given)


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("5599999991", "5599999991"),
        ("559999-9991", "5599999991"),
        (" 559999 9991 ", "5599999991"),
        ("165599999991", "5599999991"),  # AGI's "16" + orgnr
        ("191212121212", "1212121212"),  # sole trader: the owner's personnummer
        ("121212-1212", "1212121212"),
    ],
)
def test_valid_organisationsnummer(given: str, normalised: str) -> None:
    assert validate_organisationsnummer(given) == normalised


@pytest.mark.parametrize(
    "given",
    [
        "5599999992",  # check digit
        "5512121212",  # third digit >= 2 but fails Luhn
        "1213121212",  # third digit < 2: must be a personnummer, and is not
        "556016068",
        "55999999910",
        "556016-068O",
        "",
    ],
)
def test_invalid_organisationsnummer(given: str) -> None:
    with pytest.raises(ValueError, match=r"organisationsnummer|personnummer"):
        validate_organisationsnummer(given)


def test_masking_hides_the_last_four_digits() -> None:
    assert mask_personnummer("191212121212") == "121212-****"


@pytest.mark.parametrize("given", ["121212-1212", "1212121212", "19121212121a"])
def test_masking_takes_only_normalised_numbers(given: str) -> None:
    with pytest.raises(ValueError, match="12-digit"):
        mask_personnummer(given)


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("070-123 45 67", "0701234567"),
        ("+46 70 123 45 67", "0701234567"),
        ("+46 (0)70-123 45 67", "0701234567"),
        ("0046701234567", "0701234567"),
        ("+4670-1234567", "0701234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("08-12 34 56", "08123456"),
    ],
)
def test_phone_numbers_are_normalised(given: str, normalised: str) -> None:
    assert normalise_phone(given) == normalised


@pytest.mark.parametrize("given", ["070-123 45 6x", "123", "++46701234567", "070/1234567", ""])
def test_invalid_phone_numbers(given: str) -> None:
    with pytest.raises(ValueError, match="phone"):
        normalise_phone(given)


@pytest.mark.parametrize(("given", "normalised"), [("12345", "12345"), ("123 45", "12345")])
def test_postal_codes(given: str, normalised: str) -> None:
    assert normalise_postal_code(given) == normalised


@pytest.mark.parametrize("given", ["1234", "123456", "123  45", "12 345", "SE-12345", "abcde"])
def test_invalid_postal_codes(given: str) -> None:
    with pytest.raises(ValueError, match="postal code"):
        normalise_postal_code(given)
