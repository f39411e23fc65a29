"""Building blocks for tests: people, companies and certificates brought to any state through
the real services (never by writing state columns directly)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.akassa import service as akassa_service
from app.audit.service import Actor
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies import service as companies
from app.companies.models import Company, Role
from app.people import service as people
from app.people.models import Person
from schemas.examples import full_example, income_2025_example

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
EVIDENCE = {"provider": "test", "order_ref": "test-order"}

ADMIN_PNR = "198001019804"
CERTIFIER_PNR = "198506129819"
EMPLOYEE_PNR = "191212121212"
OTHER_EMPLOYEE_PNR = "199003159820"
OUTSIDER_PNR = "197511249836"


def person(session: Session, pnr: str, first: str = "Test", last: str = "Persson") -> Person:
    return people.find_or_create_person(
        session, pnr, first_name=first, last_name=last, email=f"{first}.{last}@example.test".lower()
    )


def company(
    session: Session, admin: Person, orgnr: str = "5599999991", name: str = "Testbolaget AB"
) -> Company:
    return companies.register_company(
        session,
        organisationsnummer=orgnr,
        name=name,
        admin=admin,
        notification_email="hr@example.test",
    )


def content(variant: str = "full", employee_pnr: str = EMPLOYEE_PNR) -> dict[str, Any]:
    data = copy.deepcopy(full_example() if variant == "full" else income_2025_example())
    data["employee"]["personnummer"] = employee_pnr
    return data


@dataclass
class World:
    """A company with an admin and a certifier, an employee who is an a-kassa member."""

    admin: Person
    certifier: Person
    employee: Person
    company: Company

    @property
    def by_certifier(self) -> Actor:
        return Actor.person(self.certifier.id)


def world(session: Session) -> World:
    admin = person(session, ADMIN_PNR, "Anna", "Admin")
    certifier = person(session, CERTIFIER_PNR, "Carl", "Certifierare")
    employee = person(session, EMPLOYEE_PNR, "Tolvan", "Tolvansson")
    firm = company(session, admin)
    companies.add_member(session, company=firm, person=certifier, role=Role.CERTIFIER)
    akassa_service.set_membership(
        session,
        person_id=employee.id,
        akassa=akassa_service.get_by_code(session, "unionens"),
        member_since=NOW.date() - timedelta(days=800),
    )
    return World(admin, certifier, employee, firm)


def certificate_in(
    session: Session, w: World, state: State, *, variant: str = "full", now: datetime = NOW
) -> Certificate:
    """A certificate for `w.employee` brought to `state` along the legal path."""
    cert = certificates.create_draft(
        session,
        company=w.company,
        variant=variant,
        content=content(variant),
        actor=w.by_certifier,
        now=now,
    )
    if state == State.DRAFT:
        return cert
    if state == State.WITHDRAWN:
        certificates.withdraw(session, cert, actor=w.by_certifier, reason="Fel person", now=now)
        return cert
    certificates.sign(session, cert, signer=w.certifier, evidence=EVIDENCE, now=now)
    if state == State.SIGNED:
        return cert
    certificates.deliver(session, cert, now=now)
    if state == State.SENT:
        return cert
    if state == State.APPROVED:
        certificates.approve(
            session,
            cert,
            employee=w.employee,
            akassa=akassa_service.get_by_code(session, "unionens"),
            version_number=cert.current_version,
            evidence=EVIDENCE,
            now=now + timedelta(days=1),
        )
    elif state == State.COMPLETION_REQUESTED:
        certificates.request_completion(
            session, cert, employee=w.employee, message="Fel slutdatum", now=now + timedelta(days=1)
        )
    elif state == State.EXPIRED:
        certificates.expire(session, cert, now=now + timedelta(days=43))
    return cert
