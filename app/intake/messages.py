"""The texts of intake's own codes, in Swedish and English, free of Flask.

A code travels as a key (`"employer_mismatch"`, or `"too_large:1000"` with parameters after
colons) from the domain to every face: the form shows it by its field, the API as an RFC 9457
entry, SOAP in its answer, an import job in its problem list. Codes not listed here are the
payroll adapters' and the schemas' (`payroll_adapters.messages`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from payroll_adapters.messages import describe as describe_elsewhere
from schemas.labels import FIELD_LABELS, field_label
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
    "income_employer_mismatch": {
        "sv": "Inkomstuppgiften är lämnad av en annan arbetsgivare. Ett företag kan bara läsa in "
        "inkomstuppgifter från sina egna arbetsgivardeklarationer: kontrollera att filen är "
        "företagets egen.",
        "en": "The income statement was filed by another employer. A company can only import "
        "income statements from its own employer declarations: check that the file is the "
        "company's own.",
    },
    "employment_id_unknown": {
        "sv": "Anställningsnumret {0} finns inte i företagets register, och filen anger inget "
        "personnummer. Lägg till numret under Företagets uppgifter → Anställningsnummer, eller "
        "exportera filen med personnummer.",
        "en": "The employment number {0} is not in the company's register, and the file gives "
        "no personal identity number. Add the number under Company details → Employment "
        "numbers, or export the file with personal identity numbers.",
    },
    "employment_number_taken": {
        "sv": "Anställningsnumret finns redan i registret. Ändra det i stället.",
        "en": "The employment number is already in the register. Change it instead.",
    },
    "import_stopped": {
        "sv": "Filen kunde inte läsas till slut. Problemet som stoppade den står bland problemen.",
        "en": "The file could not be read to its end. The problem that stopped it is listed "
        "among the problems.",
    },
    "nothing_importable": {
        "sv": "Filen innehöll inget som kunde läsas in: inget utkast och ingen inkomstuppgift "
        "kunde sparas. Problemen nedan säger vad som saknas eller är fel.",
        "en": "The file held nothing that could be imported: no draft and no income statement "
        "could be stored. The problems below say what is missing or wrong.",
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

# Codes that say a value is missing: "Personnummer saknas för person 1."
_MISSING = frozenset({"required", "null", "personnummer_required"})
# Labels that only mean something beside their block's: "Anställningstid, till och med".
_PARTIAL = frozenset({"start", "end", "year", "month", "period", "amount", "reason", "percent"})
# AGI's individual statement, by the field codes of Skatteverket's technical description.
_AGI_FIELDS = {
    "personnummer": ("Personnummer (fält 215)", "Personal identity number (field 215)"),
    "employer": ("Arbetsgivarens registreringsnummer (fält 201)", "Employer's number (field 201)"),
    "period": ("Redovisningsperiod (fält 006)", "Reporting period (field 006)"),
    "specification_number": ("Specifikationsnummer (fält 570)", "Specification number (field 570)"),
}


# Fields of a payroll record that are not the certificate's own.
_OTHER_FIELDS = {
    "variant": ("Intygets variant (full eller income_2025)", "The certificate's variant"),
    "income": ("Inkomst", "Income"),
    "income.year": ("Inkomst, år", "Income, year"),
    "income.month": ("Inkomst, månad", "Income, month"),
    "income.amount": ("Inkomst, belopp (kr)", "Income, amount (SEK)"),
}


@dataclass(frozen=True)
class _Record:
    pattern: re.Pattern[str]
    noun: tuple[str, str]  # "person {0}", "person {0}"
    place: tuple[str, str]  # "för person {0}", "for person {0}"
    first: int = 1  # what the pointer's first index is counted as


# Where in a file a problem is, as people count: XML positions from 1, JSON from 0.
_RECORDS = (
    _Record(re.compile(r"^/paxml/header"), ("filens huvud", "the file's header"),
            ("i filens huvud", "in the file's header")),
    _Record(re.compile(r"/person\[(\d+)\]"), ("person {0}", "person {0}"),
            ("för person {0}", "for person {0}")),
    _Record(re.compile(r"/tidtrans\[(\d+)\]"), ("tidtransaktion {0}", "time transaction {0}"),
            ("i tidtransaktion {0}", "in time transaction {0}")),
    _Record(re.compile(r"/lonetrans\[(\d+)\]"), ("lönetransaktion {0}", "pay transaction {0}"),
            ("i lönetransaktion {0}", "in pay transaction {0}")),
    _Record(re.compile(r"/lonebesked\[(\d+)\]"), ("lönebesked {0}", "payslip {0}"),
            ("i lönebesked {0}", "in payslip {0}")),
    _Record(re.compile(r"^/Skatteverket/Blankett\[(\d+)\]"), ("blankett {0}", "form {0}"),
            ("i blankett {0}", "in form {0}")),
    _Record(re.compile(r"/ApiCertifikat\[(\d+)\]"), ("intyg {0}", "certificate {0}"),
            ("i intyg {0}", "in certificate {0}")),
    _Record(re.compile(r"^#(?:cell|row)=(\d+)"), ("rad {0}", "row {0}"),
            ("på rad {0}", "in row {0}")),
    _Record(re.compile(r"^(?:/certificates)?/(\d+)(?=/|$)"), ("intyg {0}", "certificate {0}"),
            ("i intyg {0}", "in certificate {0}"), first=0),
)  # fmt: skip


def _language(locale: str) -> int:
    return 1 if locale.lower().startswith("en") else 0


def record_in(pointer: str, locale: str) -> tuple[str, str] | None:
    """(noun, place) of the record a pointer lies in: ("person 3", "för person 3")."""
    language = _language(locale)
    for record in _RECORDS:
        found = record.pattern.search(pointer or "")
        if found is not None:
            number = [str(int(found.group(1)) + 1 - record.first)] if found.groups() else []
            return record.noun[language].format(*number), record.place[language].format(*number)
    return None


def field_name(path: str | None, locale: str, *, agi: bool = False) -> str | None:
    """A content field (or an AGI field) in plain words, with its row in a table; a path we
    have no word for is named as the sender wrote it. None without a path. `agi`: the path
    is an AGI individual statement's field ("employer" is then field 201, not block B)."""
    if not path:
        return None
    language = _language(locale)
    if agi and path in _AGI_FIELDS:
        return _AGI_FIELDS[path][language]
    if agi and path.startswith("field_"):
        return ("Fält {0}", "Field {0}")[language].format(path.removeprefix("field_"))
    parts = path.split(".")
    names = [part for part in parts if not part.isdigit()]
    key = ".".join(names)
    if key in _OTHER_FIELDS:
        label = _OTHER_FIELDS[key][language]
    elif key in FIELD_LABELS:
        label = field_label(path, locale)
    else:
        # A name the sender wrote (an unknown JSON key, a CSV column): named as written.
        return ('Fältet "{0}"', 'The field "{0}"')[language].format(path)
    parent = ".".join(names[:-1])
    if names[-1] in _PARTIAL and parent in FIELD_LABELS:
        label = f"{field_label(parent, locale)}, {label[0].lower()}{label[1:]}"
    rows = [int(part) + 1 for part in parts if part.isdigit()]
    if rows:
        label += (" (tabellrad {0})", " (table row {0})")[language].format(rows[-1])
    return label


