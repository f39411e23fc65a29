"""The ORM-level guarantee that signed versions and signatures never change.

Services never try; this catches the bug or the script that would, before anything is flushed.
Retention (removing expired certificates whole) uses a bulk DELETE and the database's cascade,
deliberately outside this guard.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from app.certificates.models import CertificateVersion, SealedDocument, Signature


class SignedVersionImmutableError(RuntimeError):
    pass


def _was_signed(version: CertificateVersion) -> bool:
    history = inspect(version).attrs.signed_at.history
    before = (
        history.deleted[0]
        if history.deleted
        else history.unchanged[0]
        if history.unchanged
        else None
    )
    return before is not None


@event.listens_for(Session, "before_flush")
def _guard_signed(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, Signature | SealedDocument) and session.is_modified(obj):
            msg = "signatures and sealed documents are immutable"
            raise SignedVersionImmutableError(msg)
        if isinstance(obj, CertificateVersion) and session.is_modified(obj) and _was_signed(obj):
            msg = f"version {obj.number} is signed and cannot change"
            raise SignedVersionImmutableError(msg)
    for obj in session.deleted:
        if isinstance(obj, CertificateVersion) and obj.signed_at is not None:
            msg = f"version {obj.number} is signed and cannot be deleted"
            raise SignedVersionImmutableError(msg)
