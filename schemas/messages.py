"""Message catalog: every validation error or warning is a key, shown as text only here.

Keys travel as strings such as ``"too_long:20"`` (name, then parameters after colons), so the
web app, the API and payroll adapters can store, compare and translate them without parsing
human text.
"""

from collections.abc import Mapping
from typing import Any

CATALOG: Mapping[str, Mapping[str, str]] = {
    # Built-in field errors (marshmallow's defaults are replaced by these).
    "required": {"sv": "Fältet måste fyllas i.", "en": "This field is required."},
    "null": {"sv": "Fältet får inte vara tomt.", "en": "This field must not be empty."},
    "unknown_field": {
        "sv": "Okänt fält. Kontrollera stavningen.",
        "en": "Unknown field. Check the spelling.",
    },
    "not_object": {
        "sv": "Fel format: här ska det vara ett block med fält.",
        "en": "Wrong format: a block of fields is expected here.",
    },
    "not_list": {
        "sv": "Fel format: här ska det vara en lista.",
        "en": "Wrong format: a list is expected here.",
    },
    "not_text": {"sv": "Ange text.", "en": "Enter text."},
    "not_integer": {"sv": "Ange ett heltal.", "en": "Enter a whole number."},
    "not_number": {
        "sv": "Ange ett tal, till exempel 37,5.",
        "en": "Enter a number, for example 37.5.",
    },
    "not_boolean": {"sv": "Ange ja eller nej.", "en": "Enter yes or no."},
    "invalid_date": {"sv": "Ange datumet som ÅÅÅÅ-MM-DD.", "en": "Enter the date as YYYY-MM-DD."},
    "invalid_choice": {"sv": "Välj ett av alternativen: {0}.", "en": "Choose one of: {0}."},
    "invalid": {"sv": "Ogiltigt värde.", "en": "Invalid value."},
    # Values.
    "too_long": {"sv": "Högst {0} tecken.", "en": "At most {0} characters."},
    "control_characters": {
        "sv": "Texten innehåller otillåtna styrtecken.",
        "en": "The text contains control characters that are not allowed.",
    },
    "out_of_range": {
        "sv": "Ange ett värde från {0} till {1}.",
        "en": "Enter a value from {0} to {1}.",
    },
    "too_small": {
        "sv": "Värdet får inte vara lägre än {0}.",
        "en": "The value must not be lower than {0}.",
    },
    "too_many_decimals": {"sv": "Högst {0} decimaler.", "en": "At most {0} decimals."},
    "invalid_personnummer": {
        "sv": "Kontrollera personnumret: 10 eller 12 siffror, till exempel 19121212-1212. "
        "Samordningsnummer går också bra.",
        "en": "Check the personal identity number: 10 or 12 digits, for example "
        "19121212-1212. A coordination number is fine too.",
    },
    "invalid_orgnr": {
        "sv": "Kontrollera organisationsnumret: 10 siffror, till exempel 556016-0680. "
        "En enskild firma anger ägarens personnummer.",
        "en": "Check the organisation number: 10 digits, for example 556016-0680. "
        "A sole trader gives the owner's personal identity number.",
    },
    "invalid_phone": {
        "sv": "Ange telefonnumret med siffror, till exempel 070-123 45 67.",
        "en": "Enter the phone number in digits, for example +46 70 123 45 67.",
    },
    "invalid_email": {"sv": "Ange en giltig e-postadress.", "en": "Enter a valid e-mail address."},
    "invalid_postal_code": {
        "sv": "Ange postnumret med fem siffror, till exempel 123 45.",
        "en": "Enter the postal code as five digits, for example 123 45.",
    },
    # Rules between fields.
    "end_before_start": {
        "sv": "Slutdatumet får inte vara före startdatumet.",
        "en": "The end date must not be before the start date.",
    },
    "end_required_when_ended": {
        "sv": "Ange sista anställningsdag när anställningen har upphört.",
        "en": "Enter the last day of employment when the employment has ended.",
    },
    "notice_after_end": {
        "sv": "Beskedet kan inte ha lämnats efter anställningens sista dag.",
        "en": "Notice cannot have been given after the last day of employment.",
    },
    "outside_employment": {
        "sv": "Ligger utanför anställningsperioden.",
        "en": "Lies outside the employment period.",
    },
    "required_in_income_2025": {
        "sv": "Ange sista dagen med heltidsarbete. "
        "Den behövs för den inkomstbaserade ersättningen.",
        "en": "Enter the last day of full-time work. The income-based insurance needs it.",
    },
    "required_for_probation": {
        "sv": "Ange när provanställningen slutar.",
        "en": "Enter when the probation ends.",
    },
    "only_for_probation": {
        "sv": "Slutdatum för provanställning anges bara vid provanställning.",
        "en": "A probation end date only applies to a probationary employment.",
    },
    "required_for_fixed_term": {
        "sv": "Ange när den tidsbegränsade anställningen slutar.",
        "en": "Enter when the fixed-term employment ends.",
    },
    "only_for_fixed_term": {
        "sv": "Slutdatum för tidsbegränsad anställning anges bara vid tidsbegränsad anställning.",
        "en": "A fixed-term end date only applies to a fixed-term employment.",
    },
    "required_for_part_time": {
        "sv": "Vid deltid ska både timmar per vecka och procent av heltid anges.",
        "en": "For part time, give both hours per week and percent of full time.",
    },
    "required_when_ended": {
        "sv": "Ange varför anställningen upphörde.",
        "en": "Enter why the employment ended.",
    },
    "forbidden_while_employed": {
        "sv": "Ange ingen upphörandeorsak så länge personen är anställd.",
        "en": "Give no reason for the ending while the person is still employed.",
    },
    "required_for_other_reason": {
        "sv": "Beskriv den andra orsaken.",
        "en": "Describe the other reason.",
    },
    "only_for_other_reason": {
        "sv": "Fritexten anges bara när orsaken är Annan orsak.",
        "en": "The text only applies when the reason is Other reason.",
    },
    "only_with_offer": {
        "sv": "Fyll bara i när det finns ett erbjudande om fortsatt arbete.",
        "en": "Only fill this in when there is an offer of continued work.",
    },
    "only_when_declined": {
        "sv": "Ange datumet bara om erbjudandet har avböjts.",
        "en": "Only give a date when the offer was declined.",
    },
    "duplicate_month": {
        "sv": "Månaden finns redan i tabellen.",
        "en": "This month is already in the table.",
    },
    "sms_needs_phone": {
        "sv": "Ange ett mobilnummer för att få besked via sms.",
        "en": "Enter a mobile number to be notified by text message.",
    },
    "not_in_variant": {
        "sv": "Den här delen ingår inte i den här varianten av intyget.",
        "en": "This part is not included in this variant of the certificate.",
    },
    # Warnings: shown, never blocking.
    "identical_months": {
        "sv": "Samma antal timmar i alla månader. Ange de faktiskt arbetade timmarna, "
        "inte ett genomsnitt.",
        "en": "The same hours in every month. Give the hours actually worked, not an average.",
    },
    "fewer_than_12_months": {
        "sv": "Tabellen täcker färre än 12 månader. Ange normalt de senaste 12 arbetade månaderna.",
        "en": "The table covers fewer than 12 months. Normally give the last 12 months worked.",
    },
}

LOCALES = ("sv", "en")


def msg(name: str, *params: object) -> str:
    """Build a message key; an unknown name fails at once, so no key escapes the catalog."""
    if name not in CATALOG:
        raise KeyError(f"message key {name!r} is not in the catalog")
    return ":".join([name, *(str(param) for param in params)])


def describe(key: str, locale: str) -> str:
    """Human text for one key such as ``"too_long:20"`` in ``locale`` ("sv", "en", "sv_SE"...)."""
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    if language not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; use one of {LOCALES}")
    name, *params = key.split(":")
    entry = CATALOG.get(name, CATALOG["invalid"])
    return entry[language].format(*params)


def localize(errors: Any, locale: str) -> Any:
    """Replace every key in a (nested) error structure by its text, keeping the shape."""
    if isinstance(errors, str):
        return describe(errors, locale)
    if isinstance(errors, Mapping):
        return {field: localize(value, locale) for field, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [localize(item, locale) for item in errors]
    raise TypeError(f"cannot localise {type(errors).__name__}")
