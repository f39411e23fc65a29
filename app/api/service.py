"""What the REST API does with certificates, without Flask: drafts from our JSON format, and
the company's certificates a page at a time.

A request's certificates are created all together or not at all: any problem in any of them is
reported (with a JSON pointer) and nothing is stored, so a payroll system can fix and resend
the whole request.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.apikeys.models import ApiKey
from app.audit.service import Actor
from app.certificates import sealing
from app.certificates import service as certificates
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    CompletionMessage,
    SealedDocument,
)
from app.companies.models import Company
from app.errors import DomainError, InvalidContent, NotFound
from app.people import service as people
from payroll_adapters import Draft, Problem, read_json

PAGE_SIZE = 50
PAGE_SIZE_MAX = 200


@dataclass(frozen=True)
class Created:
    """A new draft, whether it is ready to sign, and what looks wrong but may be true."""

    certificate: Certificate
    complete: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    certificates: list[Certificate]
    next_cursor: str | None


def actor_of(api_key: ApiKey) -> Actor:
    """Who the audit trail and the versions name for what a key does."""
    return Actor(label=f"api:{api_key.name}")


def create_from_json(
    session: Session,
    *,
    api_key: ApiKey,
    stream: BinaryIO,
    max_bytes: int,
    now: datetime | None = None,
) -> list[Created]:
    """Drafts from a body in our JSON format (one certificate, a list, or {"certificates": []}).

    Raises InvalidContent, with every problem at its pointer, when anything cannot be used.
    """
    drafts: list[Draft] = []
    problems: list[Problem] = []
    for item in read_json(stream, max_bytes=max_bytes):
        if isinstance(item, Draft):
            drafts.append(item)
            problems += draft_problems(item, api_key.company)
        elif isinstance(item, Problem):
            problems.append(item)
    if not drafts and not problems:
        problems.append(Problem("json_shape", ""))
    if problems:
        raise InvalidContent(errors_at(problems))
    created = []
    for draft in drafts:
        try:
            certificate = certificates.create_draft(
                session,
                company=api_key.company,
                variant=draft.variant,
                content=draft.content,
                actor=actor_of(api_key),
                now=now,
                loaded=True,
            )
        except InvalidContent as invalid:
            raise InvalidContent(nested_at(draft.pointer, invalid.errors)) from invalid
        created.append(Created(certificate, draft.complete, draft.warnings))
    return created


def draft_problems(draft: Draft, company: Company) -> list[Problem]:
    """What keeps a valid draft from being this company's: another employer named in it, or
    an income table (income comes from the employer declarations, not with a certificate)."""
    found = []
    if certificates.names_other_employer(company, draft.content):
        found.append(Problem("employer_mismatch", f"{draft.pointer}/employer/organisation_number"))
    if draft.income:
        found.append(Problem("income_not_accepted", f"{draft.pointer}/income"))
    return found


def errors_at(problems: Iterable[Problem]) -> dict[str | int, Any]:
    """Problems as message keys nested by their JSON pointers, the shape InvalidContent holds."""
    tree: dict[str | int, Any] = {}
    for problem in problems:
        node: dict[str | int, Any] = tree
        for part in _segments(problem.pointer):
            node = node.setdefault(part, {})
        node.setdefault("_schema", []).append(problem.key)
    return tree


def nested_at(pointer: str, errors: Mapping[Any, Any]) -> dict[Any, Any]:
    """`errors` of one certificate placed at its pointer in the request body."""
    nested: dict[Any, Any] = dict(errors)
    for part in reversed(_segments(pointer)):
        nested = {part: nested}
    return nested


def _segments(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


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
