"""Building blocks for tests: people, companies and certificates brought to any state through
the real services (never by writing state columns directly). With `sealed=bankid` certificates
are signed with real BankID signatures of the `bankid` fixture's test CA and sealed, as through
the web app."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy.orm import Session

from app.akassa import service as akassa_service
from app.audit.service import Actor
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies import service as companies
from app.companies.models import Company, Role
from app.demo import signatures
from app.people import service as people
from app.people.models import Person
from schemas.examples import full_example, income_2025_example
from signing.bankid.testserver.completion import DEFAULT_SERVICE_NAME
from signing.seal import ServiceSeal
from tests.conftest import SEAL_PASSWORD, LiveBankID

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


def issuer(bankid: LiveBankID) -> signatures.Issuer:
    """Signs with the `bankid` fixture's CA and seals with the test app's seal: conftest keeps
    both in the server's state directory, beside the roots file the app trusts. Signers get the
    names the server's app gives (not ours), so the server goes on naming people as tests expect."""
    return _issuer(bankid.roots, bankid.pki.tsa_url)


@functools.cache
def _issuer(roots: Path, tsa_url: str) -> signatures.Issuer:
    seal = ServiceSeal.from_pkcs12(roots.parent / "seal.p12", password=SEAL_PASSWORD.encode())
    anchors = tuple(x509.load_pem_x509_certificates((roots.parent / "seal-roots.pem").read_bytes()))
    found = signatures.issuer(
        roots.parent,
        trusted_roots=x509.load_pem_x509_certificates(roots.read_bytes()),
        service_name=DEFAULT_SERVICE_NAME,
        seal=replace(seal, tsa_url=tsa_url, roots=anchors),
        own_names=False,
    )
    if found is None:
        raise LookupError(f"no test CA trusted by {roots}")
    return found


def certificate_in(
    session: Session,
    w: World,
    state: State,
    *,
    variant: str = "full",
    now: datetime = NOW,
    sealed: LiveBankID | None = None,
) -> Certificate:
    """A certificate for `w.employee` brought to `state` along the legal path. With `sealed`,
    the signatures are BankID's (that server's CA) and every signed version is sealed."""
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
    if sealed is None:
        certificates.sign(
            session,
            cert,
            signer=w.certifier,
            evidence=EVIDENCE,
            confirmed_warnings=certificates.draft_warnings(session, cert),
            now=now,
        )
        if state == State.SIGNED:
            return cert
        certificates.deliver(session, cert, now=now)
    elif state == State.SIGNED:
        signatures.send(session, issuer(sealed), cert, w.certifier, now=now, deliver=False)
        return cert
    else:
        signatures.send(session, issuer(sealed), cert, w.certifier, now=now)
    _answer(session, w, cert, state, now + timedelta(days=1), sealed)
    return cert


def _answer(
    session: Session,
    w: World,
    cert: Certificate,
    state: State,
    when: datetime,
    sealed: LiveBankID | None,
) -> None:
    """What the employee, or time, does with the delivered certificate to bring it to `state`."""
    if state == State.APPROVED:
        unionens = akassa_service.get_by_code(session, "unionens")
        if sealed is not None:
            signatures.approve(session, issuer(sealed), cert, w.employee, unionens, now=when)
            return
        certificates.approve(
            session,
            cert,
            employee=w.employee,
            akassa=unionens,
            version_number=cert.current_version,
            evidence=EVIDENCE,
            now=when,
        )
    elif state == State.COMPLETION_REQUESTED:
        certificates.request_completion(
            session, cert, employee=w.employee, message="Fel slutdatum", now=when
        )
    elif state == State.EXPIRED:
        certificates.expire(session, cert, now=when + timedelta(days=42))
