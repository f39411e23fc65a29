"""A payroll record becomes one certificate, once: found again by its `record_key`.

Shared by the import jobs and the SOAP service, so a record sent twice (the same file, or the
same `ApiCertifikat`) never makes a second draft. A record sent again with other content
updates its draft while it is still a draft; once signed, the certificate is left alone and
the caller is told.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies.models import Company
from app.errors import Conflict
from app.imports.models import ImportedRecord
from payroll_adapters import Draft


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    LOCKED = "locked"  # sent again with other content, but no longer a draft


@dataclass(frozen=True)
class Upserted:
    certificate_id: uuid.UUID
    outcome: Outcome


def upsert_draft(
    session: Session,
    *,
    company: Company,
    draft: Draft,
    actor: Actor,
    now: datetime | None = None,
) -> Upserted:
    """The record's certificate, created or brought up to date, in a savepoint of its own.

    Raises InvalidContent when the content cannot be stored (nothing of the record is then
    kept), Conflict when a concurrent request stored the same record first.
    """
    try:
        with session.begin_nested():
            return _upsert(session, company, draft, actor, now)
    except IntegrityError as exc:
        raise Conflict("import_record_in_use") from exc


def _upsert(
    session: Session, company: Company, draft: Draft, actor: Actor, now: datetime | None
) -> Upserted:
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
        session.add(
            ImportedRecord(
                company_id=company.id, record_key=draft.record_key, certificate_id=certificate.id
            )
        )
        session.flush()
        return Upserted(certificate.id, Outcome.CREATED)
    certificate = certificates.get_for_company(session, company.id, known)
    if _same_content(session, certificate, draft):
        return Upserted(certificate.id, Outcome.UNCHANGED)
    if certificate.state != State.DRAFT or certificate.variant != draft.variant:
        return Upserted(certificate.id, Outcome.LOCKED)
    certificates.edit_draft(session, certificate, content=draft.content, actor=actor, now=now)
    return Upserted(certificate.id, Outcome.UPDATED)


def _same_content(session: Session, certificate: Certificate, draft: Draft) -> bool:
    """A Draft's content is already loaded by its adapter, as the stored content was."""
    stored = certificates.current_version(session, certificate).content
    return certificates.content_hash(stored) == certificates.content_hash(draft.content)
