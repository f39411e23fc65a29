"""The keyed audit trail: events proven by their MAC from insert, chained by the linker, and the
chain checked against sealed anchors, so edits, gaps, forgeries and a cut tail are all found."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app import seal as app_seal
from app.audit import anchors
from app.audit.chain import Linker, link_pending
from app.audit.models import AuditChainHead, AuditEvent
from app.audit.service import (
    HEAD_ID,
    SYSTEM,
    Actor,
    chain_link,
    current_key,
    event_mac,
    record,
    verify_chain,
)
from app.certificates.models import State
from app.extensions import db
from signing.seal import ServiceSeal
from tests import factories as f


def _chain(session: Session, length: int = 5, *, link: bool = True) -> list[AuditEvent]:
    events = [
        record(session, action="test.event", actor=SYSTEM, data={"n": n}, now=f.NOW)
        for n in range(length)
    ]
    if link:
        link_pending(session)
    session.flush()
    return events


def _tamper(session: Session, statement: object) -> None:
    session.execute(statement)  # type: ignore[call-overload]
    session.expire_all()


def _cut_tail(session: Session, keep: int) -> None:
    """What an attacker with only database access does: delete the newest events, move the head."""
    kept = session.scalars(select(AuditEvent).where(AuditEvent.pos == keep)).one()
    _tamper(session, delete(AuditEvent).where(AuditEvent.pos > keep))
    _tamper(
        session,
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(pos=keep, link=kept.link),
    )


@pytest.fixture
def seal(app: Flask) -> ServiceSeal:
    with app.app_context():
        return app_seal.current()


def test_a_linked_chain_verifies(session: Session) -> None:
    events = _chain(session)
    assert [e.pos for e in events] == [1, 2, 3, 4, 5]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    report = verify_chain(session)
    assert (report.ok, report.checked, report.pending, report.broken_at) == (True, 5, 0, None)


def test_events_are_proven_by_their_mac_before_they_are_linked(session: Session) -> None:
    _chain(session, link=False)
    report = verify_chain(session)
    assert (report.ok, report.checked, report.pending) == (True, 0, 5)
    session.execute(update(AuditEvent).values(data={"n": 99}))
    session.expire_all()
    report = verify_chain(session)
    assert (report.ok, report.reason) == (False, "content does not match its MAC")


def test_an_empty_chain_verifies(session: Session) -> None:
    assert verify_chain(session).ok


def test_transitions_extend_the_chain(session: Session) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.APPROVED)
    link_pending(session)
    report = verify_chain(session)
    assert report.ok
    assert report.checked == 5  # company registered; certificate created, sign, deliver, approve


def test_a_tampered_event_is_found_at_its_position(session: Session) -> None:
    _chain(session)
    _tamper(session, update(AuditEvent).where(AuditEvent.pos == 3).values(data={"n": 99}))
    report = verify_chain(session)
    assert (report.ok, report.broken_at, report.checked) == (False, 3, 2)
    assert report.reason == "content does not match its MAC"


def test_a_mac_made_without_the_key_is_refused(session: Session) -> None:
    """The old chain's weakness: anyone could recompute a plain SHA-256. An HMAC needs the key."""
    _chain(session)
    forged = hashlib.sha256(json.dumps({"n": 99}).encode()).hexdigest()
    _tamper(
        session,
        update(AuditEvent).where(AuditEvent.pos == 2).values(data={"n": 99}, mac=forged),
    )
    report = verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 2)


def test_a_removed_event_leaves_a_gap(session: Session) -> None:
    _chain(session)
    _tamper(session, delete(AuditEvent).where(AuditEvent.pos == 4))
    report = verify_chain(session)
    assert (report.ok, report.broken_at, report.reason) == (
        False,
        4,
        "missing event (gap in the chain)",
    )


def test_a_truncated_tail_without_moving_the_head_is_found(session: Session) -> None:
    _chain(session)
    _tamper(session, delete(AuditEvent).where(AuditEvent.pos == 5))
    report = verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 5)


def test_a_cut_tail_with_the_head_moved_is_found_by_the_anchor(
    session: Session, seal: ServiceSeal, tmp_path: Path
) -> None:
    _chain(session)
    head = session.get(AuditChainHead, HEAD_ID)
    assert head is not None
    anchors.write(tmp_path, seal, pos=head.pos, link=head.link, now=f.NOW)
    _cut_tail(session, keep=3)
    # The database alone is consistent again: this is exactly why the head is anchored.
    assert verify_chain(session).ok
    sealed = anchors.load(tmp_path, [seal.certificate])
    report = verify_chain(session, anchors=sealed)
    assert (report.ok, report.broken_at, report.checked) == (False, 4, 3)
    assert "events missing at the end" in (report.reason or "")


def test_a_chain_relinked_with_the_key_still_differs_from_its_anchor(
    session: Session, seal: ServiceSeal, tmp_path: Path
) -> None:
    """Even with AUDIT_KEY, a rewritten history cannot match what the seal already signed."""
    events = _chain(session, 3)
    head = session.get(AuditChainHead, HEAD_ID)
    assert head is not None
    anchors.write(tmp_path, seal, pos=head.pos, link=head.link, now=f.NOW)
    _tamper(session, delete(AuditEvent).where(AuditEvent.pos == 2))
    key, link = current_key(), "0" * 64
    for pos, event in enumerate((events[0], events[2]), start=1):
        link = chain_link(key, pos=pos, seq=event.seq, mac=event.mac, previous=link)
        _tamper(
            session,
            update(AuditEvent).where(AuditEvent.seq == event.seq).values(pos=pos, link=link),
        )
    _tamper(session, update(AuditChainHead).values(pos=2, link=link))
    assert verify_chain(session).ok
    report = verify_chain(session, anchors=anchors.load(tmp_path, [seal.certificate]))
    assert not report.ok


