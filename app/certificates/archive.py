"""Archive timestamps: a sealed PDF at PAdES B-LTA gets its next document timestamp before the
certificate its last one rests on expires, so the evidence outlives every certificate in it.

Each PDF sealed with a TSA says when the first certificate under its last timestamp expires
(`SealedDocument.archive_expires_at`); it is due a margin (ARCHIVE_RENEWAL_DAYS) before. One
renewal is one transaction: the row is locked (PostgreSQL: FOR UPDATE SKIP LOCKED, so workers
side by side take different rows), the TSA is asked, the PDF grows by an incremental update (its
earlier bytes unchanged) only if the expiry is still the one read (a compare-and-set, which also
serialises SQLite's workers), and an audit event says so. A renewal that would leave the PDF
due (the TSA still signs with the same certificate) is refused: running the job again then does
nothing new.

The sealed XML keeps its own evidence: XAdES archive timestamps are the XML's, not this job's.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from cryptography import x509
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM, record
from app.certificates.models import CertificateVersion, SealedDocument

if TYPE_CHECKING:
    from signing.pades import LongTerm

log = logging.getLogger(__name__)

ACTION: Final = "sealed_document.archive_timestamp_added"
DEFAULT_MARGIN: Final = timedelta(days=90)


class RenewalRefused(Exception):  # noqa: N818 - reads as what happened to the renewal
    """The renewed PDF would not hold, or would be due again at once."""


@dataclass(frozen=True)
class Renewal:
    """What renewing needs: the TSA and trust, the margin before expiry, and the batch size."""

    long_term: LongTerm
    trusted: Sequence[x509.Certificate]
    margin: timedelta = DEFAULT_MARGIN
    batch_size: int = 20


def due(session: Session, now: datetime, margin: timedelta, limit: int) -> list[uuid.UUID]:
    """The sealed documents whose next archive timestamp is due, the most urgent first."""
    return list(
        session.scalars(
            select(SealedDocument.id)
            .where(SealedDocument.archive_expires_at <= now + margin)
            .order_by(SealedDocument.archive_expires_at, SealedDocument.id)
            .limit(limit)
        )
    )


def renew(session: Session, document_id: uuid.UUID, renewal: Renewal, now: datetime) -> bool:
    """Add the next archive timestamp to one sealed PDF if it is still due and no other worker
    holds it. Flushes; the caller commits. Raises RenewalRefused, also when the TSA or an OCSP
    responder fails."""
    # pyHanko loads in the process that renews, not with every `flask` command.
    from pyhanko.sign.general import SigningError  # noqa: PLC0415

    from signing.pades import add_archive_timestamp, archive_expiry  # noqa: PLC0415
    from signing.pdf import verify_pdf_seal  # noqa: PLC0415

    found = session.execute(
        select(SealedDocument, CertificateVersion.certificate_id)
        .join(CertificateVersion)
        .where(
            SealedDocument.id == document_id,
            SealedDocument.archive_expires_at <= now + renewal.margin,
        )
        .with_for_update(skip_locked=True, of=SealedDocument)
    ).first()
    if found is None:
        return False
    document, certificate_id = found
    expired_at = document.archive_expires_at
    try:
        renewed = add_archive_timestamp(document.pdf, renewal.long_term, now)
    except SigningError as exc:
        raise RenewalRefused(f"the TSA or an OCSP responder failed: {exc}") from exc
    checked = verify_pdf_seal(renewed, trusted=list(renewal.trusted), verification_time=now)
    evidence = checked.evidence
    if not checked.ok or evidence is None or evidence.level != "B-LTA":
        raise RenewalRefused(f"the renewed PDF does not hold at B-LTA: {checked.detail}")
    if not renewed.startswith(document.pdf):
        raise RenewalRefused("the renewed PDF does not keep the sealed bytes")
    expires_at = archive_expiry(renewed)
    if expires_at is None or expires_at - renewal.margin <= now:
        raise RenewalRefused(
            "the TSA signs with a certificate that expires within the margin: renewing "
            "would not extend the evidence (has the TSA rotated its key?)"
        )
    # One UPDATE, past the ORM's immutability guard on purpose: only the PDF's new revision and
    # the expiry change, and only if no one renewed it since it was read.
    stored = session.execute(
        update(SealedDocument)
        .where(SealedDocument.id == document.id, SealedDocument.archive_expires_at == expired_at)
        .values(pdf=renewed, archive_expires_at=expires_at)
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
            "expires_at": expires_at.isoformat(),
        },
        now=now,
    )
    return True
