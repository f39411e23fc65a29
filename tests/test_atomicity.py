"""A transition is all or nothing: a failure after its audit event leaves no trace."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit.models import AuditEvent
from app.audit.service import verify_chain
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.outbox import service as outbox_service
from app.outbox.models import OutboxMessage
from tests import factories as f

pytestmark = pytest.mark.committing


class BoomError(RuntimeError):
    pass


def test_failure_after_the_audit_event_rolls_everything_back(
    committing: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with committing() as session:
        w = f.world(session)
        cert = f.certificate_in(session, w, State.SIGNED)
        session.commit()
        events_before = session.scalar(select(func.count()).select_from(AuditEvent)) or 0

    def fail_after_audit(*_args: Any, **_kwargs: Any) -> None:
        raise BoomError

    # deliver() writes its state change and audit event, then the outbox: fail right there.
    monkeypatch.setattr(outbox_service, "notify_person", fail_after_audit)
    with committing() as session:
        loaded = session.get_one(Certificate, cert.id)
        with pytest.raises(BoomError):
            certificates.deliver(session, loaded, now=f.NOW)
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 1
        session.rollback()

    with committing() as session:
        again = session.get_one(Certificate, cert.id)
        assert again.state == State.SIGNED
        assert again.delivered_at is None
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert verify_chain(session).ok
