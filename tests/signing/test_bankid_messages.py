"""Which recommended message (RFA) the user sees, and the texts themselves, word for word."""

from __future__ import annotations

import pytest

from signing.bankid.messages import (
    RFA_TEXTS,
    error_message,
    rfa_for_error,
    rfa_for_status,
    text,
    user_message,
)

# BankID's Swedish texts (developers.bankid.com, user messages), pinned so no edit drifts from them.
SWEDISH = {
    "RFA1": "Starta BankID-appen.",
    "RFA3": "Åtgärden avbröts. Försök igen.",
    "RFA4": "En identifiering eller underskrift pågår redan för ditt personnummer. Försök igen.",
    "RFA5": "Något gick fel. Försök igen.",
    "RFA6": "Åtgärden avbröts.",
    "RFA8": (
        "BankID-appen svarar inte. Kontrollera att den är startad och att du har"
        " internetanslutning. Försök sedan igen."
    ),
    "RFA9": "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.",
    "RFA13": "Försöker starta BankID-appen.",
    "RFA15A": (
        "Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här datorn. Om du har"
        " ett BankID på kort, sätt in kortet i kortläsaren."
    ),
    "RFA15B": "Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här enheten.",
    "RFA16": (
        "Ditt BankID är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett nytt"
        " hos din bank."
    ),
    "RFA17A": (
        "Du verkar inte ha BankID-appen/programmet. Installera den och skaffa ett BankID hos din"
        " bank."
    ),
    "RFA17B": "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden.",
    "RFA21": "En identifiering eller underskrift pågår.",
    "RFA22": "Något gick fel. Försök igen.",
    "RFA23": "Fotografera och läs av din ID-handling med BankID-appen.",
}


@pytest.mark.parametrize("rfa", sorted(SWEDISH))
def test_swedish_text_is_bankids(rfa: str) -> None:
    assert text(rfa, "sv") == SWEDISH[rfa]


@pytest.mark.parametrize("rfa", sorted(SWEDISH))
def test_every_message_has_an_english_text(rfa: str) -> None:
    english = text(rfa, "en-GB")
    assert english
    assert english != SWEDISH[rfa]


def test_the_list_is_exactly_the_messages_named_in_the_design() -> None:
    assert set(RFA_TEXTS) == set(SWEDISH)


def test_unknown_locales_get_swedish() -> None:
    assert text("RFA1", "de") == "Starta BankID-appen."
    assert text("RFA1", "EN") == "Start your BankID app."


@pytest.mark.parametrize(
    ("hint_code", "qr_shown", "rfa"),
    [
        ("outstandingTransaction", True, "RFA1"),
        ("outstandingTransaction", False, "RFA13"),
        ("noClient", True, "RFA1"),
        ("started", False, "RFA15B"),
        ("userMrtd", True, "RFA23"),
        ("userSign", True, "RFA9"),
        ("userCallConfirm", False, "RFA21"),
        ("aCodeBankIdAddsNextYear", True, "RFA21"),
        (None, True, "RFA21"),
    ],
)
def test_pending_hint_codes(hint_code: str | None, qr_shown: bool, rfa: str) -> None:
    assert rfa_for_status("pending", hint_code, qr_shown=qr_shown) == rfa


@pytest.mark.parametrize(
    ("hint_code", "qr_shown", "rfa"),
    [
        ("expiredTransaction", True, "RFA8"),
        ("certificateErr", True, "RFA16"),
        ("userCancel", True, "RFA6"),
        ("userDeclinedCall", False, "RFA6"),
        ("cancelled", True, "RFA3"),
        ("startFailed", True, "RFA17B"),
        ("startFailed", False, "RFA17A"),
        ("notSupportedByUserApp", True, "RFA22"),
        ("transactionRiskBlocked", True, "RFA22"),
        ("somethingNew", False, "RFA22"),
    ],
)
def test_failed_hint_codes(hint_code: str, qr_shown: bool, rfa: str) -> None:
    assert rfa_for_status("failed", hint_code, qr_shown=qr_shown) == rfa


@pytest.mark.parametrize(
    ("error_code", "rfa"),
    [
        ("alreadyInProgress", "RFA4"),
        ("internalError", "RFA5"),
        ("maintenance", "RFA5"),
        ("Maintenance", "RFA5"),
        ("requestTimeout", "RFA5"),
        ("transport", "RFA5"),
        ("invalidParameters", "RFA22"),
        ("unauthorized", "RFA22"),
        ("notFound", "RFA22"),
        ("tooManyRequests", "RFA22"),
        ("neverSeenBefore", "RFA22"),
    ],
)
def test_error_codes(error_code: str, rfa: str) -> None:
    assert rfa_for_error(error_code) == rfa


def test_user_message_and_error_message_give_the_text() -> None:
    assert user_message("pending", "userSign", qr_shown=True) == SWEDISH["RFA9"]
    assert user_message("failed", "userCancel", qr_shown=True, locale="en") == (
        "The action was cancelled."
    )
    assert error_message("alreadyInProgress") == SWEDISH["RFA4"]


def test_a_complete_order_has_no_message() -> None:
    with pytest.raises(ValueError, match="complete"):
        rfa_for_status("complete", None, qr_shown=True)
