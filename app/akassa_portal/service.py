"""What an officer of one fund may see: approved certificates sent to that fund, never others.

Every lookup takes the officer's `akassa_id`; another fund's certificate, or one that is not
approved, does not exist here (NotFound). Knows nothing of Flask.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, Tuple, func, select, tuple_
from sqlalchemy.orm import Session, contains_eager, joinedload, lazyload

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
from app.companies.models import Company
from app.people import service as people
from app.people.models import Person
from payroll_adapters import IncomeRecord

PAGE_SIZE = 25
# Beyond this the list says "more than 1 000": counting a large fund's every certificate on every
# page view costs more than the exact figure tells an officer.
COUNT_CAP = 1000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    """A place in the list: one entry's (approved_at, id). A page is the entries just after or
    before it (keyset paging), so a page deep in a large fund costs what the first one does, and
    certificates approved meanwhile shift nothing."""

    approved_at: datetime
    id: uuid.UUID

    @classmethod
    def of(cls, certificate: Certificate) -> Cursor:
        if certificate.approved_at is None:
            raise ValueError("only approved certificates are listed")
        return cls(certificate.approved_at, certificate.id)

    @property
    def key(self) -> tuple[datetime, uuid.UUID]:
        return (self.approved_at, self.id)

    @property
    def token(self) -> str:
        """For the URL: whole microseconds since 1970 and the id, nothing to escape."""
        return f"{(self.approved_at - _EPOCH) // timedelta(microseconds=1)}.{self.id.hex}"

    @classmethod
    def parse(cls, token: str) -> Cursor | None:
        """None for anything that is not a token: a hand-edited link shows the newest page."""
        micros, _, hex_id = token.partition(".")
        try:
            return cls(_EPOCH + timedelta(microseconds=int(micros)), uuid.UUID(hex=hex_id))
        except (ValueError, OverflowError):
            return None


@dataclass(frozen=True)
class Query:
    search: str = ""
    older_than: Cursor | None = None
    newer_than: Cursor | None = None

    @classmethod
    def parse(cls, search: str, older: str = "", newer: str = "") -> Query:
        older_than = Cursor.parse(older) if older else None
        newer_than = Cursor.parse(newer) if newer and older_than is None else None
        return cls(search.strip()[:20], older_than, newer_than)


@dataclass(frozen=True)
class Page:
    certificates: list[Certificate]
    total: int  # at most COUNT_CAP + 1: see `more_than_cap`
    older: Cursor | None = None  # where the next, older page starts; None on the last page
    newer: Cursor | None = None  # where the previous, newer page ends; None on the newest
    bad_search: bool = False

    @property
    def more_than_cap(self) -> bool:
        return self.total > COUNT_CAP


def find(session: Session, akassa_id: int, query: Query) -> Page:
    """The fund's approved certificates, newest approval first, a page at a time; a search is one
    whole personnummer, matched through the blind index (never a scan of decrypted numbers)."""
    person_index = None
    if query.search:
        try:
            person_index = people.personnummer_index(query.search)
        except ValueError:
            return Page([], 0, bad_search=True)
    listed = _approved_to(akassa_id, person_index)
    if query.newer_than is not None:
        newer = _page(session, listed.where(_position() > query.newer_than.key), newest=False)
        if len(newer) > PAGE_SIZE:
            shown = newer[:PAGE_SIZE][::-1]
            total = _capped_count(session, listed)
            return Page(shown, total, older=Cursor.of(shown[-1]), newer=Cursor.of(shown[0]))
        # Less than a page is newer: show the newest page itself.
        return find(session, akassa_id, Query(query.search))
    start = query.older_than
    rows = _page(session, listed if start is None else listed.where(_position() < start.key))
    shown, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    # The whole list on this page: nothing to count.
    total = len(shown) if start is None and not more else _capped_count(session, listed)
    return Page(
        shown,
        total,
        older=Cursor.of(shown[-1]) if more else None,
        newer=(Cursor.of(shown[0]) if shown else start) if start is not None else None,
    )


def _approved_to(akassa_id: int, person_index: str | None) -> Select[Certificate]:
    """The fund is the officer's own, already in the session: not joined again. The list shows
    no organisationsnummer: not decrypted for every row. A search joins the person, and that
    join loads them too."""
    listed = (
        select(Certificate)
        .where(Certificate.akassa_id == akassa_id, Certificate.state == State.APPROVED)
        .options(
            lazyload(Certificate.akassa),
            joinedload(Certificate.company).defer(Company.organisationsnummer),
        )
    )
    if person_index is None:
        return listed
    return (
        listed.join(Certificate.employee)
        .where(Person.personnummer_index == person_index)
        .options(contains_eager(Certificate.employee))
    )


def _position() -> Tuple:
    """The list's order as one row value, so that the database seeks its index to a cursor."""
    return tuple_(Certificate.approved_at, Certificate.id)


def _page(
    session: Session, listed: Select[Certificate], *, newest: bool = True
) -> list[Certificate]:
    """One more than a page, newest or oldest first, to know whether another page follows."""
    order = (Certificate.approved_at, Certificate.id)
    return list(
        session.scalars(
            listed.order_by(*(column.desc() if newest else column for column in order)).limit(
                PAGE_SIZE + 1
            )
        )
    )


def _capped_count(session: Session, listed: Select[Certificate]) -> int:
    """Counts up to COUNT_CAP + 1 entries of the index, never the whole fund."""
    capped = listed.with_only_columns(Certificate.id).limit(COUNT_CAP + 1).subquery()
    return session.scalar(select(func.count()).select_from(capped)) or 0


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
