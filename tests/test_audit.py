"""The hash-chained audit trail: intact chains verify, any tampering is found at its link."""

from __future__ import annotations

from itertools import pairwise

from flask.testing import FlaskCliRunner
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.service import SYSTEM, Actor, record, verify_chain
from app.certificates.models import State
from tests import factories as f


def _chain(session: Session, length: int = 5) -> list[AuditEvent]:
    return [
        record(session, action="test.event", actor=SYSTEM, data={"n": n}, now=f.NOW)
        for n in range(length)
    ]


def test_an_untouched_chain_verifies(session: Session) -> None:
    events = _chain(session)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))
    report = verify_chain(session)
    assert (report.ok, report.checked, report.broken_at) == (True, 5, None)


def test_an_empty_chain_verifies(session: Session) -> None:
    assert verify_chain(session).ok


def test_transitions_extend_the_chain(session: Session) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.APPROVED)
    report = verify_chain(session)
    assert report.ok
    assert report.checked == 5  # company registered; certificate created, sign, deliver, approve


def test_a_changed_field_is_found_at_its_event(session: Session) -> None:
    _chain(session)
    session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(data={"n": 99}))
    session.expire_all()
    report = verify_chain(session)
    assert (report.ok, report.broken_at, report.checked) == (False, 3, 2)
    assert report.reason == "content does not match its hash"


def test_a_recomputed_hash_breaks_the_next_link(session: Session) -> None:
    _chain(session)
    session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(hash="f" * 64))
    session.expire_all()
    report = verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 2)


def test_a_removed_event_leaves_a_gap(session: Session) -> None:
    _chain(session)
    session.execute(delete(AuditEvent).where(AuditEvent.seq == 4))
    session.expire_all()
    report = verify_chain(session)
    assert (report.ok, report.broken_at, report.reason) == (
        False,
        4,
        "missing event (gap in sequence)",
    )


def test_a_truncated_tail_is_found(session: Session) -> None:
    _chain(session)
    session.execute(delete(AuditEvent).where(AuditEvent.seq == 5))
    session.expire_all()
    report = verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 5)


def test_actor_and_subject_are_covered_by_the_hash(session: Session) -> None:
    person = f.person(session, f.ADMIN_PNR)
    record(session, action="test.event", actor=Actor.person(person.id), now=f.NOW)
    session.execute(update(AuditEvent).values(actor_label="system", actor_id=None))
    session.expire_all()
    assert not verify_chain(session).ok


def test_audit_verify_command(session: Session, runner: FlaskCliRunner) -> None:
    _chain(session, 3)
    ok = runner.invoke(args=["audit-verify"])
    assert ok.exit_code == 0
    assert "3 events verified" in ok.output
    session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(action="test.forged"))
    broken = runner.invoke(args=["audit-verify"])
    assert broken.exit_code == 1
    assert "BROKEN at event 2" in broken.output


def test_events_hold_no_personal_data(session: Session) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    dumped = " ".join(str(row) for row in session.execute(select(AuditEvent.data)).scalars())
    for secret in (f.EMPLOYEE_PNR, "Tolvan", "Fel slutdatum"):
        assert secret not in dumped