def problem_text(
    code: str,
    params: Sequence[str],
    locale: str,
    *,
    field: str | None = None,
    pointer: str = "",
) -> str:
    """A problem as a sentence that names what is wrong and where: "Personnummer saknas för
    person 1.", "Anställningstid, från och med på rad 3: Ange datumet som ÅÅÅÅ-MM-DD."."""
    message = describe(code, params, locale)
    label = field_name(field, locale, agi=pointer.startswith("/Skatteverket"))
    record = record_in(pointer, locale)
    place = f" {record[1]}" if record else ""
    if label and code in _MISSING:
        missing = ("{0} saknas{1}.", "{0} is missing{1}.")[_language(locale)]
        sentence = missing.format(label, place)
        return sentence if code in ("required", "null") else f"{sentence} {message}"
    if label:
        return f"{label}{place}: {message}"
    if record:
        return f"{record[0][0].upper()}{record[0][1:]}: {message}"
    return message


def describe(code: str, params: Sequence[str], locale: str) -> str:
    """The text of `code` with its parameters in "sv" or "en" (or "sv_SE", "en-GB" ...)."""
    entry = CATALOG.get(code)
    if entry is None:
        return describe_elsewhere(code, params, locale)
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    if language not in _LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; use one of {_LOCALES}")
    return entry[language].format(*params)


def job_message(error: str, locale: str) -> str:
    """An import job's `error` (a code without its parameters) in words; a code whose text
    needs them (a line, a limit) points at the problem that has them."""
    try:
        return describe(error, (), locale)
    except IndexError:
        return describe("import_stopped", (), locale)


def outcome_text(result: Result, locale: str) -> str:
    """What became of a record, in words: the reason when it was refused or left alone."""
    if result.errors:
        return "\n".join(describe_key(key, locale) for key in message_keys(result.errors))
    return describe(f"outcome_{result.outcome}", (), locale)


def warning_entries(result: Result, locale: str) -> list[dict[str, str]]:
    """A record's warnings as the API answers them: the stable code, the whole message key
    (what a signer confirms), the JSON pointer into the record, and the text in `locale`."""
    return [
        {
            "code": key.split(":", 1)[0],
            "key": key,
            "pointer": result.pointers.get(key, ""),
            "detail": describe_key(key, locale),
        }
        for key in result.warnings
    ]


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
