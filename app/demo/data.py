"""The demo cast. Personnummer use Skatteverket's test birth numbers (980–999, never given to
anyone) except Tolvan Tolvansson, 19121212-1212, BankID's own test person. The company's
organisationsnummer is made up and has a valid checksum.

With an `Issuer` (a test CA the app trusts) every signature is a real BankID signature and every
signed version is sealed, as through the web app; without one, versions are signed without eID
and nothing is sealed."""

from __future__ import annotations

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
from app.demo import signatures
from app.demo.signatures import Issuer
from app.people import service as people
from app.people.models import Person
from schemas.examples import full_example, income_2025_example, shifted

COMPANY = {"organisationsnummer": "5599999991", "name": "Byggbolaget Demo AB"}
ADMIN = ("198001019804", "Anna", "Admin", "anna.admin@demo.intyga.test")
CERTIFIER = ("198506129819", "Carl", "Certifierare", "carl.certifierare@demo.intyga.test")
EMPLOYEES = (
    ("191212121212", "Tolvan", "Tolvansson", "tolvan@demo.intyga.test", "unionens"),
    ("199003159820", "Eva", "Exempelsson", "eva@demo.intyga.test", "if-metall"),
    ("197511249836", "Nils", "Nilsson", "nils@demo.intyga.test", "unionens"),
    ("199510089841", "Lina", "Lindqvist", "lina@demo.intyga.test", "if-metall"),
)
OFFICER = ("197001019806", "Oskar", "Handläggare", "oskar@demo.intyga.test", "if-metall")
# The examples' employments end in June 2025; moved on so they end on 30 September 2026, under
# the income-based rules, and the assessments have figures to show.
SHIFT_MONTHS = 15
DEMO_EVIDENCE = {"provider": "demo-data", "note": "signed by the demo loader, not with eID"}


@dataclass(frozen=True)
class CastMember:
    role: str
    person: Person
    company: str


def load(
    session: Session, now: datetime | None = None, *, issuer: Issuer | None = None
) -> list[CastMember]:
    """Create the demo world once; running it again only reports who is who."""
    now = now or utcnow()
    akassa_service.load_reference_data(session)
    company = companies.find_company(session, COMPANY["organisationsnummer"])
    if company is None:
        company = _create(session, now, issuer)
    return cast(session, company)


def cast(session: Session, company: Company) -> list[CastMember]:
    memberships = session.scalars(
        select(Membership).where(Membership.company_id == company.id).order_by(Membership.role)
    )
    members = [CastMember(m.role, m.person, company.name) for m in memberships]
    employees = [people.find_person(session, pnr) for pnr, *_ in EMPLOYEES]
    officers = akassa_service.list_staff(session)
    return (
        members
        + [CastMember("employee", p, "") for p in employees if p is not None]
        + [CastMember("akassa", s.person, s.akassa.name) for s in officers]
    )


def _create(session: Session, now: datetime, issuer: Issuer | None) -> Company:
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
    pnr, first, last, email, fund_code = OFFICER
    akassa_service.add_staff(
        session,
        personnummer=pnr,
        akassa_code=fund_code,
        first_name=first,
        last_name=last,
        email=email,
        actor=Actor(label="demo"),
    )
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

    def sign(certificate: Certificate, signer: Person, when: datetime) -> Certificate:
        if issuer is not None:
            signatures.send(session, issuer, certificate, signer, now=when, deliver=False)
        else:
            certificates.sign(
                session,
                certificate,
                signer=signer,
                evidence=DEMO_EVIDENCE,
                confirmed_warnings=certificates.draft_warnings(session, certificate),
                now=when,
            )
        return certificate

    def send(certificate: Certificate, when: datetime) -> Certificate:
        if issuer is not None:
            signatures.send(session, issuer, certificate, certifier, now=when)
        else:
            certificates.deliver(session, sign(certificate, certifier, when), now=when)
        return certificate

    def approve(certificate: Certificate, employee: Person, fund_code: str, when: datetime) -> None:
        akassa = akassa_service.get_by_code(session, fund_code)
        if issuer is not None:
            signatures.approve(session, issuer, certificate, employee, akassa, now=when)
            return
        certificates.approve(
            session,
            certificate,
            employee=employee,
            akassa=akassa,
            version_number=certificate.current_version,
            evidence=DEMO_EVIDENCE,
            now=when,
        )

    draft(tolvan, "income_2025")
    sign(draft(eva), admin, now)
    send(draft(tolvan), now - timedelta(days=3))
    asked = send(draft(nils, "income_2025"), now - timedelta(days=10))
    certificates.request_completion(
        session,
        asked,
        employee=nils,
        message="Sista anställningsdagen ska vara den 31 oktober, inte den 30 september.",
        now=now - timedelta(days=2),
    )
    approve(
        send(draft(lina), now - timedelta(days=20)), lina, "if-metall", now - timedelta(days=18)
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
    example = full_example() if variant == "full" else income_2025_example()
    content: dict[str, Any] = shifted(example, SHIFT_MONTHS)
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
