"""Archive timestamps: a sealed PDF at PAdES B-LTA gets its next document timestamp before the
certificate its last one rests on expires, so the evidence outlives every certificate in it.

Each sealed PDF sealed with a TSA says when it is due (`SealedDocument.archive_due_at`: when the
last timestamp's chain expires, less a margin). One renewal is one transaction: the row is
locked (PostgreSQL: FOR UPDATE SKIP LOCKED, so workers side by side take different rows), the
TSA is asked, the PDF grows by an incremental update (its earlier bytes unchanged) only if the
due time is still the one read (a compare-and-set, which also serialises SQLite's workers), and
an audit event says so. A renewal that would not move the due time (the TSA still signs with the
same certificate) is refused: running the job again then does nothing new.

The sealed XML keeps its own evidence: XAdES archive timestamps are the XML's, not this job's.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from cryptography import x509
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM, record
from app.certificates.models import CertificateVersion, SealedDocument
from signing.pades import DEFAULT_RENEWAL_MARGIN, LongTerm, add_archive_timestamp
from signing.pdf import verify_pdf_seal

log = logging.getLogger(__name__)

ACTION: Final = "sealed_document.archive_timestamp_added"


class RenewalRefused(Exception):  # noqa: N818 - reads as what happened to the renewal
    """The renewed PDF would not hold, or would be due again at once."""


@dataclass(frozen=True)
class Renewal:
    """What renewing needs: the TSA and trust, the margin before expiry, and the batch size."""

    long_term: LongTerm
    trusted: Sequence[x509.Certificate]
    margin: timedelta = DEFAULT_RENEWAL_MARGIN
    batch_size: int = 20


def next_due(pdf: bytes, trusted: Sequence[x509.Certificate], margin: timedelta) -> datetime | None:
    """When `pdf` needs its next archive timestamp; None below B-LTA (nothing to renew)."""
    checked = verify_pdf_seal(pdf, trusted=list(trusted))
    evidence = checked.evidence
    if evidence is None or evidence.level != "B-LTA" or evidence.holds_until is None:
        return None
    return evidence.holds_until - margin


def due(session: Session, now: datetime, limit: int) -> list[uuid.UUID]:
    """The sealed documents whose archive timestamp is due, the most urgent first."""
    return list(
        session.scalars(
            select(SealedDocument.id)
            .where(SealedDocument.archive_due_at <= now)
            .order_by(SealedDocument.archive_due_at, SealedDocument.id)
            .limit(limit)
        )
    )


def renew(session: Session, document_id: uuid.UUID, renewal: Renewal, now: datetime) -> bool:
    """Add the next archive timestamp to one sealed PDF if it is still due and no other worker
    holds it. Flushes; the caller commits. Raises RenewalRefused, or pyHanko's SigningError if
    the TSA or an OCSP responder fails."""
    found = session.execute(
        select(SealedDocument, CertificateVersion.certificate_id)
        .join(CertificateVersion)
        .where(SealedDocument.id == document_id, SealedDocument.archive_due_at <= now)
        .with_for_update(skip_locked=True, of=SealedDocument)
    ).first()
    if found is None:
        return False
    document, certificate_id = found
    was_due = document.archive_due_at
    renewed = add_archive_timestamp(document.pdf, renewal.long_term)
    checked = verify_pdf_seal(renewed, trusted=list(renewal.trusted), verification_time=now)
    evidence = checked.evidence
    if not checked.ok or evidence is None or evidence.level != "B-LTA":
        raise RenewalRefused(f"the renewed PDF does not hold at B-LTA: {checked.detail}")
    if evidence.holds_until is None or evidence.holds_until - renewal.margin <= now:
        raise RenewalRefused(
            "the TSA signs with a certificate that expires within the margin: "
            "renewing would not extend the evidence (has the TSA rotated its key?)"
        )
    if not renewed.startswith(document.pdf):
        raise RenewalRefused("the renewed PDF does not keep the sealed bytes")
    becomes_due = evidence.holds_until - renewal.margin
    # One UPDATE, past the ORM's immutability guard on purpose: only the PDF's new revision and
    # the due time change, and only if no one renewed it since it was read.
    stored = session.execute(
        update(SealedDocument)
        .where(SealedDocument.id == document.id, SealedDocument.archive_due_at == was_due)
        .values(pdf=renewed, archive_due_at=becomes_due)
        .execution_options(synchronize_session=False)
    )
    if stored.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
        return False
    session.expire(document)
    record(
        session,
        action=ACTION,
        actor=SYSTEM,
        certificate_id=certificate_id,
        data={
            "sealed_document": str(document.id),
            "version": document.version_number,
            "stage": document.stage,
            "archive_timestamps": len(evidence.archive_timestamps),
            "timestamped_at": evidence.archive_timestamps[-1].isoformat(),
            "next_due": becomes_due.isoformat(),
        },
        now=now,
    )
    return True
