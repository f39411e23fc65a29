"""What people read for each field and code: one catalogue for forms, pages, PDFs and summaries.

Paths are the content's dotted field paths (list rows have no index: `worked_time.months.year`).
The Swedish follows the IAF's paper form; the English is a plain rendering of it.
"""

from __future__ import annotations

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "employee": ("A. Arbetstagare", "A. Employee"),
    "employee.first_name": ("Förnamn", "First name"),
    "employee.last_name": ("Efternamn", "Last name"),
    "employee.personnummer": ("Personnummer", "Personal identity number"),
    "employee.email": ("E-postadress", "E-mail address"),
    "employee.phone": ("Mobilnummer", "Mobile number"),
    "employee.notify_by_sms": ("Avisera med sms", "Notify by text message"),
    "employer": ("B. Arbetsgivare", "B. Employer"),
    "employer.name": ("Namn", "Name"),
    "employer.organisation_number": ("Organisationsnummer", "Organisation number"),
    "employer.address": ("Adress", "Address"),
    "employer.address.street": ("Gatuadress", "Street address"),
    "employer.address.care_of": ("c/o", "c/o"),
    "employer.address.postal_code": ("Postnummer", "Postcode"),
    "employer.address.city": ("Ort", "Town"),
    "employer.email": ("E-postadress", "E-mail address"),
    "employer.phone": ("Telefonnummer", "Telephone number"),
    "employer.use_registered_information": (
        "Använd uppgifterna som finns på företagskontot",
        "Use the details on the company account",
    ),
    "employer.consent": (
        "Arbetstagaren har gått med på att få intyget elektroniskt",
        "The employee agreed to receive the certificate electronically",
    ),
    "employer.other_information": ("Övrig upplysning om arbetsgivaren", "Other employer details"),
    "employer.related_employer": (
        "Arbetsgivaren är närstående (jäv): revisorn ska skriva under",
        "Related employer (conflict of interest): the auditor must countersign",
    ),
    "employment": ("C. Anställning", "C. Employment"),
    "employment.period": ("Anställningstid", "Period of employment"),
    "employment.period.start": ("Från och med", "From"),
    "employment.period.end": ("Till och med", "To"),
    "employment.still_employed": ("Fortfarande anställd", "Still employed"),
    "employment.position": ("Befattning", "Position"),
    "employment.employment_rate": ("Sysselsättningsgrad (%)", "Employment rate (%)"),
    "employment.on_leave": ("Tjänstledig", "On leave"),
    "employment.leaves": ("Tjänstledigheter", "Leaves of absence"),
    "employment.leaves.period": ("Period", "Period"),
    "employment.leaves.period.start": ("Från och med", "From"),
    "employment.leaves.period.end": ("Till och med", "To"),
    "employment.leaves.percent": ("Omfattning (%)", "Extent (%)"),
    "employment.leaves.reason": ("Orsak", "Reason"),
    "employment.last_full_time_day": ("Sista dag med heltidsarbete", "Last day of full-time work"),
    "employment_form": ("D. Anställningsform", "D. Form of employment"),
    "employment_form.type": ("Anställningsform", "Form of employment"),
    "employment_form.probation_end_date": (
        "Provanställningen skulle ha upphört",
        "Probation was to end",
    ),
    "employment_form.fixed_term_end_date": (
        "Den tidsbegränsade anställningen skulle ha upphört",
        "The fixed-term employment was to end",
    ),
    "working_time": ("E. Arbetstid", "E. Working time"),
    "working_time.type": ("Arbetstid", "Working time"),
    "working_time.full_time_hours": ("Timmar per vecka vid heltid", "Hours per week at full time"),
    "working_time.part_time_hours": ("Timmar per vecka vid deltid", "Hours per week part time"),
    "working_time.percent_of_full_time": ("Procent av heltid", "Percent of full time"),
    "special_information": ("F. Särskilda uppgifter", "F. Special information"),
    "special_information.staffing_agency": ("Anställd i bemanningsföretag", "Staffing agency"),
    "special_information.shift_work": ("Skiftarbete", "Shift work"),
    "termination": ("G. Orsak till att anställningen upphörde", "G. Why the employment ended"),
    "termination.reason": ("Orsak", "Reason"),
    "termination.other_reason": ("Annan orsak", "Other reason"),
    "termination.notice_date": ("Datum då beskedet lämnades", "Date notice was given"),
    "termination.fixed_term_notice_date": (
        "Datum för besked om att den tidsbegränsade anställningen upphör",
        "Date of notice that the fixed-term employment ends",
    ),
    "severance": ("H. Avgångsvederlag", "H. Severance"),
    "severance.agreement": ("Avtal om avgångsvederlag finns", "A severance agreement exists"),
    "continued_work_offer": ("I. Erbjudande om fortsatt arbete", "I. Offer of continued work"),
    "continued_work_offer.offer_exists": ("Erbjudande finns", "An offer was made"),
    "continued_work_offer.period": ("Erbjuden period", "Offered period"),
    "continued_work_offer.period.start": ("Från och med", "From"),
    "continued_work_offer.period.end": ("Till och med", "To"),
    "continued_work_offer.permanent": ("Tillsvidareanställning", "Permanent employment"),
    "continued_work_offer.full_time_hours": (
        "Timmar per vecka vid heltid",
        "Hours per week at full time",
    ),
    "continued_work_offer.part_time_hours": (
        "Timmar per vecka vid deltid",
        "Hours per week part time",
    ),
    "continued_work_offer.percent_of_full_time": ("Procent av heltid", "Percent of full time"),
    "continued_work_offer.working_time_type": ("Arbetstid", "Working time"),
    "continued_work_offer.accepted": ("Erbjudandet antogs", "The offer was accepted"),
    "continued_work_offer.declined_date": (
        "Datum då erbjudandet avböjdes",
        "Date the offer was declined",
    ),
    "worked_time": ("J. Arbetad tid", "J. Worked time"),
    "worked_time.period": ("Period som redovisas", "Period covered"),
    "worked_time.period.start": ("Från och med", "From"),
    "worked_time.period.end": ("Till och med", "To"),
    "worked_time.months": ("Arbetad tid per månad", "Worked time per month"),
    "worked_time.months.year": ("År", "Year"),
    "worked_time.months.month": ("Månad", "Month"),
    "worked_time.months.hours_worked": ("Arbetade timmar", "Hours worked"),
    "worked_time.months.absence": ("Frånvaro (timmar)", "Absence (hours)"),
    "worked_time.months.overtime": ("Övertid (timmar)", "Overtime (hours)"),
    "worked_time.months.extra_time": ("Mertid (timmar)", "Additional hours"),
    "worked_time.sick_pay": ("Sjuklön har betalats", "Sick pay was paid"),
    "worked_time.teaching_time": ("Undervisningstid", "Teaching time"),
    "worked_time.teaching_hours": ("Undervisningstimmar", "Teaching hours"),
    "salary": ("K. Lön", "K. Salary"),
    "salary.year": ("År", "Year"),
    "salary.salary_type": ("Typ av lön", "Type of salary"),
    "salary.amount": ("Belopp (kr)", "Amount (SEK)"),
    "salary.varying_hourly_rate": ("Varierande timlön", "Varying hourly rate"),
    "salary.overtime_supplement": ("Övertidstillägg (kr)", "Overtime supplement (SEK)"),
    "salary.extra_time_supplement": ("Mertidstillägg (kr)", "Additional-hours supplement (SEK)"),
    "salary.extra_salary": ("Extra lön", "Extra salary"),
    "salary.supplements": ("Andra lönetillägg", "Other supplements"),
    "salary.supplements.year": ("År", "Year"),
    "salary.supplements.month": ("Månad", "Month"),
    "salary.supplements.days": ("Dagar", "Days"),
    "salary.supplements.hours": ("Timmar", "Hours"),
    "salary.supplements.description": ("Beskrivning", "Description"),
    "salary.supplements.amount": ("Belopp (kr)", "Amount (SEK)"),
    "salary.supplements.supplement_type": ("Typ av tillägg", "Type of supplement"),
    "teacher_salary": ("L. Lärarlön", "L. Teachers' pay"),
    "teacher_salary.holiday_pay": ("Ferielön", "Holiday pay"),
    "teacher_salary.holiday_pay_days": ("Ferielön, dagar", "Holiday pay, days"),
    "teacher_salary.holiday_pay_amount": ("Ferielön, belopp (kr)", "Holiday pay, amount (SEK)"),
    "teacher_salary.retainer_pay": ("Uppehållslön", "Retainer pay"),
    "teacher_salary.retainer_pay_amount": (
        "Uppehållslön, belopp (kr)",
        "Retainer pay, amount (SEK)",
    ),
    "teacher_salary.holiday_period": ("Ferieperiod", "Holiday period"),
    "teacher_salary.holiday_period.start": ("Från och med", "From"),
    "teacher_salary.holiday_period.end": ("Till och med", "To"),
    "other_information": ("M. Övriga upplysningar", "M. Other information"),
}

