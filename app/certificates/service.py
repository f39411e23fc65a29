"""The life cycle of a certificate (`lifecycle.md`), as plain functions over a session.

Every transition checks the state it starts from, changes the certificate, and writes its audit
event and outbox messages in the caller's transaction: the caller commits once, or nothing
happened. Services only flush.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from app.akassa import service as akassa_service
from app.akassa.models import Akassa
from app.audit.service import SYSTEM, Actor
from app.audit.service import record as record_audit
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    CompletionMessage,
    Signature,
    State,
    Variant,
)
from app.companies import service as companies
from app.companies.models import Company
from app.database import add_inserted, is_write_conflict, utcnow
from app.errors import (
    Conflict,
    DeadlinePassed,
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidContent,
    NotFound,
    WarningsNotConfirmed,
)
from app.outbox import service as outbox
from app.people import service as people
from app.people.models import Person
from app.webhooks import service as webhooks
from schemas import ContentInvalid, content_warnings, load_content

ANSWER_PERIOD = timedelta(days=42)
MESSAGE_MAX_LENGTH = 2000

TRANSITIONS: Mapping[str, tuple[frozenset[State], State]] = {
    "edit": (frozenset({State.DRAFT}), State.DRAFT),
    "sign": (frozenset({State.DRAFT}), State.SIGNED),
    "deliver": (frozenset({State.SIGNED}), State.SENT),
    "approve": (frozenset({State.SENT}), State.APPROVED),
    "request_completion": (frozenset({State.SENT}), State.COMPLETION_REQUESTED),
    "revise": (frozenset({State.COMPLETION_REQUESTED}), State.DRAFT),
    "withdraw": (
        frozenset({State.DRAFT, State.SIGNED, State.SENT, State.COMPLETION_REQUESTED}),
        State.WITHDRAWN,
    ),
    "expire": (frozenset({State.SENT}), State.EXPIRED),
}


# --- lookups: always through the owner -------------------------------------------------------


def get_for_company(
    session: Session, company_id: uuid.UUID, certificate_id: uuid.UUID
) -> Certificate:
    return _one(session, certificate_id, Certificate.company_id == company_id)


def get_for_employee(
    session: Session, person_id: uuid.UUID, certificate_id: uuid.UUID
) -> Certificate:
    """Only what has reached the employee: drafts and unsent signatures stay with the employer."""
    return _one(
        session,
        certificate_id,
        Certificate.employee_id == person_id,
        Certificate.delivered_at.is_not(None),
    )


def get_for_akassa(session: Session, akassa_id: int, certificate_id: uuid.UUID) -> Certificate:
    return _one(
        session,
        certificate_id,
        Certificate.akassa_id == akassa_id,
        Certificate.state == State.APPROVED,
    )


def _one(session: Session, certificate_id: uuid.UUID, *owner: Any) -> Certificate:
    certificate = session.scalar(
        select(Certificate).where(Certificate.id == certificate_id, *owner)
    )
    if certificate is None:
        raise NotFound("certificate_not_found")
    return certificate


def current_version(session: Session, certificate: Certificate) -> CertificateVersion:
    return version(session, certificate, certificate.current_version)


def version(session: Session, certificate: Certificate, number: int) -> CertificateVersion:
    found = session.scalar(
        select(CertificateVersion).where(
            CertificateVersion.certificate_id == certificate.id, CertificateVersion.number == number
        )
    )
    if found is None:
        raise NotFound("version_not_found")
    return found


def messages(session: Session, certificate: Certificate) -> list[CompletionMessage]:
    return list(
        session.scalars(
            select(CompletionMessage)
            .where(CompletionMessage.certificate_id == certificate.id)
            .order_by(CompletionMessage.created_at)
        )
    )


class Awaiting(Protocol):
    """What the six weeks are counted from: a certificate, or a listing's row of one."""

    @property
    def state(self) -> str: ...

    @property
    def answer_deadline(self) -> datetime | None: ...


