"""Erasure on request (GDPR art. 17), as far as the law allows.

What only serves the person (contact details, BankID orders, their own requests to
employers, their a-kassa choice) is deleted outright. What others must keep stays, and the answer
says why: certificates are the employer's statement under the unemployment insurance act, which
the a-kassa decides on (art. 17(3)(b)); drafts leave by the retention job; signatures prove the
certificates; the audit trail holds no personal data and proves who did what (art. 17(3)(e)).
A person nothing else refers to is deleted entirely, personnummer and name with them.

Payroll data is found by the personnummer's blind index (`erase_payroll`), with or without a
Person row. An employment number is the employer's payroll mapping to the person, kept only to
read later files: it goes. AGI income follows the certificates, like the rest of what payroll
systems send: while a certificate about the person stays, so does their income, since the
a-kassa assesses the certificate against the person's statements from every employer (the same
act, art. 17(3)(b)); without one it only served drafts and the person's own estimate, and the
employer's legal record of it is its payroll system and Skatteverket's, so it goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.akassa.models import AkassaMembership, AkassaStaff
from app.certificate_requests.models import CertificateRequest
from app.certificates.models import Certificate, CertificateVersion, CompletionMessage, Signature
from app.companies.models import Membership
from app.database import delete_where
from app.eid.models import EidOrder
from app.employments.models import EmploymentNumber
from app.income.models import AgiIncome
from app.people.models import NotifyBy, Person

KEPT_BECAUSE = {
    "certificates": "the employer's statement to the a-kassa (unemployment insurance act)",
    "signatures": "they prove who signed each certificate",
    "employer_roles": "the company's admin removes a colleague; their signatures stay valid",
    "akassa_officer": "the fund's administrator removes an officer (flask akassa-staff remove)",
    "messages": "part of a certificate's completion thread, kept with the certificate",
    "agi_income": "the a-kassa assesses the kept certificates against it",
}


@dataclass
class Erasure:
    removed: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    person_deleted: bool = False


def erase_person(session: Session, person: Person) -> Erasure:
    """Flush-only: the caller ends the person's logins (the login store's), records the audit
    event and commits."""
    result = Erasure()
    for name, model, column in (
        ("bankid_orders", EidOrder, EidOrder.person_id),
        ("certificate_requests", CertificateRequest, CertificateRequest.person_id),
        ("akassa_membership", AkassaMembership, AkassaMembership.person_id),
    ):
        result.removed[name] = delete_where(session, model, column == person.id)
    delete_where(session, EidOrder, EidOrder.signer_id == person.id)
    for name, owner, column in (
        ("certificates", Certificate, Certificate.employee_id),
        ("signatures", Signature, Signature.person_id),
        ("employer_roles", Membership, Membership.person_id),
        ("akassa_officer", AkassaStaff, AkassaStaff.person_id),
        ("messages", CompletionMessage, CompletionMessage.author_id),
    ):
        count = session.scalar(select(func.count()).select_from(owner).where(column == person.id))
        if count:
            result.kept[name] = count
    authored = session.scalar(select(exists().where(CertificateVersion.created_by_id == person.id)))
    if not result.kept and not authored:
        session.delete(person)
        result.person_deleted = True
    else:
        contact = int(bool(person.email)) + int(bool(person.mobile))
        person.email = person.mobile = None
        person.notify_by = NotifyBy.NONE
        result.removed["contact_details"] = contact
    session.flush()
    return result


def erase_payroll(session: Session, index: str, result: Erasure) -> None:
    """The employment numbers and, unless certificates were kept, the AGI income held under the
    personnummer's blind index `index`; counted into `result`. Flush-only."""
    result.removed["employment_numbers"] = delete_where(
        session, EmploymentNumber, EmploymentNumber.personnummer_index == index
    )
    income = AgiIncome.personnummer_index == index
    if result.kept.get("certificates"):
        if count := session.scalar(select(func.count()).select_from(AgiIncome).where(income)):
            result.kept["agi_income"] = count
    else:
        result.removed["agi_income"] = delete_where(session, AgiIncome, income)
    session.flush()
