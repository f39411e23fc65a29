"""BankID's recommended user messages ("RFA"), and which to show for a collect answer or an error.

Users recognise these texts from every other BankID service, and they reveal nothing about our
system, so we show them instead of raw codes. Texts are BankID's own, word for word, from
developers.bankid.com (UI resources, user messages), except: BankID's RFA15B has the typo "gitligt"
(corrected here) and its English RFA23 reads "you ID document" (corrected). Unknown hint codes are
normal (BankID adds codes): they give RFA21 while pending and RFA22 once failed.
"""

from __future__ import annotations

from typing import Final, Literal

Locale = Literal["sv", "en"]

RFA_TEXTS: Final[dict[str, dict[Locale, str]]] = {
    "RFA1": {"sv": "Starta BankID-appen.", "en": "Start your BankID app."},
    "RFA3": {
        "sv": "Åtgärden avbröts. Försök igen.",
        "en": "The action was cancelled. Please try again.",
    },
    "RFA4": {
        "sv": "En identifiering eller underskrift pågår redan för ditt personnummer. Försök igen.",
        "en": (
            "An identification or signature is already in progress for your personal identity"
            " number. Please try again."
        ),
    },
    "RFA5": {"sv": "Något gick fel. Försök igen.", "en": "Something went wrong. Please try again."},
    "RFA6": {"sv": "Åtgärden avbröts.", "en": "The action was cancelled."},
    "RFA8": {
        "sv": (
            "BankID-appen svarar inte. Kontrollera att den är startad och att du har"
            " internetanslutning. Försök sedan igen."
        ),
        "en": (
            "The BankID app is not responding. Please check that it’s started and that you have"
            " internet access. Try again."
        ),
    },
    "RFA9": {
        "sv": "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.",
        "en": "Enter your security code in the BankID app and select Identify or Sign.",
    },
    "RFA13": {"sv": "Försöker starta BankID-appen.", "en": "Trying to start your BankID app."},
    "RFA15A": {
        "sv": (
            "Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här datorn. Om du"
            " har ett BankID på kort, sätt in kortet i kortläsaren."
        ),
        "en": (
            "Searching for BankID. Make sure you have a valid BankID on this computer. If you have"
            " a BankID on card, please insert the card into your card reader."
        ),
    },
    "RFA15B": {
        "sv": "Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här enheten.",
        "en": "Searching for BankID. Make sure you have a valid BankID on this device.",
    },
    "RFA16": {
        "sv": (
            "Ditt BankID är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett"
            " nytt hos din bank."
        ),
        "en": (
            "Your BankID is blocked or too old. Please use another BankID or get a new one from"
            " your bank."
        ),
    },
    "RFA17A": {
        "sv": (
            "Du verkar inte ha BankID-appen/programmet. Installera den och skaffa ett BankID hos"
            " din bank."
        ),
        "en": (
            "You don't seem to have the BankID app/program. Please install it and get a BankID"
            " from your bank."
        ),
    },
    "RFA17B": {
        "sv": "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden.",
        "en": "Failed to scan the QR code. Start the BankID app and scan the QR code.",
    },
    "RFA21": {
        "sv": "En identifiering eller underskrift pågår.",
        "en": "An identification or signing is in progress.",
    },
    "RFA22": {
        "sv": "Något gick fel. Försök igen.",
        "en": "Something went wrong. Please try again.",
    },
    "RFA23": {
        "sv": "Fotografera och läs av din ID-handling med BankID-appen.",
        "en": "Take a photo of, and scan, your ID document with the BankID app.",
    },
}

_PENDING: Final[dict[str, str]] = {
    "noClient": "RFA1",
    # BankID's A text is for BankID on card in a computer; we cannot tell the device, B fits both.
    "started": "RFA15B",
    "userMrtd": "RFA23",
    "userSign": "RFA9",
}
_FAILED: Final[dict[str, str]] = {
    "expiredTransaction": "RFA8",
    "certificateErr": "RFA16",
    "userCancel": "RFA6",
    "userDeclinedCall": "RFA6",
    "cancelled": "RFA3",
}
_ERRORS: Final[dict[str, str]] = {
    "alreadyinprogress": "RFA4",
    "requesttimeout": "RFA5",
    "internalerror": "RFA5",
    "maintenance": "RFA5",
    "transport": "RFA5",
}


def rfa_for_status(status: str, hint_code: str | None, *, qr_shown: bool) -> str:
    """The RFA id for a pending or failed collect answer.

    `qr_shown`: the user was shown the QR code (another device) rather than an autostart link,
    which changes the text for `outstandingTransaction` and `startFailed`.
    """
    code = hint_code or ""
    if status == "pending":
        if code == "outstandingTransaction":
            return "RFA1" if qr_shown else "RFA13"
        return _PENDING.get(code, "RFA21")
    if status == "complete":
        raise ValueError("a complete order has no user message")
    if code == "startFailed":
        return "RFA17B" if qr_shown else "RFA17A"
    return _FAILED.get(code, "RFA22")


def rfa_for_error(error_code: str) -> str:
    """The RFA id for an errorCode (or `transport` when BankID could not be reached)."""
    return _ERRORS.get(error_code.lower(), "RFA22")


def text(rfa: str, locale: str = "sv") -> str:
    """The text of an RFA message; English for locales starting with "en", otherwise Swedish."""
    return RFA_TEXTS[rfa]["en" if locale.lower().startswith("en") else "sv"]


def user_message(status: str, hint_code: str | None, *, qr_shown: bool, locale: str = "sv") -> str:
    """What to tell the user about a pending or failed order."""
    return text(rfa_for_status(status, hint_code, qr_shown=qr_shown), locale)


def error_message(error_code: str, *, locale: str = "sv") -> str:
    """What to tell the user when a call to BankID failed with `error_code`."""
    return text(rfa_for_error(error_code), locale)