def days_left(certificate: Awaiting, now: datetime | None = None) -> int | None:
    """Whole days the employee still has to answer, or None when no answer is awaited."""
    if certificate.state != State.SENT or certificate.answer_deadline is None:
        return None
    seconds = (certificate.answer_deadline - (now or utcnow())).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def content_hash(content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- drafts ----------------------------------------------------------------------------------


def create_draft(
    session: Session,
    *,
    company: Company,
    variant: str,
    content: Mapping[str, Any],
    actor: Actor,
    now: datetime | None = None,
    loaded: bool = False,
) -> Certificate:
    """A new certificate with version 1 as a draft; only the employee's identity is required.

    `loaded=True` says `content` is already the output of `load_content(content, variant,
    partial=True)`, as a payroll adapter's Draft is: loading it again would only repeat the
    same work. Any other content is validated here.
    """
    now = now or utcnow()
    if variant not in set(Variant):
        raise InvalidContent({"variant": ["invalid_choice"]})
    clean = dict(content) if loaded else _validated(content, variant, partial=True)
    require_own_employer(company, clean)
    employee = _employee_from(session, clean)
    certificate = Certificate(
        id=uuid.uuid4(),  # known before the insert: the version refers to it
        company_id=company.id,
        company=company,
        employee_id=employee.id,
        employee=employee,  # held, so that reading it back needs no query
        variant=variant,
        state=State.DRAFT,
        current_version=1,
        created_at=now,
        updated_at=now,
    )
    _set_period(certificate, clean)
    with _write_conflicts():
        add_inserted(session, certificate, _new_version(certificate, 1, clean, actor, now))
    _audit(session, certificate, "created", actor, now)
    return certificate


def edit_draft(
    session: Session,
    certificate: Certificate,
    *,
    content: Mapping[str, Any],
    actor: Actor,
    expected_lock_version: int | None = None,
    now: datetime | None = None,
) -> CertificateVersion:
    now = now or utcnow()
    _require(certificate, "edit", expected_lock_version)
    clean = _validated(content, certificate.variant, partial=True)
    require_own_employer(certificate.company, clean)
    draft = current_version(session, certificate)
    draft.content = clean
    certificate.employee_id = _employee_from(session, clean).id
    _set_period(certificate, clean)
    _apply(session, certificate, "edit", actor, now)
    return draft


# --- employer signs, the service delivers -------------------------------------------------------


def sign(
    session: Session,
    certificate: Certificate,
    *,
    signer: Person,
    evidence: Mapping[str, Any],
    document_hash: str | None = None,
    confirmed_warnings: Collection[str] = (),
    expected_lock_version: int | None = None,
    signed_at: datetime | None = None,
    now: datetime | None = None,
) -> Signature:
    """Record the employer's eID signature over the current draft; the version is frozen.

    The warnings the signer confirmed (`schemas.rules`) are kept in the signature's evidence
    and the audit event, so it stays known what the employer signed knowingly. `signed_at` is
    the eID provider's time of the signature (BankID's, see `eid.signing_time`); the events
    are dated `now`, when the service recorded them."""
    now = now or utcnow()
    signed_at = signed_at or now
    _require(certificate, "sign", expected_lock_version)
    draft = ready_to_sign(session, certificate, signer, confirmed_warnings=confirmed_warnings)
    confirmed = warnings_of(certificate, draft)
    draft.content_hash = content_hash(draft.content)
    draft.signed_at = signed_at
    signature = Signature(
        version_id=draft.id,
        role="employer",
        person_id=signer.id,
        signed_at=signed_at,
        document_hash=document_hash or draft.content_hash,
        evidence={**evidence, "confirmed_warnings": confirmed},
    )
    session.add(signature)
    _apply(session, certificate, "sign", Actor.person(signer.id), now, confirmed_warnings=confirmed)
    return signature


def ready_to_sign(
    session: Session,
    certificate: Certificate,
    signer: Person,
    *,
    confirmed_warnings: Collection[str] = (),
    expected_lock_version: int | None = None,
) -> CertificateVersion:
    """The draft `signer` may sign now: complete content without errors, every warning
    confirmed, a role in the company, and (when the page posted one) the version the signer
    was shown. Checked before BankID is opened, so nobody is asked to sign what would be
    refused or what they have not read."""
    _require(certificate, "sign", expected_lock_version)
    companies.require_role(session, certificate.company_id, signer.id)
    draft = current_version(session, certificate)
    _validated(draft.content, certificate.variant, partial=False)
    require_own_employer(certificate.company, draft.content)
    unconfirmed = [key for key in warnings_of(certificate, draft) if key not in confirmed_warnings]
    if unconfirmed:
        raise WarningsNotConfirmed(unconfirmed)
    return draft


def warnings_of(certificate: Certificate, version: CertificateVersion) -> list[str]:
    """The warnings (message keys) a signer must confirm before signing this version."""
    return content_warnings(version.content, certificate.variant)


def draft_warnings(session: Session, certificate: Certificate) -> list[str]:
    """The warnings of the current draft, as the sign page shows them to be confirmed."""
    return warnings_of(certificate, current_version(session, certificate))


def deliver(
    session: Session,
    certificate: Certificate,
    *,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> None:
    """Put the signed version in the employee's inbox; the six weeks start now."""
    now = now or utcnow()
    _require(certificate, "deliver")
    certificate.delivered_at = now
    certificate.answer_deadline = now + ANSWER_PERIOD
    certificate.reminders_sent = 0
    _apply(session, certificate, "deliver", actor, now)
    template = (
        "certificate_delivered" if certificate.current_version == 1 else "certificate_new_version"
    )
    outbox.notify_person(
        session,
        certificate.employee,
        key=_event_key(certificate, "delivered", "employee"),
        template=template,
        payload=_payload(certificate),
    )


# --- the employee answers ----------------------------------------------------------------------


def approve(
    session: Session,
    certificate: Certificate,
    *,
    employee: Person,
    akassa: Akassa,
    version_number: int,
    evidence: Mapping[str, Any],
    document_hash: str | None = None,
    signed_at: datetime | None = None,
    now: datetime | None = None,
) -> Signature:
    """The employee signs the exact version they saw and sends it to their own a-kassa;
    `signed_at` as for `sign`."""
    now = now or utcnow()
    shown = ready_to_approve(
        session,
        certificate,
        employee=employee,
        akassa=akassa,
        version_number=version_number,
        now=now,
    )
    signature = Signature(
        version_id=shown.id,
        role="employee",
        person_id=employee.id,
        signed_at=signed_at or now,
        document_hash=document_hash or shown.content_hash or content_hash(shown.content),
        evidence=dict(evidence),
    )
    session.add(signature)
    certificate.akassa_id = akassa.id
    certificate.approved_at = certificate.closed_at = now
    _apply(session, certificate, "approve", Actor.person(employee.id), now, akassa=akassa.code)
    if certificate.company.notify_on_approval:
        outbox.notify_company(
            session,
            certificate.company,
            key=_event_key(certificate, "approved", "company"),
            template="certificate_approved",
            payload=_payload(certificate),
        )
    return signature


def ready_to_approve(
    session: Session,
    certificate: Certificate,
    *,
    employee: Person,
    akassa: Akassa,
    version_number: int,
    now: datetime | None = None,
) -> CertificateVersion:
    """The version `employee` may approve to `akassa` now. Checked before BankID is opened, so
    nobody is asked to sign what would be refused."""
    _require_employee(certificate, employee)
    _require(certificate, "approve")
    _require_open(certificate, now or utcnow())
    if version_number != certificate.current_version:
        raise Conflict("version_changed", current=certificate.current_version)
    membership = akassa_service.membership_of(session, employee.id)
    if membership is not None and membership.akassa_id != akassa.id:
        raise Forbidden("not_member_of_akassa")
    return current_version(session, certificate)


def request_completion(
    session: Session,
    certificate: Certificate,
    *,
    employee: Person,
    message: str,
    now: datetime | None = None,
) -> CompletionMessage:
    now = now or utcnow()
    _require_employee(certificate, employee)
    _require(certificate, "request_completion")
    _require_open(certificate, now)
    note = CompletionMessage(
        certificate_id=certificate.id,
        version_number=certificate.current_version,
        author_id=employee.id,
        author_role="employee",
        body=_message_text(message),
        created_at=now,
    )
    session.add(note)
    _apply(session, certificate, "request_completion", Actor.person(employee.id), now)
    outbox.notify_company(
        session,
        certificate.company,
        key=_event_key(certificate, "completion_requested", "company"),
        template="completion_requested",
        payload=_payload(certificate),
    )
    return note


# --- the employer answers a completion request, or takes it back -------------------------------


def revise(
    session: Session, certificate: Certificate, *, actor: Actor, now: datetime | None = None
) -> CertificateVersion:
    """A new draft version starting from the content the employee asked to complete."""
    now = now or utcnow()
    _require(certificate, "revise")
    previous = current_version(session, certificate)
    certificate.current_version = previous.number + 1
    certificate.delivered_at = certificate.answer_deadline = None
    draft = _new_version(certificate, certificate.current_version, previous.content, actor, now)
    session.add(draft)
    _apply(session, certificate, "revise", actor, now)
    return draft


def deletable(certificate: Certificate) -> bool:
    """A first draft nobody has signed or seen can simply go; anything sent is withdrawn."""
    return (
        certificate.state == State.DRAFT
        and certificate.current_version == 1
        and certificate.delivered_at is None
    )


def delete_draft(
    session: Session,
    certificate: Certificate,
    *,
    actor: Actor,
    expected_lock_version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Remove a never-signed first draft with its version; the audit trail keeps that it was."""
    if expected_lock_version is not None and expected_lock_version != certificate.lock_version:
        raise Conflict("changed_by_someone_else")
    if not deletable(certificate):
        raise IllegalTransition(action="delete", state=certificate.state)
    _audit(session, certificate, "deleted", actor, now or utcnow())
    session.delete(certificate)
    _flush(session)


def withdraw(
    session: Session,
    certificate: Certificate,
    *,
    actor: Actor,
    reason: str,
    now: datetime | None = None,
) -> None:
    now = now or utcnow()
    _require(certificate, "withdraw")
    reached_employee = certificate.delivered_at is not None
    certificate.withdrawn_reason = _message_text(reason)
    certificate.closed_at = now
    _apply(session, certificate, "withdraw", actor, now)
    if reached_employee:
        outbox.notify_person(
            session,
            certificate.employee,
            key=_event_key(certificate, "withdrawn", "employee"),
            template="certificate_withdrawn",
            payload=_payload(certificate),
        )


def expire(session: Session, certificate: Certificate, *, now: datetime | None = None) -> None:
    """Close a certificate nobody answered within six weeks; both sides are told."""
    now = now or utcnow()
    _require(certificate, "expire")
    if certificate.answer_deadline is None or now < certificate.answer_deadline:
        raise IllegalTransition("deadline_not_reached")
    certificate.closed_at = now
    _apply(session, certificate, "expire", SYSTEM, now)
    payload = _payload(certificate)
    outbox.notify_person(
        session,
        certificate.employee,
        key=_event_key(certificate, "expired", "employee"),
        template="certificate_expired",
        payload=payload,
    )
    outbox.notify_company(
        session,
        certificate.company,
        key=_event_key(certificate, "expired", "company"),
        template="certificate_expired",
        payload=payload,
    )


# --- the mechanics every transition shares ------------------------------------------------------


def _require(
    certificate: Certificate, action: str, expected_lock_version: int | None = None
) -> None:
    if expected_lock_version is not None and expected_lock_version != certificate.lock_version:
        raise Conflict("changed_by_someone_else")
    allowed, _target = TRANSITIONS[action]
    if certificate.state not in allowed:
        raise IllegalTransition(action=action, state=certificate.state)


def require_own_employer(company: Company, content: Mapping[str, Any]) -> None:
    """A company issues certificates in its own name only: block B may name no other employer.

    The organisationsnummer is what identifies the employer (the name may be a trade name); it
    is compared once the content is loaded, so both are in their normal form. Checked when a
    draft is created or saved, whatever the path, and again before it is signed, so a draft
    stored before this rule cannot be signed either.
    """
    if names_other_employer(company, content):
        raise InvalidContent({"employer": {"organisation_number": ["employer_mismatch"]}})


def names_other_employer(company: Company, content: Mapping[str, Any]) -> bool:
    named = (content.get("employer") or {}).get("organisation_number")
    return named is not None and named != company.organisationsnummer


def _require_employee(certificate: Certificate, employee: Person) -> None:
    # Someone else's certificate does not exist for this person: never confirm it does.
    if certificate.employee_id != employee.id or certificate.delivered_at is None:
        raise NotFound("certificate_not_found")


def _require_open(certificate: Certificate, now: datetime) -> None:
    if certificate.answer_deadline is None or now >= certificate.answer_deadline:
        raise DeadlinePassed()


def _apply(
    session: Session,
    certificate: Certificate,
    action: str,
    actor: Actor,
    now: datetime,
    **data: Any,
) -> None:
    before = certificate.state
    certificate.state = TRANSITIONS[action][1]
    certificate.updated_at = now
    # Always write the row, even when nothing else changed, so the optimistic lock is checked.
    flag_modified(certificate, "updated_at")
    _flush(session)
    _audit(session, certificate, action, actor, now, before=before, **data)
    if action in webhooks.EVENTS:
        webhooks.enqueue_events(session, certificate, webhooks.EVENTS[action], now=now)


def _audit(
    session: Session,
    certificate: Certificate,
    action: str,
    actor: Actor,
    now: datetime,
    **data: Any,
) -> None:
    record_audit(
        session,
        action=f"certificate.{action}",
        actor=actor,
        company_id=certificate.company_id,
        certificate_id=certificate.id,
        data={"state": certificate.state, "version": certificate.current_version, **data},
        now=now,
    )


def _flush(session: Session) -> None:
    with _write_conflicts():
        session.flush()


@contextmanager
def _write_conflicts() -> Iterator[None]:
    """A write that lost to another transaction's is the caller's Conflict, not a crash."""
    try:
        yield
    except StaleDataError as exc:
        raise Conflict("changed_by_someone_else") from exc
    except DBAPIError as exc:
        if not is_write_conflict(exc):
            raise
        raise Conflict("changed_by_someone_else") from exc


def _validated(content: Mapping[str, Any], variant: str, *, partial: bool) -> dict[str, Any]:
    try:
        return load_content(content, variant, partial=partial)
    except ContentInvalid as exc:
        raise InvalidContent(exc.errors) from exc


def _employee_from(session: Session, content: Mapping[str, Any]) -> Person:
    employee = content.get("employee") or {}
    missing = {
        field: ["personnummer_required" if field == "personnummer" else "required"]
        for field in ("personnummer", "first_name", "last_name")
        if not employee.get(field)
    }
    if missing:
        raise InvalidContent({"employee": missing})
    return people.find_or_create_person(
        session,
        employee["personnummer"],
        first_name=employee["first_name"],
        last_name=employee["last_name"],
        email=employee.get("email"),
        mobile=employee.get("phone"),
    )


def _set_period(certificate: Certificate, content: Mapping[str, Any]) -> None:
    period = (content.get("employment") or {}).get("period") or {}
    start, end = period.get("start"), period.get("end")
    certificate.period_start = date.fromisoformat(start) if start else None
    certificate.period_end = date.fromisoformat(end) if end else None


def _new_version(
    certificate: Certificate, number: int, content: Mapping[str, Any], actor: Actor, now: datetime
) -> CertificateVersion:
    return CertificateVersion(
        certificate_id=certificate.id,
        number=number,
        content=dict(content),
        created_by_id=actor.person_id,
        created_by_label=actor.label,
        created_at=now,
        updated_at=now,
    )


def _message_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("message_required")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise DomainError("message_too_long", max=MESSAGE_MAX_LENGTH)
    return text


def _event_key(certificate: Certificate, event: str, recipient: str) -> str:
    return f"{certificate.id}:v{certificate.current_version}:{event}:{recipient}"


def _payload(certificate: Certificate) -> dict[str, Any]:
    return {"certificate_id": str(certificate.id), "version": certificate.current_version}
