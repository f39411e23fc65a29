"""Plain-language texts of what adapters report, in Swedish and English.

Adapter problems carry a code and parameters; codes not listed here are the schemas' own
validation keys (``schemas.messages``), so a field error reads the same in the web form and in
an import report.
"""

from collections.abc import Mapping, Sequence

from schemas.labels import FIELD_LABELS, field_label
from schemas.messages import CATALOG as SCHEMA_CATALOG
from schemas.messages import describe as describe_schema_key

CATALOG: Mapping[str, Mapping[str, str]] = {
    # The file as a whole.
    "too_large": {
        "sv": "Filen är för stor. Högst {0} byte tas emot; dela upp exporten i flera filer.",
        "en": "The file is too large. At most {0} bytes are accepted; split the export.",
    },
    "doctype_refused": {
        "sv": "Filen innehåller en DTD (<!DOCTYPE>) eller egna entiteter. Av säkerhetsskäl "
        "tas sådana filer inte emot; exportera filen utan DTD.",
        "en": "The file contains a DTD (<!DOCTYPE>) or its own entities. For security such "
        "files are refused; export the file without a DTD.",
    },
    "xml_malformed": {
        "sv": "Filen är inte korrekt XML från rad {0}. Den kan vara avbruten eller skadad; "
        "exportera den på nytt.",
        "en": "The file is not well-formed XML from line {0}. It may be cut off or damaged; "
        "export it again.",
    },
    "xml_encoding": {
        "sv": "Filen har en annan teckenkodning än den anger (rad {0}). Spara den som UTF-8 "
        "eller ange rätt kodning i XML-deklarationen.",
        "en": "The file's characters do not match its declared encoding (line {0}). Save it "
        "as UTF-8 or declare the right encoding.",
    },
    "wrong_root": {
        "sv": "Filen är inte av rätt typ: den ska börja med elementet <{0}>.",
        "en": "This is not the expected kind of file: it should start with <{0}>.",
    },
    "wrong_area": {
        "sv": 'Filen är inte en arbetsgivardeklaration (omrade="{0}").',
        "en": 'The file is not an employer declaration (omrade="{0}").',
    },
    "empty_file": {"sv": "Filen är tom.", "en": "The file is empty."},
    "not_utf8": {
        "sv": "Filen är inte sparad som UTF-8 (rad {0}). Spara den som UTF-8.",
        "en": "The file is not saved as UTF-8 (line {0}). Save it as UTF-8.",
    },
    # Our JSON.
    "json_malformed": {
        "sv": "Filen är inte korrekt JSON (rad {0}, kolumn {1}).",
        "en": "The file is not valid JSON (line {0}, column {1}).",
    },
    "json_too_deep": {
        "sv": "JSON-dokumentet är för djupt nästlat.",
        "en": "The JSON document is nested too deeply.",
    },
    "json_shape": {
        "sv": 'Ange ett intyg, en lista med intyg eller {{"certificates": [...]}}.',
        "en": 'Send one certificate, a list of them, or {{"certificates": [...]}}.',
    },
    "variant_missing": {
        "sv": "Ange vilken variant intyget har: full eller income_2025.",
        "en": "State the certificate's variant: full or income_2025.",
    },
    # SOAP.
    "soap_missing": {
        "sv": "Elementet {0} saknas eller är tomt i anropet.",
        "en": "The element {0} is missing or empty in the request.",
    },
    "soap_invalid_datetime": {
        "sv": "Ange tidpunkten som xs:dateTime, till exempel 2025-06-30T14:05:00.",
        "en": "Give the time as xs:dateTime, for example 2025-06-30T14:05:00.",
    },
    "soap_unknown_element": {
        "sv": "Elementet {0} känns inte igen och har inte lästs in.",
        "en": "The element {0} is not recognised and was not imported.",
    },
    # PAXml.
    "persnr_not_12_digits": {
        "sv": "PAXml kräver personnumret med 12 siffror utan bindestreck, till exempel "
        "191212121212.",
        "en": "PAXml requires the personal identity number as 12 digits without a hyphen, "
        "for example 191212121212.",
    },
    "bad_date": {
        "sv": 'Ogiltigt datum "{0}". Ange ÅÅÅÅ-MM-DD.',
        "en": 'Invalid date "{0}". Use YYYY-MM-DD.',
    },
    "bad_number": {
        "sv": 'Ogiltigt tal "{0}".',
        "en": 'Invalid number "{0}".',
    },
    "no_employee": {
        "sv": "Transaktionen anger varken anstid eller persnr och kan inte knytas till någon.",
        "en": "The transaction gives neither anstid nor persnr and belongs to no one.",
    },
    "no_date": {
        "sv": "Transaktionen saknar datum (datum eller datumfrom och datumtom).",
        "en": "The transaction has no date (datum, or datumfrom and datumtom).",
    },
    "no_hours": {
        "sv": "Transaktionen saknar omfattning (timmar, omfattning eller start- och sluttid).",
        "en": "The transaction has no extent (timmar, omfattning, or start and end time).",
    },
    "bad_schedule_day": {
        "sv": "Schemadagen saknar datum och timmar (eller start- och sluttid) och har inte "
        "räknats.",
        "en": "The schedule day has no date and hours (or start and end time) and was not counted.",
    },
    "bad_range": {
        "sv": "Perioden {0} till {1} är baklänges eller längre än tio år.",
        "en": "The period {0} to {1} runs backwards or is longer than ten years.",
    },
    "unknown_employment_form": {
        "sv": 'Anställningsformen "{0}" känns inte igen; välj den i intyget.',
        "en": 'The form of employment "{0}" is not recognised; choose it in the certificate.',
    },
    "rate_rounded": {
        "sv": "Sysselsättningsgraden var {0} i filen och har avrundats till {1} (hundradelar, "
        "avrundning uppåt från 5).",
        "en": "The employment rate was {0} in the file and has been rounded to {1} "
        "(hundredths, half up).",
    },
    "rounded": {
        "sv": "{0}{3}: {1} har avrundats till {2}. Intyget anger två decimaler (avrundning "
        "uppåt från 5).",
        "en": "{0}{3}: {1} has been rounded to {2}. The certificate holds two decimals "
        "(rounded half up).",
    },
    "unknown_time_code": {
        "sv": "Tidkoden {0} känns inte igen och har inte räknats.",
        "en": "The time code {0} is not recognised and was not counted.",
    },
    # AGI.
    "agi_missing": {
        "sv": "Individuppgiften saknar {0}.",
        "en": "The individual statement lacks {0}.",
    },
    "agi_no_personnummer": {
        "sv": "Individuppgiften saknar personnummer eller samordningsnummer (fält 215) och "
        "kan inte kopplas till någon.",
        "en": "The individual statement has no personal identity or coordination number "
        "(field 215) and matches no one.",
    },
    "agi_bad_period": {
        "sv": 'Ogiltig redovisningsperiod "{0}". Ange ÅÅÅÅMM.',
        "en": 'Invalid reporting period "{0}". Use YYYYMM.',
    },
    "agi_period_mismatch": {
        "sv": "Redovisningsperioden {0} stämmer inte med blankettens period {1}.",
        "en": "The reporting period {0} does not match the form's period {1}.",
    },
    "agi_bad_amount": {
        "sv": "Fält {0} ska vara ett belopp i hela kronor.",
        "en": "Field {0} must be an amount in whole kronor.",
    },
    # CSV.
    "csv_unknown_column": {
        "sv": 'Kolumnen "{0}" känns inte igen. Jämför rubrikraden med mallen.',
        "en": 'The column "{0}" is not recognised. Compare the header with the template.',
    },
    "csv_duplicate_column": {
        "sv": 'Kolumnen "{0}" finns två gånger.',
        "en": 'The column "{0}" appears twice.',
    },
    "csv_extra_cells": {
        "sv": "Raden har fler celler ({0}) än rubrikraden ({1}).",
        "en": "The row has more cells ({0}) than the header ({1}).",
    },
    "csv_malformed": {
        "sv": "Raden kan inte läsas som CSV. Kontrollera citattecknen.",
        "en": "The row cannot be read as CSV. Check the quotation marks.",
    },
    # How a location is written in a full description.
    "at_line": {"sv": "Rad {0}", "en": "Line {0}"},
    # A record that cannot become a draft at all.
    "record_without_content": {
        "sv": "Posten har bara uppgifter om personen, inget om anställningen. Ange minst "
        "anställningens period, anställningsform eller arbetstid.",
        "en": "The record only holds the person, nothing about the employment. Give at least "
        "the employment's period, form of employment or working time.",
    },
}

