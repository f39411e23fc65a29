"""The income table "from the employer's data" for the employee's assessment page: their
certificates and the AGI statements imported for them. The engine (`app.assessment`) stays pure;
this is where the database is read. Knows nothing of Flask."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessment import (
    DerivedIncome,
    IncomeMonth,
    YearMonth,
    income_from_agi,
    income_from_content,
)
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.people.models import Person
from payroll_adapters import IncomeRecord

# What the employee has in hand: delivered and awaiting an answer, or approved by them.
USABLE = (State.SENT, State.APPROVED)


def employer_months(session: Session, person: Person, agi: Iterable[IncomeRecord]) -> DerivedIncome:
    """AGI income of every employer, plus each certificate's derived pay for the months its
    own employer declared nothing (two employers in one month add up)."""
    records = list(agi)
    totals: dict[YearMonth, Decimal] = {}
    sources: dict[YearMonth, str] = {}
    for month in income_from_agi(records, personnummer=person.personnummer):
        totals[month.when], sources[month.when] = month.amount, "agi"
    notes: list[str] = []
    for certificate in _usable_certificates(session, person):
        content = certificates.current_version(session, certificate).content
        derived = income_from_content(content, certificate.variant)
        declared = {
            month.when
            for month in income_from_agi(
                records,
                personnummer=person.personnummer,
                employer_orgnr=certificate.company.organisationsnummer,
            )
        }
        for month in derived.months:
            if month.when not in declared:
                totals[month.when] = totals.get(month.when, Decimal(0)) + month.amount
                sources.setdefault(month.when, "payroll")
        if not declared or any(month.when not in declared for month in derived.months):
            notes.extend(note for note in derived.notes if note not in notes)
    months = tuple(
        IncomeMonth(when.year, when.month, totals[when], sources[when]) for when in sorted(totals)
    )
    return DerivedIncome(months, tuple(notes))


def _usable_certificates(session: Session, person: Person) -> list[Certificate]:
    return list(
        session.scalars(
            select(Certificate)
            .where(Certificate.employee_id == person.id, Certificate.state.in_(USABLE))
            .order_by(Certificate.delivered_at)
        )
    )
