"""Endpoints belong to their company; each state change a payroll system hears of writes one
outbox message per active endpoint, naming the certificate and nothing personal."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.certificates import service as certificates
from app.certificates.models import State
from app.errors import DomainError, NotFound
from app.outbox.models import Channel, OutboxMessage
from app.webhooks import service as webhooks
from tests import factories as f
from tests.webhooks.conftest import add_endpoint


def _webhook_messages(session: Session) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.channel == Channel.WEBHOOK)
            .order_by(OutboxMessage.id)
        )
    )


def test_endpoints_are_reached_through_their_company_only(session: Session, w: f.World) -> None:
    new = add_endpoint(session, w, "https://lon.example.test/hooks")
    assert new.secret.startswith("whsec_")
    assert new.secret not in repr(new)
    other = f.company(session, f.person(session, f.OUTSIDER_PNR), "5569999997", "Annat AB")
    session.flush()

    assert webhooks.list_for_company(session, w.company.id) == [new.endpoint]
    assert webhooks.list_for_company(session, other.id) == []
    with pytest.raises(NotFound):
        webhooks.get_for_company(session, other.id, new.endpoint.id)
    with pytest.raises(NotFound):
        webhooks.deactivate(session, company_id=other.id, endpoint_id=new.endpoint.id, actor=SYSTEM)
    with pytest.raises(NotFound):
        webhooks.get_for_company(session, w.company.id, uuid.uuid4())
    assert new.endpoint.active


def test_the_secret_is_stored_encrypted(session: Session, w: f.World) -> None:
    new = add_endpoint(session, w, "https://lon.example.test/hooks")
    stored = session.scalars(text("SELECT secret FROM webhook_endpoint")).all()
    assert stored
    assert not any(new.secret in value for value in stored)
    assert new.endpoint.secret == new.secret


@pytest.mark.parametrize(
    ("url", "loopback_allowed", "error"),
    [
        ("https://lon.example.test/hooks", False, None),
        ("http://127.0.0.1:8080/hooks", True, None),
        ("http://localhost/hooks", True, None),
        ("http://[::1]/hooks", True, None),
        ("http://127.0.0.1:8080/hooks", False, "webhook_url_not_https"),
        ("http://lon.example.test/hooks", True, "webhook_url_not_https"),
        ("ftp://lon.example.test/", True, "webhook_url_not_https"),
        ("https://user:pw@lon.example.test/", True, "webhook_url_invalid"),
        ("https:///hooks", True, "webhook_url_invalid"),
        ("https://lon.example.test:port/", True, "webhook_url_invalid"),
        ("", True, "webhook_url_required"),
    ],
)
def test_only_https_or_loopback_in_development(
    url: str, loopback_allowed: bool, error: str | None
) -> None:
    if error is None:
        assert webhooks.check_url(url, allow_http_loopback=loopback_allowed) == url
    else:
        with pytest.raises(DomainError) as refused:
            webhooks.check_url(url, allow_http_loopback=loopback_allowed)
        assert refused.value.code == error


EVENTS_ON_THE_WAY = {
    State.SENT: ["certificate.sent"],
    State.COMPLETION_REQUESTED: ["certificate.sent", "certificate.completion_requested"],
    State.APPROVED: ["certificate.sent", "certificate.approved"],
    State.EXPIRED: ["certificate.sent", "certificate.expired"],
    State.WITHDRAWN: ["certificate.withdrawn"],
    State.SIGNED: [],
    State.DRAFT: [],
}


@pytest.mark.parametrize("state", list(EVENTS_ON_THE_WAY))
def test_each_state_change_enqueues_one_message_per_active_endpoint(
    session: Session, w: f.World, state: State
) -> None:
    first = add_endpoint(session, w, "https://a.example.test/hooks").endpoint
    second = add_endpoint(session, w, "https://b.example.test/hooks").endpoint
    gone = add_endpoint(session, w, "https://c.example.test/hooks").endpoint
    webhooks.deactivate(session, company_id=w.company.id, endpoint_id=gone.id, actor=SYSTEM)

    cert = f.certificate_in(session, w, state)

    sent = [(m.payload["endpoint_id"], m.payload["event"]) for m in _webhook_messages(session)]
    expected = [
        (str(endpoint.id), event)
        for event in EVENTS_ON_THE_WAY[state]
        for endpoint in (first, second)
    ]
    assert sorted(sent) == sorted(expected)
    assert all(m.payload["certificate_id"] == str(cert.id) for m in _webhook_messages(session))


def test_withdrawing_a_sent_certificate_and_a_new_version_are_events_too(
    session: Session, w: f.World
) -> None:
    add_endpoint(session, w, "https://a.example.test/hooks")
    asked = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    certificates.revise(session, asked, actor=w.by_certifier, now=f.NOW)
    certificates.sign(session, asked, signer=w.certifier, evidence=f.EVIDENCE, now=f.NOW)
    certificates.deliver(session, asked, now=f.NOW)
    certificates.withdraw(session, asked, actor=w.by_certifier, reason="Fel", now=f.NOW)

    events = [(m.payload["event"], m.payload["version"]) for m in _webhook_messages(session)]
    assert events == [
        ("certificate.sent", 1),
        ("certificate.completion_requested", 1),
        ("certificate.sent", 2),
        ("certificate.withdrawn", 2),
    ]
    keys = {m.idempotency_key for m in _webhook_messages(session)}
    assert len(keys) == 4


def test_other_companies_endpoints_hear_nothing(session: Session, w: f.World) -> None:
    outsider = f.person(session, f.OUTSIDER_PNR)
    other = f.company(session, outsider, "5569999997", "Annat AB")
    webhooks.register(
        session, company=other, url="https://other.example.test/", description="", actor=SYSTEM
    )
    f.certificate_in(session, w, State.APPROVED)
    assert _webhook_messages(session) == []


def test_the_payload_holds_no_personal_data(session: Session, w: f.World) -> None:
    add_endpoint(session, w, "https://a.example.test/hooks")
    f.certificate_in(session, w, State.APPROVED)
    messages = _webhook_messages(session)
    assert messages
    for message in messages:
        assert set(message.payload) == {
            "endpoint_id",
            "event",
            "certificate_id",
            "state",
            "version",
            "occurred_at",
        }
        dumped = json.dumps(message.payload)
        for personal in (
            f.EMPLOYEE_PNR,
            f.EMPLOYEE_PNR[2:],
            "Tolvan",
            "Tolvansson",
            f.CERTIFIER_PNR,
            "Carl",
            w.company.name,
        ):
            assert personal not in dumped
