"""Company accounts: registration, employer ids, and who may act for a company."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.companies.models import Company, Membership, Role
from app.errors import Conflict, Forbidden
from app.people.models import Person
from app.privacy import vault
from schemas import validate_organisationsnummer


def organisationsnummer_index(organisationsnummer: str) -> str:
    return vault.current().blind_index(validate_organisationsnummer(organisationsnummer))


def find_company(session: Session, organisationsnummer: str) -> Company | None:
    index = organisationsnummer_index(organisationsnummer)
    return session.scalar(select(Company).where(Company.organisationsnummer_index == index))


def find_by_employer_id(session: Session, employer_id: str) -> Company | None:
    return session.scalar(select(Company).where(Company.employer_id == employer_id.lower()))


def _new_employer_id(session: Session) -> str:
    """`ftg` and a random number that grows a digit whenever the space gets crowded."""
    digits = 4
    while True:
        for _ in range(20):
            candidate = f"ftg{secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1)}"
            if find_by_employer_id(session, candidate) is None:
                return candidate
        digits += 1


def register_company(
    session: Session,
    *,
    organisationsnummer: str,
    name: str,
    admin: Person,
    street: str | None = None,
    care_of: str | None = None,
    postal_code: str | None = None,
    city: str | None = None,
    notification_email: str | None = None,
) -> Company:
    """Create a company account; the registering person becomes its first admin."""
    normalised = validate_organisationsnummer(organisationsnummer)
    if find_company(session, normalised) is not None:
        raise Conflict("company_exists")
    company = Company(
        organisationsnummer=normalised,
        organisationsnummer_index=vault.current().blind_index(normalised),
        employer_id=_new_employer_id(session),
        name=name,
        street=street,
        care_of=care_of,
        postal_code=postal_code,
        city=city,
        notification_email=notification_email,
    )
    session.add(company)
    session.flush()
    add_member(session, company=company, person=admin, role=Role.ADMIN)
    return company


def add_member(session: Session, *, company: Company, person: Person, role: Role) -> Membership:
    membership = Membership(company_id=company.id, person_id=person.id, role=role)
    session.add(membership)
    session.flush()
    return membership


def membership_of(
    session: Session, company_id: uuid.UUID, person_id: uuid.UUID
) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.company_id == company_id, Membership.person_id == person_id
        )
    )


def require_role(
    session: Session,
    company_id: uuid.UUID,
    person_id: uuid.UUID,
    roles: Iterable[Role] = (Role.ADMIN, Role.CERTIFIER),
) -> Membership:
    """The person's membership if it has one of `roles`; Forbidden otherwise."""
    membership = membership_of(session, company_id, person_id)
    if membership is None or membership.role not in set(roles):
        raise Forbidden("not_allowed_for_company")
    return membership
