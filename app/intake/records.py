"""A payroll record becomes one certificate, once: found again by its `record_key`.

Shared by every payroll path (REST, SOAP, import jobs), so a record sent twice (the same file,
the same `ApiCertifikat`, the same JSON) never makes a second draft. A record sent again with
other content updates its draft while it is still a draft; once signed, the certificate is
left alone and the caller is told it is locked.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies.models import Company
from app.database import add_inserted
from app.imports.models import ImportedRecord
from payroll_adapters import Draft


class Outcome(StrEnum):
    """What became of a record, the same on every face."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    LOCKED = "locked"  # sent again with other content, but no longer a draft
    REFUSED = "refused"  # not stored: the result's errors say why


def upsert(
    session: Session, company: Company, draft: Draft, actor: Actor, now: datetime | None
) -> tuple[Certificate, Outcome]:
    """The record's certificate, created or brought up to date. Raises InvalidContent when the
    content cannot be stored; the caller holds the savepoint that undoes a partial write."""
    known = session.scalar(
        select(ImportedRecord.certificate_id).where(
            ImportedRecord.company_id == company.id,
            ImportedRecord.record_key == draft.record_key,
        )
    )
    if known is None:
        certificate = certificates.create_draft(
            session,
            company=company,
            variant=draft.variant,
            content=draft.content,
            actor=actor,
            now=now,
            loaded=True,
        )
        add_inserted(
            session,
            ImportedRecord(
                company_id=company.id, record_key=draft.record_key, certificate_id=certificate.id
            ),
        )
        return certificate, Outcome.CREATED
    certificate = certificates.get_for_company(session, company.id, known)
    if same_content(session, certificate, draft.content):
        return certificate, Outcome.UNCHANGED
    if certificate.state != State.DRAFT or certificate.variant != draft.variant:
        return certificate, Outcome.LOCKED
    certificates.edit_draft(session, certificate, content=draft.content, actor=actor, now=now)
    return certificate, Outcome.UPDATED


def same_content(session: Session, certificate: Certificate, content: dict[str, object]) -> bool:
    """Whether `content` (loaded, as stored content was) is what the current version holds."""
    stored = certificates.current_version(session, certificate).content
    return certificates.content_hash(stored) == certificates.content_hash(content)
