"""What an officer of one fund may see: approved certificates sent to that fund, never others.

Every lookup takes the officer's `akassa_id`; another fund's certificate, or one that is not
approved, does not exist here (NotFound). Knows nothing of Flask.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.akassa import service as akassa_service
from app.akassa.models import AkassaStaff
from app.assessment import (
    Assessment,
    DerivedIncome,
    YearMonth,
    assess,
    employer_income,
    income_from_agi,
    income_from_content,
)
from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.certificates import service as certificates
from app.certificates.models import Certificate, CertificateVersion, SealedDocument, State
from app.people import service as people
from app.people.models import Person
from payroll_adapters import IncomeRecord

PAGE_SIZE = 25


@dataclass(frozen=True)
class Query:
    search: str = ""
    page: int = 1

    @classmethod
    def parse(cls, search: str, page: str) -> Query:
        """A hand-edited page number never fails: anything odd is page 1."""
        return cls(search=search.strip()[:20], page=max(1, int(page)) if page.isdigit() else 1)


@dataclass(frozen=True)
class Page:
    certificates: list[Certificate]
    total: int
    page: int
    pages: int
    bad_search: bool = False


def find(session: Session, akassa_id: int, query: Query) -> Page:
    """The fund's approved certificates, newest approval first; a search is one whole
    personnummer, matched through the blind index (never a scan of decrypted numbers)."""
    listed = _approved_to(akassa_id)
    if query.search:
        try:
            index = people.personnummer_index(query.search)
        except ValueError:
            return Page([], 0, 1, 1, bad_search=True)
        listed = listed.join(Person, Certificate.employee_id == Person.id).where(
            Person.personnummer_index == index
        )
    total = session.scalar(select(func.count()).select_from(listed.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(query.page, pages)
    rows = session.scalars(
        listed.order_by(Certificate.approved_at.desc(), Certificate.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return Page(list(rows), total, page, pages)


def _approved_to(akassa_id: int) -> Select[Certificate]:
    return select(Certificate).where(
        Certificate.akassa_id == akassa_id, Certificate.state == State.APPROVED
    )


def open_certificate(
    session: Session, staff: AkassaStaff, certificate_id: uuid.UUID, *, purpose: str
) -> Certificate:
    """The certificate if it was approved to the officer's fund, with an audit event saying
    who opened it and for what (`read`, `xml`, `pdf`): whoever reads personal data is logged."""
    certificate = certificates.get_for_akassa(session, staff.akassa_id, certificate_id)
    record_audit(
        session,
        action="certificate.opened_by_akassa",
        actor=Actor.person(staff.person_id),
        company_id=certificate.company_id,
        certificate_id=certificate.id,
        data={
            "akassa": staff.akassa.code,
            "version": certificate.current_version,
            "purpose": purpose,
        },
    )
    return certificate


def approved_document(session: Session, certificate: Certificate) -> SealedDocument | None:
    """The sealed document of the approved version: the "approved" stage carrying both
    signatures when it exists, else the employer's "signed" one (None when neither was made)."""
    return session.scalars(
        select(SealedDocument)
        .join(CertificateVersion)
        .where(
            CertificateVersion.certificate_id == certificate.id,
            SealedDocument.version_number == certificate.current_version,
        )
        .order_by((SealedDocument.stage == "approved").desc(), SealedDocument.created_at.desc())
        .limit(1)
    ).first()


def unemployed_on(certificate: Certificate) -> date:
    """The first day without this employment: the day after it ended, else the approval day."""
    if certificate.period_end is not None:
        return certificate.period_end + timedelta(days=1)
    approved = certificate.approved_at or certificate.updated_at
    return approved.date()


@dataclass(frozen=True)
class CertificateIncome:
    """The income table behind the assessment, and the assessment itself."""

    derived: DerivedIncome
    assessment: Assessment


def assessment_for(
    session: Session,
    certificate: Certificate,
    content: dict[str, Any],
    agi: Iterable[IncomeRecord],
) -> CertificateIncome:
    """The preliminary assessment from the employer's data (AGI first, the certificate's pay
    for the months AGI lacks). Raises RulesNotInForce for unemployment before the 2025 rules."""
    personnummer = certificate.employee.personnummer
    derived = employer_income(content, certificate.variant, agi, personnummer=personnummer)
    membership = akassa_service.membership_of(session, certificate.employee_id)
    assessment = assess(
        derived.months,
        unemployed_on=unemployed_on(certificate),
        member_since=membership.member_since if membership is not None else None,
    )
    return CertificateIncome(derived, assessment)


@dataclass(frozen=True)
class Difference:
    """One month where the certificate and Skatteverket's AGI disagree; None: no figure."""

    when: YearMonth
    certificate: Decimal | None
    agi: Decimal | None

    @property
    def difference(self) -> Decimal:
        """The certificate's figure less AGI's (a missing figure counts as 0)."""
        return (self.certificate or Decimal(0)) - (self.agi or Decimal(0))


def income_differences(
    certificate: Certificate, content: dict[str, Any], agi: Iterable[IncomeRecord]
) -> list[Difference] | None:
    """Months where the certificate's pay and this employer's AGI statements differ, oldest
    first; None when there is nothing to compare: the certificate states no pay per month, or
    no statement from this employer is in force.

    Compared are the months the certificate gives pay for, and the AGI months between its
    first and last such month (outside them the certificate says nothing about pay)."""
    stated = {m.when: m.amount for m in income_from_content(content, certificate.variant).months}
    declared = {
        m.when: m.amount
        for m in income_from_agi(
            agi,
            personnummer=certificate.employee.personnummer,
            employer_orgnr=certificate.company.organisationsnummer,
        )
    }
    if not stated or not declared:
        return None
    first, last = min(stated), max(stated)
    months = set(stated) | {when for when in declared if first <= when <= last}
    return [
        Difference(when, stated.get(when), declared.get(when))
        for when in sorted(months)
        if _rounded(stated.get(when)) != _rounded(declared.get(when))
    ]


def _rounded(amount: Decimal | None) -> int | None:
    """Whole kronor: AGI has no öre, so pay that differs by öre only is the same."""
    return None if amount is None else int(amount.to_integral_value("ROUND_HALF_UP"))
