"""Everything Intyga holds about one person, as one JSON document (GDPR art. 15 and 20).

Read through the same owners as the pages: the person, what they wrote and signed, the
certificates about them with every version's content, and the audit events about them. Their
live logins are the login store's, which the command adds. What payroll systems sent about the
personnummer (`payroll_records`) is found by its blind index, since it needs no Person row.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.akassa.models import AkassaMembership, AkassaStaff
from app.audit.models import AuditEvent
from app.certificate_requests.models import CertificateRequest
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    CompletionMessage,
    Signature,
)
from app.companies.models import Company, Membership
from app.employments.models import EmploymentNumber
from app.income.models import AgiIncome
from app.people.models import Person


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_person(session: Session, person: Person, now: datetime) -> dict[str, Any]:
    certificates = session.scalars(
        select(Certificate)
        .where(Certificate.employee_id == person.id)
        .order_by(Certificate.created_at)
    ).all()
    certificate_ids = [certificate.id for certificate in certificates]
    return {
        "exported_at": now.isoformat(),
        "person": {
            "personnummer": person.personnummer,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "mobile": person.mobile,
            "notify_by": person.notify_by,
            "language": person.language,
            "created_at": _when(person.created_at),
        },
        "akassa_membership": _akassa_membership(session, person.id),
        "akassa_officer_of": [
            staff.akassa.code
            for staff in session.scalars(
                select(AkassaStaff).where(AkassaStaff.person_id == person.id)
            )
        ],
        "employer_roles": [
            {
                "company": membership.company.name,
                "organisationsnummer": membership.company.organisationsnummer,
                "role": membership.role,
            }
            for membership in session.scalars(
                select(Membership).where(Membership.person_id == person.id)
            )
        ],
        "certificates": [_certificate(session, certificate) for certificate in certificates],
        "signatures": [
            {
                "certificate_id": str(signature.version.certificate_id),
                "version": signature.version.number,
                "role": signature.role,
                "signed_at": _when(signature.signed_at),
            }
            for signature in session.scalars(
                select(Signature).where(Signature.person_id == person.id)
            )
        ],
        "certificate_requests": [
            {
                "company": request.company.name,
                "period": [_when(request.period_start), _when(request.period_end)],
                "message": request.message,
                "state": request.state,
                "created_at": _when(request.created_at),
                "decline_reason": request.decline_reason,
            }
            for request in session.scalars(
                select(CertificateRequest).where(CertificateRequest.person_id == person.id)
            )
        ],
        "audit_events": _audit_events(session, person.id, certificate_ids),
    }


def _akassa_membership(session: Session, person_id: uuid.UUID) -> dict[str, Any] | None:
    membership = session.scalar(
        select(AkassaMembership).where(AkassaMembership.person_id == person_id)
    )
    if membership is None:
        return None
    return {
        "akassa": membership.akassa.code,
        "name": membership.akassa.name,
        "member_since": _when(membership.member_since),
    }


def _certificate(session: Session, certificate: Certificate) -> dict[str, Any]:
    versions = session.scalars(
        select(CertificateVersion)
        .where(CertificateVersion.certificate_id == certificate.id)
        .order_by(CertificateVersion.number)
    )
    messages = session.scalars(
        select(CompletionMessage)
        .where(CompletionMessage.certificate_id == certificate.id)
        .order_by(CompletionMessage.created_at)
    )
    return {
        "id": str(certificate.id),
        "employer": certificate.company.name,
        "organisationsnummer": certificate.company.organisationsnummer,
        "variant": certificate.variant,
        "state": certificate.state,
        "period": [_when(certificate.period_start), _when(certificate.period_end)],
        "delivered_at": _when(certificate.delivered_at),
        "answer_deadline": _when(certificate.answer_deadline),
        "approved_at": _when(certificate.approved_at),
        "akassa": certificate.akassa.code if certificate.akassa else None,
        "versions": [
            {"number": v.number, "signed_at": _when(v.signed_at), "content": v.content}
            for v in versions
        ],
        "messages": [
            {
                "version": m.version_number,
                "from": m.author_role,
                "at": _when(m.created_at),
                "text": m.body,
            }
            for m in messages
        ],
    }


def _audit_events(
    session: Session, person_id: uuid.UUID, certificate_ids: list[uuid.UUID]
) -> list[dict[str, Any]]:
    about = or_(AuditEvent.actor_id == person_id, AuditEvent.certificate_id.in_(certificate_ids))
    return [
        {
            "at": _when(event.occurred_at),
            "action": event.action,
            "by": event.actor_label,
            "certificate_id": str(event.certificate_id) if event.certificate_id else None,
        }
        for event in session.scalars(select(AuditEvent).where(about).order_by(AuditEvent.seq))
    ]


def payroll_records(session: Session, index: str) -> dict[str, list[dict[str, Any]]]:
    """The employers' employment numbers for the person and every AGI statement imported about
    them, removed ones too: all that is held, as it is held."""
    numbers = session.execute(
        select(EmploymentNumber, Company)
        .join(Company, Company.id == EmploymentNumber.company_id)
        .where(EmploymentNumber.personnummer_index == index)
        .order_by(EmploymentNumber.created_at, EmploymentNumber.id)
    )
    statements = session.execute(
        select(AgiIncome, Company)
        .outerjoin(Company, Company.id == AgiIncome.company_id)
        .where(AgiIncome.personnummer_index == index)
        .order_by(AgiIncome.year, AgiIncome.month, AgiIncome.id)
    )
    return {
        "employment_numbers": [
            {
                "company": company.name,
                "organisationsnummer": company.organisationsnummer,
                "employment_number": entry.number,
                "first_name": entry.first_name,
                "last_name": entry.last_name,
                "source": entry.source,
                "created_at": _when(entry.created_at),
                "updated_at": _when(entry.updated_at),
            }
            for entry, company in numbers
        ],
        "agi_income": [
            {
                "employer": row.employer,
                "imported_by": company.name if company is not None else None,
                "period": f"{row.year:04d}-{row.month:02d}",
                "cash_pay": row.cash_pay,
                "benefits": row.benefits,
                "specification_number": row.specification_number,
                "removed": row.removed,
                "imported_at": _when(row.imported_at),
            }
            for row, company in statements
        ],
    }
