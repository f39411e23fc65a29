"""What the REST API reads of certificates, without Flask: the company's certificates a page at a
time, one with its versions, its sealed documents. Drafts arrive through `app.intake`."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.certificates import sealing
from app.certificates import service as certificates
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    CompletionMessage,
    SealedDocument,
)
from app.errors import DomainError, NotFound
from app.people import service as people

PAGE_SIZE = 50
PAGE_SIZE_MAX = 200


@dataclass(frozen=True)
class Page:
    certificates: list[Certificate]
    next_cursor: str | None


def list_for_company(
    session: Session,
    company_id: uuid.UUID,
    *,
    state: str | None = None,
    personnummer: str | None = None,
    updated_since: datetime | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """The company's certificates, least recently updated first, a page at a time.

    The cursor is the position (updated_at, id) after the page's last row: a certificate that
    changes moves to the end, so paging through with `updated_since` is a change feed.
    """
    query = select(Certificate).where(Certificate.company_id == company_id)
    if state is not None:
        query = query.where(Certificate.state == state)
    if personnummer is not None:
        person = people.find_person(session, personnummer)
        if person is None:
            return Page([], None)
        query = query.where(Certificate.employee_id == person.id)
    if updated_since is not None:
        query = query.where(Certificate.updated_at >= updated_since)
    if cursor is not None:
        at, after = decode_cursor(cursor)
        query = query.where(
            or_(
                Certificate.updated_at > at,
                and_(Certificate.updated_at == at, Certificate.id > after),
            )
        )
    limit = max(1, min(limit, PAGE_SIZE_MAX))
    rows = list(
        session.scalars(query.order_by(Certificate.updated_at, Certificate.id).limit(limit + 1))
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1]) if more else None)


def encode_cursor(certificate: Certificate) -> str:
    position = f"{certificate.updated_at.isoformat()}|{certificate.id}"
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        position = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, after = position.split("|")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when, uuid.UUID(after)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise DomainError("invalid_cursor") from exc


@dataclass(frozen=True)
class Detail:
    """A certificate with everything the API shows of it."""

    certificate: Certificate
    versions: list[CertificateVersion]
    messages: list[CompletionMessage]
    documents: list[SealedDocument]


def detail(session: Session, company_id: uuid.UUID, certificate_id: uuid.UUID) -> Detail:
    certificate = certificates.get_for_company(session, company_id, certificate_id)
    return Detail(
        certificate,
        [
            certificates.version(session, certificate, number)
            for number in range(1, certificate.current_version + 1)
        ],
        certificates.messages(session, certificate),
        sealing.sealed_documents(session, certificate),
    )


def document(
    session: Session, company_id: uuid.UUID, certificate_id: uuid.UUID, number: int | None
) -> tuple[Certificate, SealedDocument]:
    """The sealed document of a signed version (the newest when `number` is None)."""
    certificate = certificates.get_for_company(session, company_id, certificate_id)
    if number is not None:
        return certificate, sealing.sealed_document(session, certificate, number)
    sealed = sealing.sealed_documents(session, certificate)
    if not sealed:
        raise NotFound("document_not_signed")
    return certificate, sealed[-1]
