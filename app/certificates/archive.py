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

The sealed XML, when long-term (XAdES B-LT or above), gets its next archive timestamp in the
same renewal (`signing.seal.add_archive_timestamp`); the one attached inside the PDF stays as
sealed, and the PDF's own archive timestamp covers it.
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
from app.database import rows_affected
from signing.longterm import LongTermError
from signing.seal import ServiceSeal, XmlRefused, verify_seal_xml
from signing.seal import add_archive_timestamp as add_xml_archive_timestamp

log = logging.getLogger(__name__)

ACTION: Final = "sealed_document.archive_timestamp_added"
DEFAULT_MARGIN: Final = timedelta(days=90)


class RenewalRefused(Exception):  # noqa: N818 - reads as what happened to the renewal
    """The renewed file would not hold, or would be due again at once."""


@dataclass(frozen=True)
class Renewal:
    """What renewing needs: the seal (its TSA, chain and roots), what verification trusts, the
    margin before expiry, and the batch size."""

    seal: ServiceSeal
    trusted: Sequence[x509.Certificate]
    margin: timedelta = DEFAULT_MARGIN
    batch_size: int = 20


@dataclass(frozen=True)
class _Renewed:
    pdf: bytes
    xml: bytes
    expires_at: datetime
    archive_timestamps: int
    timestamped_at: datetime


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
    """Add the next archive timestamp to one sealed PDF (and to its sealed XML, when that is
    long-term too) if it is still due and no other worker holds it. Flushes; the caller commits.
    Raises RenewalRefused, also when the TSA or an OCSP responder fails."""
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
    renewed = _renewed(document, renewal, now)
    xml_renewed = renewed.xml != document.xml
    # One UPDATE, past the ORM's immutability guard on purpose: only the files' new archive
    # timestamps and the expiry change, and only if no one renewed them since they were read.
    stored = session.execute(
        update(SealedDocument)
        .where(SealedDocument.id == document.id, SealedDocument.archive_expires_at == expired_at)
        .values(pdf=renewed.pdf, xml=renewed.xml, archive_expires_at=renewed.expires_at)
        .execution_options(synchronize_session=False)
    )
    if rows_affected(stored) != 1:
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
            "archive_timestamps": renewed.archive_timestamps,
            "timestamped_at": renewed.timestamped_at.isoformat(),
            "xml_renewed": xml_renewed,
            "expires_at": renewed.expires_at.isoformat(),
        },
        now=now,
    )
    return True


def _renewed(document: SealedDocument, renewal: Renewal, now: datetime) -> _Renewed:
    """The PDF with its next archive timestamp, checked; the XML too when it is long-term."""
    # pyHanko loads in the process that renews, not with every `flask` command.
    from pyhanko.sign.general import SigningError  # noqa: PLC0415

    from signing.pades import LongTerm, add_archive_timestamp, archive_expiry  # noqa: PLC0415
    from signing.pdf import verify_pdf_seal  # noqa: PLC0415

    long_term = LongTerm.of(renewal.seal)
    if long_term is None:
        raise RenewalRefused("the seal has no TSA or no root to renew with")
    trusted = list(renewal.trusted)
    try:
        pdf = add_archive_timestamp(document.pdf, long_term, now)
    except SigningError as exc:
        raise RenewalRefused(f"the TSA or an OCSP responder failed: {exc}") from exc
    checked = verify_pdf_seal(pdf, trusted=trusted, verification_time=now)
    evidence = checked.evidence
    if not checked.ok or evidence is None or evidence.level != "B-LTA":
        raise RenewalRefused(f"the renewed PDF does not hold at B-LTA: {checked.detail}")
    if not pdf.startswith(document.pdf):
        raise RenewalRefused("the renewed PDF does not keep the sealed bytes")
    pdf_expiry = archive_expiry(pdf)
    if pdf_expiry is None:
        raise RenewalRefused("the renewed PDF has no archive timestamp")
    expiries = [pdf_expiry]
    xml = document.xml
    held = verify_seal_xml(xml, trusted=trusted, verification_time=now).evidence
    if held is not None and held.level in ("B-LT", "B-LTA"):
        xml, expiry = _renewed_xml(xml, renewal, now)
        expiries.append(expiry)
    expires_at = min(expiries)
    if expires_at - renewal.margin <= now:
        raise RenewalRefused(
            "the TSA signs with a certificate that expires within the margin: renewing "
            "would not extend the evidence (has the TSA rotated its key?)"
        )
    return _Renewed(
        pdf, xml, expires_at, len(evidence.archive_timestamps), evidence.archive_timestamps[-1]
    )


def _renewed_xml(xml: bytes, renewal: Renewal, now: datetime) -> tuple[bytes, datetime]:
    """The sealed XML with its next XAdES archive timestamp, and when the certificates under
    that one start to expire."""
    try:
        renewed = add_xml_archive_timestamp(xml, renewal.seal)
    except (LongTermError, XmlRefused) as exc:
        raise RenewalRefused(f"the XML's archive timestamp failed: {exc}") from exc
    checked = verify_seal_xml(renewed, trusted=list(renewal.trusted), verification_time=now)
    held = checked.evidence
    if not checked.ok or held is None or held.level != "B-LTA" or not held.archive:
        raise RenewalRefused(f"the renewed XML does not hold at B-LTA: {checked.detail}")
    return renewed, min(c.not_valid_after_utc for c in held.archive[-1].chain)