CODE_LABELS: dict[str, tuple[str, str]] = {
    "Tillsvidare": ("Tillsvidareanställning", "Permanent employment"),
    "Provanstallning": ("Provanställning", "Probationary employment"),
    "Tidsbegransad": ("Tidsbegränsad anställning", "Fixed-term employment"),
    "Behovsanstalld": ("Behovsanställning (timanställning)", "Employed as needed (hourly)"),
    "Heltid": ("Heltid", "Full time"),
    "Deltid": ("Deltid", "Part time"),
    "VarierandeArbetstid": ("Varierande arbetstid", "Varying working hours"),
    "UppsagdArbetsbrist": ("Uppsagd på grund av arbetsbrist", "Dismissed for lack of work"),
    "TidsbegransadAnstallning": ("Den tidsbegränsade anställningen upphörde", "Fixed term ended"),
    "EgenBegaran": ("Egen begäran", "At the employee's own request"),
    "SlutProvanstallningAnstalldBeslut": (
        "Provanställningen avslutades på arbetstagarens begäran",
        "Probation ended at the employee's request",
    ),
    "SlutProvanstallningArbetsgivareBeslut": (
        "Provanställningen avslutades på arbetsgivarens begäran",
        "Probation ended at the employer's request",
    ),
    "Konkurs": ("Konkurs", "Bankruptcy"),
    "AnnanOrsak": ("Annan orsak", "Other reason"),
    "Manadslon": ("Månadslön", "Monthly salary"),
    "Veckolon": ("Veckolön", "Weekly wage"),
    "Daglon": ("Daglön", "Daily wage"),
    "Timlon": ("Timlön", "Hourly wage"),
    "Sjuklon": ("Sjuklön", "Sick pay"),
    "Overtidstillagg": ("Övertidstillägg", "Overtime supplement"),
    "Mertid": ("Mertid", "Additional hours"),
    "Jour": ("Jour", "On-call duty"),
    "OB": ("OB-tillägg", "Unsocial-hours supplement"),
    "AndraFormaner": ("Andra förmåner", "Other benefits"),
    "Semesterersattning": ("Semesterersättning", "Holiday compensation"),
    "Lonetillagg": ("Lönetillägg", "Pay supplement"),
}


def _pick(pair: tuple[str, str], locale: str) -> str:
    return pair[1] if locale.lower().startswith("en") else pair[0]


def field_label(path: str, locale: str = "sv") -> str:
    """The label of a field path; list indexes are ignored (`worked_time.months.0.year`)."""
    key = ".".join(part for part in path.split(".") if not part.isdigit())
    return _pick(FIELD_LABELS[key], locale)


def code_label(code: str, locale: str = "sv") -> str:
    pair = CODE_LABELS.get(code)
    return _pick(pair, locale) if pair else code