_LOCALES = ("sv", "en")


def describe(code: str, params: Sequence[str], locale: str) -> str:
    """Human text of a problem code with its parameters, in "sv" or "en" (or "sv_SE" ...)."""
    entry = CATALOG.get(code)
    if entry is None:
        return describe_schema_key(":".join([code, *params]), locale)
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    if language not in _LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; use one of {_LOCALES}")
    if code == "rounded":
        path, given, kept, month = (*params, "", "", "", "")[:4]
        params = (label_of(path, language), given, kept, _month(month))
    return entry[language].format(*params)


def label_of(path: str, locale: str) -> str:
    """The plain name of a content field path ("worked_time.months.0.hours_worked" →
    "Arbetade timmar"), or the path itself when it has none."""
    key = ".".join(part for part in path.split(".") if not part.isdigit())
    return field_label(path, locale) if key in FIELD_LABELS else path


def _month(month: str) -> str:
    return f", {month}" if month else ""


def describe_key(key: str, locale: str) -> str:
    """Human text of a message key such as ``"unknown_time_code:XYZ"`` (warnings are keys)."""
    code, *params = key.split(":")
    return describe(code, params, locale)


def known(code: str) -> bool:
    """Whether a code has a text here or in the schemas' catalog."""
    return code in CATALOG or code in SCHEMA_CATALOG
