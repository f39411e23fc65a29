"""Two writers on one certificate at once: exactly one wins, the other gets a Conflict.

These tests commit for real from separate connections, as two requests or workers would.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.akassa import service as akassa_service
from app.audit.models import AuditEvent
from app.audit.service import verify_chain
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.errors import Conflict, DomainError
from tests import factories as f

pytestmark = pytest.mark.committing


def _setup(factory: sessionmaker[Session], state: State) -> tuple[f.World, uuid.UUID]:
    with factory() as session:
        w = f.world(session)
        cert = f.certificate_in(session, w, state)
        session.commit()
        return w, cert.id


def _race(
    factory: sessionmaker[Session],
    cert_id: uuid.UUID,
    *moves: Callable[[Session, Certificate], object],
) -> list[str]:
    """Each move loads the certificate, waits for the others to load it too, then writes."""
    barrier = threading.Barrier(len(moves))
    outcomes: list[str] = [""] * len(moves)

    def run(index: int, move: Callable[[Session, Certificate], object]) -> None:
        with factory() as session:
            cert = session.get_one(Certificate, cert_id)
            barrier.wait(timeout=10)
            try:
                move(session, cert)
                session.commit()
                outcomes[index] = "won"
            except DomainError as exc:
                session.rollback()
                outcomes[index] = type(exc).__name__

    threads = [threading.Thread(target=run, args=(i, m)) for i, m in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_signers_exactly_one_wins(committing: sessionmaker[Session]) -> None:
    w, cert_id = _setup(committing, State.DRAFT)

    def sign_as(signer_id: uuid.UUID) -> Callable[[Session, Certificate], object]:
        def move(session: Session, cert: Certificate) -> object:
            signer = session.get_one(type(w.admin), signer_id)
            return certificates.sign(session, cert, signer=signer, evidence=f.EVIDENCE, now=f.NOW)

        return move

    outcomes = _race(committing, cert_id, sign_as(w.admin.id), sign_as(w.certifier.id))
    assert sorted(outcomes) == ["Conflict", "won"]
    with committing() as session:
        cert = session.get_one(Certificate, cert_id)
        assert cert.state == State.SIGNED
        assert len(certificates.current_version(session, cert).signatures) == 1
        assert verify_chain(session).ok


def test_approve_and_expire_at_day_42_exactly_one_wins(committing: sessionmaker[Session]) -> None:
    w, cert_id = _setup(committing, State.SENT)
    boundary = f.NOW + timedelta(days=42)

    def approve(session: Session, cert: Certificate) -> object:
        employee = session.get_one(type(w.employee), w.employee.id)
        return certificates.approve(
            session,
            cert,
            employee=employee,
            akassa=akassa_service.get_by_code(session, "unionens"),
            version_number=1,
            evidence=f.EVIDENCE,
            now=boundary - timedelta(microseconds=1),
        )

    def expire(session: Session, cert: Certificate) -> object:
        certificates.expire(session, cert, now=boundary)
        return None

    outcomes = _race(committing, cert_id, approve, expire)
    assert outcomes.count("won") == 1
    assert outcomes.count("Conflict") == 1
    with committing() as session:
        cert = session.get_one(Certificate, cert_id)
        assert cert.state in {State.APPROVED, State.EXPIRED}
        finals = session.scalar(
            select(func.count()).where(
                AuditEvent.certificate_id == cert_id,
                AuditEvent.action.in_(["certificate.approve", "certificate.expire"]),
            )
        )
        assert finals == 1


def test_a_writer_holding_an_old_copy_gets_a_conflict(committing: sessionmaker[Session]) -> None:
    w, cert_id = _setup(committing, State.DRAFT)
    with committing() as first, committing() as second:
        mine = first.get_one(Certificate, cert_id)
        theirs = second.get_one(Certificate, cert_id)
        second.commit()  # ends the read; the copy it holds is now stale
        certificates.withdraw(first, mine, actor=w.by_certifier, reason="Dubblett", now=f.NOW)
        first.commit()
        with pytest.raises(Conflict):
            certificates.edit_draft(
                second, theirs, content=f.content(), actor=w.by_certifier, now=f.NOW
            )
