"""Every legal and illegal transition of `lifecycle.md`, and what each one leaves behind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.akassa import service as akassa_service
from app.audit.models import AuditEvent
from app.certificates import service as certificates
from app.certificates.models import Certificate, Signature, State
from app.errors import (
    Conflict,
    DeadlinePassed,
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidContent,
    NotFound,
)
from app.outbox.models import OutboxMessage
from tests import factories as f

WHEN = f.NOW + timedelta(days=1)

Action = Callable[[Session, f.World, Certificate], object]

ACTIONS: dict[str, Action] = {
    "edit": lambda s, w, c: certificates.edit_draft(
        s, c, content=f.content(c.variant), actor=w.by_certifier, now=WHEN
    ),
    "sign": lambda s, w, c: certificates.sign(
        s, c, signer=w.certifier, evidence=f.EVIDENCE, now=WHEN
    ),
    "deliver": lambda s, w, c: certificates.deliver(s, c, now=WHEN),
    "approve": lambda s, w, c: certificates.approve(
        s,
        c,
        employee=w.employee,
        akassa=akassa_service.get_by_code(s, "unionens"),
        version_number=c.current_version,
        evidence=f.EVIDENCE,
        now=WHEN,
    ),
    "request_completion": lambda s, w, c: certificates.request_completion(
        s, c, employee=w.employee, message="Komplettera lönen", now=WHEN
    ),
    "revise": lambda s, w, c: certificates.revise(s, c, actor=w.by_certifier, now=WHEN),
    "withdraw": lambda s, w, c: certificates.withdraw(
        s, c, actor=w.by_certifier, reason="Fel anställning", now=WHEN
    ),
    "expire": lambda s, w, c: certificates.expire(s, c, now=f.NOW + timedelta(days=42)),
}
EMPLOYEE_ACTIONS = {"approve", "request_completion"}
UNDELIVERED = {State.DRAFT, State.SIGNED, State.WITHDRAWN}

assert set(ACTIONS) == set(certificates.TRANSITIONS)


@pytest.fixture
def w(session: Session) -> f.World:
    return f.world(session)


def _events(session: Session, cert: Certificate) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.certificate_id == cert.id)
            .order_by(AuditEvent.seq)
        )
    )


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_transition_matrix(session: Session, w: f.World, state: State, action: str) -> None:
    cert = f.certificate_in(session, w, state)
    assert cert.state == state
    allowed, target = certificates.TRANSITIONS[action]
    before = _events(session, cert)
    if state in allowed:
        ACTIONS[action](session, w, cert)
        assert cert.state == target
        assert _events(session, cert)[len(before)] == f"certificate.{action}"
        return
    expected: type[DomainError] = IllegalTransition
    if action in EMPLOYEE_ACTIONS and state in UNDELIVERED:
        expected = NotFound  # the employee cannot see what never reached them
    with pytest.raises(expected):
        ACTIONS[action](session, w, cert)
    assert cert.state == state
    assert _events(session, cert) == before


def test_the_whole_journey_with_a_completion(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    note = certificates.messages(session, cert)
    assert [(m.author_role, m.body, m.version_number) for m in note] == [
        ("employee", "Fel slutdatum", 1)
    ]
    draft = certificates.revise(session, cert, actor=w.by_certifier, now=WHEN)
    assert (draft.number, cert.current_version, cert.state) == (2, 2, State.DRAFT)
    assert draft.content == certificates.version(session, cert, 1).content
    assert cert.answer_deadline is None
    changed = f.content() | {"other_information": "Rättat slutdatum."}
    certificates.edit_draft(session, cert, content=changed, actor=w.by_certifier, now=WHEN)
    certificates.sign(session, cert, signer=w.admin, evidence=f.EVIDENCE, now=WHEN)
    later = WHEN + timedelta(days=3)
    certificates.deliver(session, cert, now=later)
    assert cert.answer_deadline == later + timedelta(days=42), (
        "a new version starts a new six weeks"
    )
    templates = session.scalars(
        select(OutboxMessage.template).where(OutboxMessage.recipient_person_id == w.employee.id)
    ).all()
    assert sorted(templates) == ["certificate_delivered", "certificate_new_version"]
    assert (
        certificates.version(session, cert, 1).content
        != certificates.current_version(session, cert).content
    )
    certificates.approve(
        session,
        cert,
        employee=w.employee,
        akassa=akassa_service.get_by_code(session, "unionens"),
        version_number=2,
        evidence=f.EVIDENCE,
        now=later + timedelta(days=1),
    )
    assert cert.state == State.APPROVED
    assert cert.akassa is not None
    assert cert.akassa.code == "unionens"
    assert _events(session, cert) == [
        "certificate.created",
        "certificate.sign",
        "certificate.deliver",
        "certificate.request_completion",
        "certificate.revise",
        "certificate.edit",
        "certificate.sign",
        "certificate.deliver",
        "certificate.approve",
    ]


def test_approval_signature_covers_the_version_shown(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.APPROVED)
    shown = certificates.current_version(session, cert)
    roles = {
        s.role: s
        for s in session.scalars(select(Signature).where(Signature.version_id == shown.id))
    }
    assert set(roles) == {"employer", "employee"}
    assert roles["employee"].person_id == w.employee.id
    assert roles["employee"].document_hash == shown.content_hash


def test_approving_an_older_version_is_a_conflict(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    with pytest.raises(Conflict):
        certificates.approve(
            session,
            cert,
            employee=w.employee,
            akassa=akassa_service.get_by_code(session, "unionens"),
            version_number=cert.current_version + 1,
            evidence=f.EVIDENCE,
            now=WHEN,
        )
    assert cert.state == State.SENT


def test_approval_goes_only_to_the_employees_own_akassa(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    with pytest.raises(Forbidden):
        certificates.approve(
            session,
            cert,
            employee=w.employee,
            akassa=akassa_service.get_by_code(session, "if-metall"),
            version_number=1,
            evidence=f.EVIDENCE,
            now=WHEN,
        )


def _approve(session: Session, w: f.World, cert: Certificate, now: datetime) -> object:
    unionens = akassa_service.get_by_code(session, "unionens")
    return certificates.approve(
        session,
        cert,
        employee=w.employee,
        akassa=unionens,
        version_number=1,
        evidence=f.EVIDENCE,
        now=now,
    )


def _ask(session: Session, w: f.World, cert: Certificate, now: datetime) -> object:
    return certificates.request_completion(session, cert, employee=w.employee, message="x", now=now)


@pytest.mark.parametrize("answer", [_approve, _ask])
def test_answers_after_six_weeks_are_refused(
    session: Session,
    w: f.World,
    answer: Callable[[Session, f.World, Certificate, datetime], object],
) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    deadline = f.NOW + timedelta(days=42)
    with pytest.raises(DeadlinePassed):
        answer(session, w, cert, deadline)
    assert cert.state == State.SENT
    answer(session, w, cert, deadline - timedelta(seconds=1))
    assert cert.state != State.SENT


def test_expiry_waits_for_the_deadline_and_tells_both_sides(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    with pytest.raises(IllegalTransition) as refused:
        certificates.expire(session, cert, now=f.NOW + timedelta(days=41, hours=23))
    assert refused.value.code == "deadline_not_reached"
    certificates.expire(session, cert, now=f.NOW + timedelta(days=42))
    assert cert.state == State.EXPIRED
    sent = session.execute(
        select(
            OutboxMessage.template,
            OutboxMessage.recipient_person_id,
            OutboxMessage.recipient_company_id,
        ).where(OutboxMessage.template == "certificate_expired")
    ).all()
    assert {(p is not None, c is not None) for _t, p, c in sent} == {(True, False), (False, True)}


def test_days_left_counts_down(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    assert certificates.days_left(cert, f.NOW) == 42
    assert certificates.days_left(cert, f.NOW + timedelta(days=41, hours=1)) == 1
    assert certificates.days_left(cert, f.NOW + timedelta(days=50)) == 0
    assert certificates.days_left(f.certificate_in(session, w, State.DRAFT), f.NOW) is None


@pytest.mark.parametrize(
    ("notify_by", "channels"),
    [
        ("email", ["email"]),
        ("sms", ["sms"]),
        ("both", ["email", "sms"]),
        ("none", []),
    ],
)
def test_delivery_notifies_by_the_chosen_channels(
    session: Session, w: f.World, notify_by: str, channels: list[str]
) -> None:
    w.employee.notify_by, w.employee.mobile = notify_by, "0701234567"
    cert = f.certificate_in(session, w, State.SENT)
    rows = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.payload["certificate_id"].as_string() == str(cert.id)
        )
    ).all()
    assert sorted(m.channel for m in rows) == channels
    for message in rows:
        assert message.payload == {"certificate_id": str(cert.id), "version": 1}
        assert message.recipient_person_id == w.employee.id


def test_withdrawal_tells_the_employee_only_when_it_reached_them(
    session: Session, w: f.World
) -> None:
    sent = f.certificate_in(session, w, State.SENT)
    certificates.withdraw(session, sent, actor=w.by_certifier, reason="Fel period", now=WHEN)
    draft = f.certificate_in(session, w, State.DRAFT)
    certificates.withdraw(session, draft, actor=w.by_certifier, reason="Dubblett", now=WHEN)
    withdrawn = session.scalars(
        select(OutboxMessage.payload).where(OutboxMessage.template == "certificate_withdrawn")
    ).all()
    assert [p["certificate_id"] for p in withdrawn] == [str(sent.id)]
    assert sent.withdrawn_reason == "Fel period"


@pytest.mark.parametrize(
    ("message", "code"),
    [("", "message_required"), ("   ", "message_required"), ("x" * 2001, "message_too_long")],
)
def test_completion_messages_are_required_and_limited(
    session: Session, w: f.World, message: str, code: str
) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    with pytest.raises(DomainError) as refused:
        certificates.request_completion(
            session, cert, employee=w.employee, message=message, now=WHEN
        )
    assert refused.value.code == code
    assert cert.state == State.SENT


def test_only_members_of_the_company_can_sign(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.DRAFT)
    outsider = f.person(session, f.OUTSIDER_PNR)
    with pytest.raises(Forbidden):
        certificates.sign(session, cert, signer=outsider, evidence=f.EVIDENCE, now=WHEN)
    assert cert.state == State.DRAFT


def test_incomplete_drafts_save_but_cannot_be_signed(session: Session, w: f.World) -> None:
    partial = {"employee": f.content()["employee"]}
    cert = certificates.create_draft(
        session, company=w.company, variant="full", content=partial, actor=w.by_certifier, now=WHEN
    )
    with pytest.raises(InvalidContent) as refused:
        certificates.sign(session, cert, signer=w.certifier, evidence=f.EVIDENCE, now=WHEN)
    assert "employer" in refused.value.errors
    assert cert.state == State.DRAFT
    assert certificates.current_version(session, cert).signed_at is None
    assert session.scalar(select(func.count()).select_from(Signature)) == 0


def test_invalid_content_stores_nothing(session: Session, w: f.World) -> None:
    bad = f.content()
    bad["employee"]["first_name"] = "x" * 21
    with pytest.raises(InvalidContent) as refused:
        certificates.create_draft(
            session, company=w.company, variant="full", content=bad, actor=w.by_certifier, now=WHEN
        )
    assert refused.value.errors["employee"]["first_name"]
    assert session.scalar(select(func.count()).select_from(Certificate)) == 0
    with pytest.raises(InvalidContent):
        certificates.create_draft(
            session, company=w.company, variant="paper", content=f.content(), actor=w.by_certifier
        )


def test_a_draft_needs_to_know_its_employee(session: Session, w: f.World) -> None:
    with pytest.raises(InvalidContent) as refused:
        certificates.create_draft(
            session, company=w.company, variant="income_2025", content={}, actor=w.by_certifier
        )
    assert set(refused.value.errors["employee"]) == {"personnummer", "first_name", "last_name"}


def test_a_stale_form_is_a_conflict(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.DRAFT)
    seen = cert.lock_version
    certificates.edit_draft(
        session, cert, content=f.content(), actor=w.by_certifier, expected_lock_version=seen
    )
    with pytest.raises(Conflict):
        certificates.edit_draft(
            session, cert, content=f.content(), actor=w.by_certifier, expected_lock_version=seen
        )


def test_lookups_go_through_the_owner(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.APPROVED)
    draft = f.certificate_in(session, w, State.DRAFT)
    other_admin = f.person(session, f.OUTSIDER_PNR)
    other = f.company(session, other_admin, orgnr="5569999997", name="Annat AB")
    assert certificates.get_for_company(session, w.company.id, cert.id) is cert
    with pytest.raises(NotFound):
        certificates.get_for_company(session, other.id, cert.id)
    assert certificates.get_for_employee(session, w.employee.id, cert.id) is cert
    with pytest.raises(NotFound):
        certificates.get_for_employee(session, other_admin.id, cert.id)
    with pytest.raises(NotFound):
        certificates.get_for_employee(session, w.employee.id, draft.id)
    unionens = akassa_service.get_by_code(session, "unionens")
    assert certificates.get_for_akassa(session, unionens.id, cert.id) is cert
    with pytest.raises(NotFound):
        certificates.get_for_akassa(
            session, akassa_service.get_by_code(session, "if-metall").id, cert.id
        )
    with pytest.raises(NotFound):
        certificates.get_for_akassa(session, unionens.id, draft.id)
