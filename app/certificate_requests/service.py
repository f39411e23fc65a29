"""Certificate requests: an employee asks a registered company for a certificate, the company
answers by making a draft from it or by declining.

Every lookup goes through its owner: the employee sees their own requests, a company the ones
addressed to it. Services only flush; the outbox message and audit event share the caller's
transaction.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.certificate_requests.models import CertificateRequest, RequestState
from app.certificates.models import Certificate
from app.companies import service as companies
from app.database import utcnow
from app.errors import Conflict, DomainError, IllegalTransition, InvalidContent, NotFound
from app.outbox import service as outbox
from app.people.models import Person

MESSAGE_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 1000


def request_certificate(
    session: Session,
    person: Person,
    orgnr: str,
    start: date,
    end: date,
    *,
    message: str | None = None,
    now: datetime | None = None,
) -> CertificateRequest:
    """Ask the company with `orgnr` for a certificate over start–end; the company is told.

    NotFound("company_not_registered") when no such company uses the service: nothing is stored.
    A second open request for the same company and period is a Conflict.
    """
    now = now or utcnow()
    try:
        company = companies.find_company(session, orgnr)
    except ValueError as error:
        raise InvalidContent({"organisationsnummer": ["invalid_orgnr"]}) from error
    if company is None:
        raise NotFound("company_not_registered")
    if end < start:
        raise InvalidContent({"period_end": ["before_start"]})
    text = (message or "").strip() or None
    if text is not None and len(text) > MESSAGE_MAX_LENGTH:
        raise InvalidContent({"message": ["too_long"]})
    duplicate = session.scalar(
        select(CertificateRequest.id).where(
            CertificateRequest.person_id == person.id,
            CertificateRequest.company_id == company.id,
            CertificateRequest.period_start == start,
            CertificateRequest.period_end == end,
            CertificateRequest.state == RequestState.OPEN,
        )
    )
    if duplicate is not None:
        raise Conflict("already_requested")
    request = CertificateRequest(
        company_id=company.id,
        person_id=person.id,
        period_start=start,
        period_end=end,
        message=text,
        state=RequestState.OPEN,
        created_at=now,
    )
    session.add(request)
    session.flush()
    _audit(session, request, "created", Actor.person(person.id), now)
    outbox.notify_company(
        session,
        company,
        key=f"certificate_request:{request.id}:requested:company",
        template="certificate_requested",
        payload={"request_id": str(request.id)},
        now=now,
    )
    return request


# --- lookups: always through the owner -------------------------------------------------------


def of_person(session: Session, person_id: uuid.UUID) -> list[CertificateRequest]:
    """The person's own requests, newest first."""
    return list(
        session.scalars(
            select(CertificateRequest)
            .where(CertificateRequest.person_id == person_id)
            .order_by(CertificateRequest.created_at.desc(), CertificateRequest.id)
        )
    )


def open_for_company(session: Session, company_id: uuid.UUID) -> list[CertificateRequest]:
    """What the company has still to answer, oldest first (first asked, first served)."""
    return list(
        session.scalars(
            select(CertificateRequest)
            .where(
                CertificateRequest.company_id == company_id,
                CertificateRequest.state == RequestState.OPEN,
            )
            .order_by(CertificateRequest.created_at, CertificateRequest.id)
        )
    )


def get_for_company(
    session: Session, company_id: uuid.UUID, request_id: uuid.UUID
) -> CertificateRequest:
    """A request to this company; another company's id does not exist here."""
    found = session.scalar(
        select(CertificateRequest).where(
            CertificateRequest.id == request_id, CertificateRequest.company_id == company_id
        )
    )
    if found is None:
        raise NotFound("request_not_found")
    return found


# --- the company answers ---------------------------------------------------------------------


def fulfil(
    session: Session,
    request: CertificateRequest,
    certificate: Certificate,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Link the draft made for this request; only a certificate of the same company for the
    person who asked answers it."""
    now = now or utcnow()
    _require_open(request)
    if certificate.company_id != request.company_id or certificate.employee_id != request.person_id:
        raise Conflict("certificate_for_someone_else")
    request.state = RequestState.FULFILLED
    request.fulfilled_certificate_id = certificate.id
    request.answered_at = now
    _flush(session)
    _audit(session, request, "fulfilled", actor, now, certificate_id=certificate.id)


def decline(
    session: Session,
    request: CertificateRequest,
    *,
    actor: Actor,
    reason: str,
    now: datetime | None = None,
) -> None:
    """Say no, with a reason the employee reads after being told there is an answer."""
    now = now or utcnow()
    _require_open(request)
    text = (reason or "").strip()
    if not text:
        raise DomainError("reason_required")
    if len(text) > REASON_MAX_LENGTH:
        raise DomainError("reason_too_long", max=REASON_MAX_LENGTH)
    request.state = RequestState.DECLINED
    request.decline_reason = text
    request.answered_at = now
    _flush(session)
    _audit(session, request, "declined", actor, now)
    outbox.notify_person(
        session,
        request.person,
        key=f"certificate_request:{request.id}:declined:person",
        template="certificate_request_declined",
        payload={"request_id": str(request.id)},
        now=now,
    )


def _require_open(request: CertificateRequest) -> None:
    if request.state != RequestState.OPEN:
        raise IllegalTransition(action="answer_request", state=request.state)


def _flush(session: Session) -> None:
    """Two colleagues answering the same request at once: the second gets a Conflict."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict("changed_by_someone_else") from exc


def _audit(
    session: Session,
    request: CertificateRequest,
    action: str,
    actor: Actor,
    now: datetime,
    *,
    certificate_id: uuid.UUID | None = None,
    **data: Any,
) -> None:
    record_audit(
        session,
        action=f"certificate_request.{action}",
        actor=actor,
        company_id=request.company_id,
        certificate_id=certificate_id,
        data={"request_id": str(request.id), "state": request.state, **data},
        now=now,
    )
