"""The demo cast. Personnummer use Skatteverket's test birth numbers (980–999, never given to
anyone) except Tolvan Tolvansson, 19121212-1212, BankID's own test person. The company's
organisationsnummer is made up and has a valid checksum."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.akassa import service as akassa_service
from app.audit.service import Actor
from app.certificates import service as certificates
from app.certificates.models import Certificate
from app.companies import service as companies
from app.companies.models import Company, Membership, Role
from app.database import utcnow
from app.people import service as people
from app.people.models import Person
from schemas.examples import full_example, income_2025_example

COMPANY = {"organisationsnummer": "5599999991", "name": "Byggbolaget Demo AB"}
ADMIN = ("198001019804", "Anna", "Admin", "anna.admin@demo.intyga.test")
CERTIFIER = ("198506129819", "Carl", "Certifierare", "carl.certifierare@demo.intyga.test")
EMPLOYEES = (
    ("191212121212", "Tolvan", "Tolvansson", "tolvan@demo.intyga.test", "unionens"),
    ("199003159820", "Eva", "Exempelsson", "eva@demo.intyga.test", "if-metall"),
    ("197511249836", "Nils", "Nilsson", "nils@demo.intyga.test", "unionens"),
    ("199510089841", "Lina", "Lindqvist", "lina@demo.intyga.test", "if-metall"),
)
DEMO_EVIDENCE = {"provider": "demo-data", "note": "signed by the demo loader, not with eID"}


@dataclass(frozen=True)
class CastMember:
    role: str
    person: Person
    company: str


def load(session: Session, now: datetime | None = None) -> list[CastMember]:
    """Create the demo world once; running it again only reports who is who."""
    now = now or utcnow()
    akassa_service.load_reference_data(session)
    company = companies.find_company(session, COMPANY["organisationsnummer"])
    if company is None:
        company = _create(session, now)
    return cast(session, company)


def cast(session: Session, company: Company) -> list[CastMember]:
    memberships = session.scalars(
        select(Membership).where(Membership.company_id == company.id).order_by(Membership.role)
    )
    members = [CastMember(m.role, m.person, company.name) for m in memberships]
    employees = [people.find_person(session, pnr) for pnr, *_ in EMPLOYEES]
    return members + [CastMember("employee", p, "") for p in employees if p is not None]


def _create(session: Session, now: datetime) -> Company:
    admin = _person(session, ADMIN)
    certifier = _person(session, CERTIFIER)
    company = companies.register_company(
        session,
        admin=admin,
        street="Demogatan 1",
        postal_code="11122",
        city="Stockholm",
        notification_email="lon@demo.intyga.test",
        **COMPANY,
    )
    companies.add_member(session, company=company, person=certifier, role=Role.CERTIFIER)
    employees = []
    for pnr, first, last, email, fund_code in EMPLOYEES:
        person = _person(session, (pnr, first, last, email))
        akassa_service.set_membership(
            session,
            person_id=person.id,
            akassa=akassa_service.get_by_code(session, fund_code),
            member_since=date(2019, 1, 1),
        )
        employees.append(person)
    tolvan, eva, nils, lina = employees
    by = Actor.person(certifier.id)

    def draft(employee: Person, variant: str = "full", when: datetime = now) -> Certificate:
        return certificates.create_draft(
            session,
            company=company,
            variant=variant,
            content=_content(employee, company, variant),
            actor=by,
            now=when,
        )

    def send(certificate: Certificate, when: datetime) -> Certificate:
        certificates.sign(session, certificate, signer=certifier, evidence=DEMO_EVIDENCE, now=when)
        certificates.deliver(session, certificate, now=when)
        return certificate

    draft(tolvan, "income_2025")
    certificates.sign(session, draft(eva), signer=admin, evidence=DEMO_EVIDENCE, now=now)
    send(draft(tolvan), now - timedelta(days=3))
    asked = send(draft(nils, "income_2025"), now - timedelta(days=10))
    certificates.request_completion(
        session,
        asked,
        employee=nils,
        message="Sista anställningsdagen ska vara den 31 augusti, inte den 30.",
        now=now - timedelta(days=2),
    )
    approved = send(draft(lina), now - timedelta(days=20))
    certificates.approve(
        session,
        approved,
        employee=lina,
        akassa=akassa_service.get_by_code(session, "if-metall"),
        version_number=1,
        evidence=DEMO_EVIDENCE,
        now=now - timedelta(days=18),
    )
    expired = send(draft(eva, "income_2025", now - timedelta(days=50)), now - timedelta(days=50))
    certificates.expire(session, expired, now=now)
    withdrawn = send(draft(nils), now - timedelta(days=5))
    certificates.withdraw(
        session, withdrawn, actor=by, reason="Fel anställning vald; nytt intyg kommer.", now=now
    )
    return company


def _person(session: Session, row: tuple[str, str, str, str]) -> Person:
    pnr, first, last, email = row
    return people.find_or_create_person(session, pnr, first_name=first, last_name=last, email=email)


def _content(employee: Person, company: Company, variant: str) -> dict[str, Any]:
    content = copy.deepcopy(full_example() if variant == "full" else income_2025_example())
    content["employee"] |= {
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "personnummer": employee.personnummer,
        "email": employee.email,
    }
    content["employer"] |= {
        "name": company.name,
        "organisation_number": company.organisationsnummer,
    }
    return content