def test_an_edited_anchor_is_refused(seal: ServiceSeal, tmp_path: Path) -> None:
    anchor = anchors.write(tmp_path, seal, pos=7, link="a" * 64, now=f.NOW)
    document = json.loads(anchor.path.read_text())
    document["payload"]["pos"] = 3
    anchor.path.write_text(json.dumps(document))
    with pytest.raises(anchors.AnchorInvalidError, match="does not verify"):
        anchors.load(tmp_path, [seal.certificate])


def test_an_anchor_sealed_by_another_key_is_refused(seal: ServiceSeal, tmp_path: Path) -> None:
    other = ServiceSeal.load_or_create(tmp_path / "other-seal")
    anchors.write(tmp_path / "anchors", other, pos=1, link="a" * 64, now=f.NOW)
    with pytest.raises(anchors.AnchorInvalidError, match="not our seal"):
        anchors.load(tmp_path / "anchors", [seal.certificate])


def test_the_linker_works_in_batches_and_in_order(session: Session) -> None:
    _chain(session, 5, link=False)
    assert [link_pending(session, batch_size=2) for _ in range(4)] == [2, 2, 1, 0]
    session.expire_all()
    linked = session.scalars(select(AuditEvent).order_by(AuditEvent.pos)).all()
    assert [e.seq for e in linked] == sorted(e.seq for e in linked)
    assert verify_chain(session).ok


def test_an_event_committed_late_is_linked_after_those_before_it(session: Session) -> None:
    """A writer that took a lower number but commits after the linker ran joins the chain later."""
    (linked,) = _chain(session, 1)
    fields: dict[str, Any] = {
        "seq": linked.seq - 1,
        "occurred_at": f.NOW,
        "action": "test.late",
        "actor_id": None,
        "actor_label": "system",
        "company_id": None,
        "certificate_id": None,
        "data": {},
    }
    session.add(AuditEvent(**fields, mac=event_mac(current_key(), **fields)))
    session.flush()
    assert link_pending(session) == 1
    chain = session.scalars(select(AuditEvent.action).order_by(AuditEvent.pos)).all()
    assert chain == ["test.event", "test.late"]
    assert verify_chain(session).ok


def test_the_linker_stops_at_a_forged_event(session: Session) -> None:
    _chain(session, 3, link=False)
    first = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).first()
    assert first is not None
    _tamper(session, update(AuditEvent).where(AuditEvent.seq > first.seq).values(action="forged"))
    assert link_pending(session) == 1
    assert verify_chain(session).reason == "content does not match its MAC"


def test_actor_and_subject_are_covered_by_the_mac(session: Session) -> None:
    person = f.person(session, f.ADMIN_PNR)
    record(session, action="test.event", actor=Actor.person(person.id), now=f.NOW)
    session.flush()
    _tamper(session, update(AuditEvent).values(actor_label="system", actor_id=None))
    assert not verify_chain(session).ok


def test_the_worker_step_links_and_seals_an_anchor(
    app: Flask, session: Session, tmp_path: Path, seal: ServiceSeal
) -> None:
    _chain(session, 4, link=False)
    with app.app_context():
        linker = Linker(
            sessions=db.new_session,
            seal=seal,
            anchor_dir=tmp_path,
            anchor_every=timedelta(minutes=5),
            batch_size=3,
            clock=lambda: f.NOW,
        )
        assert linker.run() == {"audit_events_linked": 4, "audit_anchors_sealed": 1}
        assert linker.run() == {}  # nothing new, and the anchor is not due yet
        linker.clock = lambda: f.NOW + timedelta(minutes=6)
        assert linker.run() == {}  # due, but the newest anchor already holds the head
    (anchor,) = anchors.load(tmp_path, [seal.certificate])
    assert anchor.pos == 4


def test_audit_verify_command_finds_a_cut_tail(session: Session, runner: FlaskCliRunner) -> None:
    _chain(session, 3, link=False)
    anchored = runner.invoke(args=["audit-anchor"])
    assert anchored.exit_code == 0, anchored.output
    assert "linked 3 events" in anchored.output
    record(session, action="test.event", actor=SYSTEM, now=f.NOW)
    session.flush()
    ok = runner.invoke(args=["audit-verify"])
    assert ok.exit_code == 0, ok.output
    assert "3 events verified in the chain, 1 awaiting the linker" in ok.output
    assert "1 anchors matched" in ok.output
    _cut_tail(session, keep=2)
    broken = runner.invoke(args=["audit-verify"])
    assert broken.exit_code == 1
    assert "BROKEN at position 3: events missing at the end" in broken.output


def test_audit_verify_command_refuses_a_forged_anchor(
    session: Session, runner: FlaskCliRunner, app: Flask
) -> None:
    directory = Path(app.config["AUDIT_ANCHOR_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "anchor-000000000009-forged.json").write_text('{"payload": {}}')
    try:
        result = runner.invoke(args=["audit-verify"])
    finally:
        (directory / "anchor-000000000009-forged.json").unlink()
    assert result.exit_code == 1
    assert "audit anchor REFUSED" in result.output


def test_events_hold_no_personal_data(session: Session) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    dumped = " ".join(str(row) for row in session.execute(select(AuditEvent.data)).scalars())
    for secret in (f.EMPLOYEE_PNR, "Tolvan", "Fel slutdatum"):
        assert secret not in dumped
