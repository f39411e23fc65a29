"""Message catalog: every validation error or warning is a key, shown as text only here.

Keys travel as strings such as ``"too_long:20"`` (name, then parameters after colons), so the
web app, the API and payroll adapters can store, compare and translate them without parsing
human text.
"""

from collections.abc import Callable, Mapping
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
        "sv": "Slutdatumet får inte vara före startdatumet. Ändra något av datumen.",
        "en": "The end date must not be before the start date. Change one of the dates.",
    },
    "end_required_when_ended": {
        "sv": "Ange sista anställningsdag när anställningen har upphört.",
        "en": "Enter the last day of employment when the employment has ended.",
    },
    "notice_after_end": {
        "sv": "Beskedet kan inte ha lämnats efter anställningens sista dag. Ändra "
        "beskedsdatumet eller anställningens sista dag.",
        "en": "Notice cannot have been given after the last day of employment. Change the "
        "notice date or the last day of employment.",
    },
    "outside_employment": {
        "sv": "Ligger utanför anställningsperioden. Ändra datumet eller anställningens period.",
        "en": "Lies outside the employment period. Change the date or the employment's period.",
    },
    "end_in_past_while_employed": {
        "sv": "Personen är fortfarande anställd men slutdatumet {0} har passerat. Ta bort "
        "slutdatumet eller ange att anställningen har upphört.",
        "en": "The person is still employed but the end date {0} has passed. Remove the end "
        "date or state that the employment has ended.",
    },
    "notice_before_start": {
        "sv": "Beskedet kan inte ha lämnats före anställningens första dag. Ändra beskedsdatumet.",
        "en": "Notice cannot have been given before the first day of employment. Change the "
        "notice date.",
    },
    "month_outside_worked_period": {
        "sv": "Månaden ligger utanför perioden som tabellen över arbetad tid gäller. Ändra "
        "månaden eller periodens datum.",
        "en": "The month lies outside the period the worked-time table covers. Change the month "
        "or the period's dates.",
    },
    "probation_ended_after_its_end": {
        "sv": "Orsaken är att provanställningen avslutades, men anställningen varade efter "
        "provanställningens slutdatum {0}; då hade den övergått i en tillsvidareanställning. "
        "Ändra orsaken, slutdatumet för provanställningen eller anställningens sista dag.",
        "en": "The reason is that the probation was ended, but the employment lasted beyond the "
        "probation's end date {0}, when it would have become permanent. Change the reason, the "
        "probation's end date or the employment's last day.",
    },
    "leaves_over_full_time": {
        "sv": "Tjänstledigheten överlappar en annan, och tillsammans blir de mer än 100 %. Ändra "
        "omfattningen eller perioderna.",
        "en": "This leave overlaps another, and together they come to more than 100 %. Change the "
        "extent or the periods.",
    },
    "before_employment_start": {
        "sv": "Slutdatumet ligger före anställningens första dag. Ändra något av datumen.",
        "en": "This end date is before the first day of employment. Change one of the dates.",
    },
    "month_in_future": {
        "sv": "Månaden har inte passerat än. Ange bara månader som redan har arbetats.",
        "en": "This month has not passed yet. Give only months already worked.",
    },
    "fixed_term_end_differs": {
        "sv": "Den tidsbegränsade anställningen skulle sluta ett annat datum än anställningens "
        "sista dag {0}. Kontrollera datumen.",
        "en": "The fixed-term employment was to end on another date than the last day of "
        "employment {0}. Check the dates.",
    },
    "full_time_hours_required": {
        "sv": "Ange hur många timmar per vecka heltid är.",
        "en": "Enter how many hours per week full time is.",
    },
    "part_time_not_below_full_time": {
        "sv": "Deltid ska vara mindre än heltid. Ändra timmarna eller procenten, eller välj "
        "heltid.",
        "en": "Part time must be less than full time. Change the hours or the percentage, or "
        "choose full time.",
    },
    "part_time_percent_mismatch": {
        "sv": "Timmarna per vecka motsvarar {0} % av heltid. Kontrollera procenten.",
        "en": "The hours per week are {0} % of full time. Check the percentage.",
    },
    "employment_rate_vs_working_time": {
        "sv": "Sysselsättningsgraden stämmer inte med arbetstiden (heltid under 100 % eller deltid "
        "på 100 %). Kontrollera båda.",
        "en": "The employment rate does not match the working time (full time below 100 % or "
        "part time at 100 %). Check both.",
    },
    "month_hours_impossible": {
        "sv": "Arbetad tid, frånvaro, övertid och mertid blir mer än månadens {0} timmar. "
        "Rätta timmarna.",
        "en": "Hours worked, absence, overtime and extra time add up to more than the month's "
        "{0} hours. Correct the hours.",
    },
    "month_hours_above_schedule": {
        "sv": "Arbetad tid och frånvaro är mer än månadens schemalagda cirka {0} timmar. "
        "Ange övertid och mertid i sina egna kolumner, eller rätta timmarna.",
        "en": "Hours worked and absence exceed the month's scheduled {0} hours or so. Give "
        "overtime and extra time in their own columns, or correct the hours.",
    },
    "reason_needs_fixed_term": {
        "sv": "Orsaken Tidsbegränsad anställning passar bara en tidsbegränsad anställning eller "
        "behovsanställning. Ändra orsaken eller anställningsformen.",
        "en": "The reason Fixed-term employment only fits a fixed-term or on-call employment. "
        "Change the reason or the form of employment.",
    },
    "reason_needs_probation": {
        "sv": "Orsaken gäller slut på provanställning men anställningen var ingen "
        "provanställning. Ändra orsaken eller anställningsformen.",
        "en": "The reason is the end of a probation, but the employment was not probationary. "
        "Change the reason or the form of employment.",
    },
    "only_for_fixed_term_reason": {
        "sv": "Datum för besked om tidsbegränsad anställning anges bara när orsaken är "
        "Tidsbegränsad anställning. Ta bort datumet eller ändra orsaken.",
        "en": "The date of notice about a fixed-term employment only applies when the reason is "
        "Fixed-term employment. Remove the date or change the reason.",
    },
    "on_call_full_time": {
        "sv": "En behovsanställning har ingen fast heltid. Välj varierande arbetstid eller "
        "ändra anställningsformen.",
        "en": "An on-call employment has no fixed full time. Choose varying working time or "
        "change the form of employment.",
    },
    "severance_after_own_decision": {
        "sv": "Avgångsvederlag är ovanligt när arbetstagaren själv avslutade anställningen. "
        "Kontrollera orsaken och avgångsvederlaget.",
        "en": "Severance is unusual when the employee ended the employment. Check the reason "
        "and the severance.",
    },
    "offer_after_own_decision": {
        "sv": "Ett erbjudande om fortsatt arbete är ovanligt när arbetstagaren själv avslutade "
        "anställningen. Kontrollera orsaken och erbjudandet.",
        "en": "An offer of continued work is unusual when the employee ended the employment. "
        "Check the reason and the offer.",
    },
    "offer_in_bankruptcy": {
        "sv": "Ett erbjudande om fortsatt arbete är ovanligt vid konkurs. Kontrollera att "
        "konkursboet gav erbjudandet.",
        "en": "An offer of continued work is unusual in a bankruptcy. Check that the estate made "
        "the offer.",
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
        "sv": "Slutdatum för provanställning anges bara vid provanställning. Ta bort datumet "
        "eller välj provanställning.",
        "en": "A probation end date only applies to a probationary employment. Remove the date "
        "or choose probation.",
    },
    "required_for_fixed_term": {
        "sv": "Ange när den tidsbegränsade anställningen slutar.",
        "en": "Enter when the fixed-term employment ends.",
    },
    "only_for_fixed_term": {
        "sv": "Slutdatum för tidsbegränsad anställning anges bara vid tidsbegränsad anställning. "
        "Ta bort datumet eller välj tidsbegränsad anställning.",
        "en": "A fixed-term end date only applies to a fixed-term employment. Remove the date or "
        "choose fixed-term employment.",
    },
    "required_for_part_time": {
        "sv": "Ange både timmar per vecka och procent av heltid vid deltid.",
        "en": "For part time, give both hours per week and percent of full time.",
    },
    "required_when_ended": {
        "sv": "Ange varför anställningen upphörde.",
        "en": "Enter why the employment ended.",
    },
    "forbidden_while_employed": {
        "sv": "Ange ingen upphörandeorsak så länge personen är anställd. Ta bort orsaken eller "
        "ange att anställningen har upphört.",
        "en": "Give no reason for the ending while the person is still employed. Remove the "
        "reason or state that the employment has ended.",
    },
    "required_for_other_reason": {
        "sv": "Beskriv den andra orsaken.",
        "en": "Describe the other reason.",
    },
    "only_for_other_reason": {
        "sv": "Fritexten anges bara när orsaken är Annan orsak. Ta bort texten eller välj Annan "
        "orsak.",
        "en": "The text only applies when the reason is Other reason. Remove the text or choose "
        "Other reason.",
    },
    "only_with_offer": {
        "sv": "Fyll bara i när det finns ett erbjudande om fortsatt arbete. Ta bort uppgiften "
        "eller ange att det finns ett erbjudande.",
        "en": "Only fill this in when there is an offer of continued work. Remove it or state "
        "that there is an offer.",
    },
    "only_when_declined": {
        "sv": "Ange datumet bara om erbjudandet har avböjts. Ta bort datumet eller ange att "
        "erbjudandet inte antogs.",
        "en": "Only give a date when the offer was declined. Remove the date or state that the "
        "offer was not accepted.",
    },
    "duplicate_month": {
        "sv": "Månaden finns redan i tabellen. Ta bort den ena raden eller ändra månaden.",
        "en": "This month is already in the table. Remove one of the rows or change the month.",
    },
    "sms_needs_phone": {
        "sv": "Ange ett mobilnummer för att få besked via sms.",
        "en": "Enter a mobile number to be notified by text message.",
    },
    "not_in_variant": {
        "sv": "Den här delen ingår inte i den här varianten av intyget.",
        "en": "This part is not included in this variant of the certificate.",
    },
    "personnummer_required": {
        "sv": "Ange arbetstagarens personnummer eller samordningsnummer. Den som saknar båda "
        "behöver ett samordningsnummer från Skatteverket innan intyget kan utfärdas.",
        "en": "Enter the employee's personal identity number or coordination number. Someone "
        "with neither needs a coordination number from the Swedish Tax Agency before the "
        "certificate can be issued.",
    },
    # Warnings: shown, never blocking.
    "century_assumed": {
        "sv": "Personnumret angavs med tio siffror, så födelseåret {0} är antaget enligt "
        "Skatteverkets regel (+ för den som fyllt 100). Ange tolv siffror om det inte stämmer.",
        "en": "The personal identity number had ten digits, so the birth year {0} is assumed by "
        "the Swedish Tax Agency's rule (+ for those 100 or older). Give twelve digits if it is "
        "wrong.",
    },
    "probation_over_six_months": {
        "sv": "Provanställningen är längre än sex månader (längst till {0}). Kontrollera "
        "slutdatumet: prövotiden får bara förlängas vid frånvaro.",
        "en": "The probation is longer than six months (at most until {0}). Check the end date: "
        "the trial period may only be extended for absence.",
    },
    "month_hours_below_schedule": {
        "sv": "Arbetad tid och frånvaro är mindre än hälften av månadens schemalagda cirka {0} "
        "timmar. Ange frånvaron också, eller kontrollera timmarna och arbetstiden.",
        "en": "Hours worked and absence are less than half the month's roughly {0} scheduled "
        "hours. Give the absence too, or check the hours and the working time.",
    },
    "worked_time_ends_early": {
        "sv": "Tabellen över arbetad tid slutar {0}, men anställningen slutade {1}. Ange de "
        "senaste månaderna av anställningen.",
        "en": "The worked-time table ends on {0}, but the employment ended on {1}. Give the last "
        "months of the employment.",
    },
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


def localize(errors: Any, locale: str, text: Callable[[str, str], str] = describe) -> Any:
    """Replace every key in a (nested) error structure by its text (`text`, this catalogue's
    unless a wider one is given), keeping the shape."""
    if isinstance(errors, str):
        return text(errors, locale)
    if isinstance(errors, Mapping):
        return {field: localize(value, locale, text) for field, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [localize(item, locale, text) for item in errors]
    raise TypeError(f"cannot localise {type(errors).__name__}")
