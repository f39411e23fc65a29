"""The texts of intake's own codes, in Swedish and English, free of Flask.

A code travels as a key (`"employer_mismatch"`, or `"too_large:1000"` with parameters after
colons) from the domain to every face: the form shows it by its field, the API as an RFC 9457
entry, SOAP in its answer, an import job in its problem list. Codes not listed here are the
payroll adapters' and the schemas' (`payroll_adapters.messages`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from payroll_adapters.messages import describe as describe_elsewhere
from schemas.messages import localize as localize_with

if TYPE_CHECKING:
    from app.intake.service import Result

CATALOG: Mapping[str, Mapping[str, str]] = {
    "employer_mismatch": {
        "sv": "Organisationsnumret hör till en annan arbetsgivare. Ett företag kan bara utfärda "
        "intyg i eget namn: ange företagets eget organisationsnummer.",
        "en": "The organisation number belongs to another employer. A company can only issue "
        "certificates in its own name: give the company's own organisation number.",
    },
    "income_not_accepted": {
        "sv": "Inkomsterna i posten har inte sparats med intyget: de hämtas från "
        "arbetsgivardeklarationerna (AGI).",
        "en": "The income in the record was not stored with the certificate: it is taken from "
        "the employer declarations (AGI).",
    },
    "record_locked": {
        "sv": "Intyget för den här posten är redan underskrivet och har inte ändrats. Gör "
        "ändringen i intyget i stället.",
        "en": "The certificate for this record is already signed and was not changed. Make the "
        "change in the certificate instead.",
    },
    "record_in_use": {
        "sv": "Samma post sparades samtidigt i ett annat anrop. Försök igen om en stund.",
        "en": "The same record was being saved by another call at the same time. Try again "
        "in a moment.",
    },
    # What became of a record, in the same words on every face.
    "outcome_created": {"sv": "Utkastet är sparat.", "en": "The draft is saved."},
    "outcome_updated": {"sv": "Utkastet är uppdaterat.", "en": "The draft is updated."},
    "outcome_unchanged": {
        "sv": "Oförändrat: intyget har redan de här uppgifterna.",
        "en": "Unchanged: the certificate already holds this information.",
    },
    # Import jobs as a whole.
    "import_crashed": {
        "sv": "Importen avbröts flera gånger utan att bli klar. Försök igen eller kontakta oss.",
        "en": "The import stopped several times without finishing. Try again or contact us.",
    },
    "import_internal_error": {
        "sv": "Importen stoppades av ett oväntat fel. Det som hann läsas in finns kvar; ladda "
        "upp filen igen för att fortsätta.",
        "en": "The import was stopped by an unexpected error. What was read is kept; upload "
        "the file again to continue.",
    },
}

_LOCALES = ("sv", "en")


def describe(code: str, params: Sequence[str], locale: str) -> str:
    """The text of `code` with its parameters in "sv" or "en" (or "sv_SE", "en-GB" ...)."""
    entry = CATALOG.get(code)
    if entry is None:
        return describe_elsewhere(code, params, locale)
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    if language not in _LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; use one of {_LOCALES}")
    return entry[language].format(*params)


def outcome_text(result: Result, locale: str) -> str:
    """What became of a record, in words: the reason when it was refused or left alone."""
    if result.errors:
        return "\n".join(describe_key(key, locale) for key in message_keys(result.errors))
    return describe(f"outcome_{result.outcome}", (), locale)


def message_keys(errors: Any) -> list[str]:
    """Every message key in a nested error structure, in order."""
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, Mapping):
        return [key for value in errors.values() for key in message_keys(value)]
    if isinstance(errors, list | tuple):
        return [key for value in errors for key in message_keys(value)]
    return []


def describe_key(key: str, locale: str) -> str:
    """The text of a key such as `"too_long:20"`."""
    code, *params = key.split(":")
    return describe(code, params, locale)


def localize(errors: Any, locale: str) -> Any:
    """Every key in a nested error structure (as `InvalidContent.errors`) as its text, from
    intake's catalogue and those it stands on."""
    return localize_with(errors, locale, describe_key)
