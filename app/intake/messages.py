"""The texts of intake's own codes, in Swedish and English, free of Flask.

A code travels as a key (`"employer_mismatch"`, or `"too_large:1000"` with parameters after
colons) from the domain to every face: the form shows it by its field, the API as an RFC 9457
entry, SOAP in its answer, an import job in its problem list. Codes not listed here are the
payroll adapters' and the schemas' (`payroll_adapters.messages`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from payroll_adapters.messages import describe as describe_elsewhere

CATALOG: Mapping[str, Mapping[str, str]] = {
    "employer_mismatch": {
        "sv": "Organisationsnumret hör till en annan arbetsgivare. Ett företag kan bara utfärda "
        "intyg i eget namn: ange företagets eget organisationsnummer.",
        "en": "The organisation number belongs to another employer. A company can only issue "
        "certificates in its own name: give the company's own organisation number.",
    },
    "income_not_accepted": {
        "sv": "Inkomster tas inte emot med intyget: de hämtas från arbetsgivardeklarationerna "
        "(AGI).",
        "en": "Income is not accepted with the certificate: it is taken from the employer "
        "declarations (AGI).",
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


def describe_key(key: str, locale: str) -> str:
    """The text of a key such as `"too_long:20"`."""
    code, *params = key.split(":")
    return describe(code, params, locale)


def localize(errors: Any, locale: str) -> Any:
    """Every key in a nested error structure (as `InvalidContent.errors`) as its text."""
    if isinstance(errors, str):
        return describe_key(errors, locale)
    if isinstance(errors, Mapping):
        return {name: localize(value, locale) for name, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [localize(item, locale) for item in errors]
    raise TypeError(f"cannot localise {type(errors).__name__}")
