"""Income tables from the employer's data: AGI statements and the certificate's own content.

What a certificate says about income per month depends on its variant:

- `income_2025` holds no pay at all (blocks J–L are not in it): the a-kassa takes income from
  AGI, so only AGI records give months.
- `full` gives a month's pay only for monthly and hourly pay: monthly salary is taken as paid in
  full in every worked month (deductions for absence are unknown), hourly pay as rate × hours
  worked (overtime and extra time are part of the hours worked). The per-hour overtime and
  extra-time supplements are added for those hours, and every supplement row (sick pay, OB,
  holiday pay, …) to its month. Weekly and daily pay cannot be turned into a month's pay, since
  the certificate does not say how many weeks or days were paid; nor can teachers' holiday and
  retainer pay, which carry no month. The certificate states no skip reasons either.

The result carries `notes`, codes of what could not be derived, with texts in sv and en, so a
page can say why a table is short or only an estimate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.assessment.income import IncomeMonth, YearMonth
from payroll_adapters import IncomeRecord, latest_income

NOTES: dict[str, dict[str, str]] = {
    "no_pay_in_variant": {
        "sv": "Intyget enligt 2025 års regler innehåller ingen lön per månad; inkomsten "
        "hämtas från arbetsgivardeklarationerna.",
        "en": "A certificate under the 2025 rules holds no pay per month; income comes from the "
        "employer declarations.",
    },
    "pay_not_by_month": {
        "sv": "Vecko- eller daglön kan inte räknas om till lön per månad utifrån intyget.",
        "en": "Weekly or daily pay cannot be turned into pay per month from the certificate.",
    },
    "salary_estimated": {
        "sv": "Lönen per månad är uppskattad utifrån intygets lön och arbetade tid.",
        "en": "Pay per month is estimated from the certificate's salary and worked time.",
    },
    "absence_not_deducted": {
        "sv": "Avdrag för frånvaro är okända och har inte dragits av.",
        "en": "Deductions for absence are unknown and have not been made.",
    },
    "teacher_pay_not_by_month": {
        "sv": "Ferie- och uppehållslön anges inte per månad och är inte medräknade.",
        "en": "Teachers' holiday and retainer pay carry no month and are not included.",
    },
    "no_skip_reasons": {
        "sv": "Intyget anger inte vilka månader som kan hoppas över.",
        "en": "The certificate does not say which months may be skipped.",
    },
}


@dataclass(frozen=True)
class DerivedIncome:
    """Income months from the employer's data, oldest first, and notes on what is missing."""

    months: tuple[IncomeMonth, ...]
    notes: tuple[str, ...] = ()

    def note_texts(self, locale: str) -> list[str]:
        """The notes as text in "sv" or "en" (Swedish for any other locale)."""
        return [NOTES[note].get(locale, NOTES[note]["sv"]) for note in self.notes]


def income_from_agi(
    records: Iterable[IncomeRecord],
    *,
    personnummer: str | None = None,
    employer_orgnr: str | None = None,
) -> tuple[IncomeMonth, ...]:
    """Income per month from AGI statements: cash pay plus benefits of the statements in force,
    summed over employers (or only `employer_orgnr`'s), for one person when given."""
    totals: dict[YearMonth, int] = {}
    for record in latest_income(records):
        if personnummer is not None and record.personnummer != personnummer:
            continue
        if employer_orgnr is not None and record.employer_orgnr != employer_orgnr:
            continue
        when = YearMonth(record.year, record.month)
        totals[when] = totals.get(when, 0) + record.income
    return tuple(
        IncomeMonth(when.year, when.month, Decimal(amount), "agi")
        for when, amount in sorted(totals.items())
    )


def income_from_content(content: Mapping[str, Any], variant: str) -> DerivedIncome:
    """Income per month derivable from loaded certificate content (`load_content` output)."""
    if variant == "income_2025":
        return DerivedIncome((), ("no_pay_in_variant",))
    if variant != "full":
        raise ValueError(f"unknown variant {variant!r}")
    salary = content.get("salary") or {}
    worked = (content.get("worked_time") or {}).get("months") or []
    notes: list[str] = []
    pay: dict[YearMonth, Decimal] = {}
    salary_type = salary.get("salary_type")
    if salary_type in ("Manadslon", "Timlon") and "amount" in salary:
        rate = Decimal(str(salary["amount"]))
        overtime = _decimal(salary.get("overtime_supplement"))
        extra_time = _decimal(salary.get("extra_time_supplement"))
        for row in worked:
            base = rate if salary_type == "Manadslon" else rate * _decimal(row["hours_worked"])
            pay[YearMonth(row["year"], row["month"])] = (
                base
                + overtime * _decimal(row.get("overtime"))
                + extra_time * _decimal(row.get("extra_time"))
            )
        notes.append("salary_estimated")
        if salary_type == "Manadslon" and any(_decimal(row.get("absence")) for row in worked):
            notes.append("absence_not_deducted")
    elif salary_type is not None:
        notes.append("pay_not_by_month")
    if pay:
        for supplement in salary.get("supplements") or []:
            when = YearMonth(supplement["year"], supplement["month"])
            pay[when] = pay.get(when, Decimal(0)) + _decimal(supplement["amount"])
    teacher = content.get("teacher_salary") or {}
    if teacher.get("holiday_pay_amount") or teacher.get("retainer_pay_amount"):
        notes.append("teacher_pay_not_by_month")
    if pay:
        notes.append("no_skip_reasons")
    months = tuple(
        IncomeMonth(when.year, when.month, amount, "payroll")
        for when, amount in sorted(pay.items())
    )
    return DerivedIncome(months, tuple(notes))


def employer_income(
    content: Mapping[str, Any],
    variant: str,
    records: Iterable[IncomeRecord] = (),
    *,
    personnummer: str | None = None,
) -> DerivedIncome:
    """The income table "from the employer's data": AGI months where there are statements (the
    a-kassa's own source), the certificate's derived pay for the months AGI lacks."""
    derived = income_from_content(content, variant)
    agi = {month.when: month for month in income_from_agi(records, personnummer=personnummer)}
    merged = dict(agi)
    for month in derived.months:
        merged.setdefault(month.when, month)
    covered = bool(agi) and all(month.when in agi for month in derived.months)
    notes = [] if covered else [note for note in derived.notes if note != "no_skip_reasons"]
    if merged:
        notes.append("no_skip_reasons")
    return DerivedIncome(tuple(merged[when] for when in sorted(merged)), tuple(notes))


def _decimal(value: Any) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value))
