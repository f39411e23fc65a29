"""Webhooks reach the public internet only (in production): internal addresses are refused after
DNS resolution, at registration and at every delivery, and redirects are not followed."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.certificates.models import State
from app.config import resolve
from app.outbox.models import Channel, OutboxMessage
from app.webhooks import addresses
from app.webhooks.addresses import InternalAddressError, UnresolvableError, public_addresses
from app.webhooks.delivery import WebhookSender
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from app.worker.worker import Worker
from tests import factories as f
from tests import web
from tests.conftest import AppFactory, LiveBankID
from tests.security.test_production_config import strong_settings
from tests.webhooks.conftest import POLICY, Receiver, add_endpoint

INTERNAL = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # the cloud's metadata service
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
    "::1",
    "fe80::1",
    "fd00::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "224.0.0.1",
]
PUBLIC = ["93.184.216.34", "2606:4700:4700::1111", "::ffff:93.184.216.34"]


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not addresses.is_public(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are(address: str) -> None:
    assert addresses.is_public(address)


def resolver(table: dict[str, list[str]]) -> addresses.Resolver:
    def resolve(host: str, _port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "not found")
        return table[host]

    return resolve


def test_names_are_judged_by_every_address_they_resolve_to() -> None:
    dns = resolver(
        {
            "hooks.example.test": ["93.184.216.34"],
            "metadata.example.test": ["169.254.169.254"],
            "mixed.example.test": ["93.184.216.34", "10.0.0.7"],
        }
    )
    assert public_addresses("hooks.example.test", 443, dns) == ["93.184.216.34"]
    for host in ("metadata.example.test", "mixed.example.test", "localhost", "db.localhost."):
        with pytest.raises(InternalAddressError):
            public_addresses(host, 443, dns)
    with pytest.raises(UnresolvableError):
        public_addresses("nowhere.example.test", 443, dns)


def test_production_always_refuses_internal_addresses(tmp_path: Path) -> None:
    settings = strong_settings(tmp_path) | {"WEBHOOK_ALLOW_INTERNAL": True}
    assert resolve(tmp_path, settings)["WEBHOOK_ALLOW_INTERNAL"] is False
    assert resolve(tmp_path, {})["WEBHOOK_ALLOW_INTERNAL"] is True


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost/hooks",
        "https://127.0.0.1:8443/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://10.0.0.5/hooks",
        "https://[::ffff:192.168.0.1]/hooks",
    ],
)
def test_registration_refuses_internal_addresses(
    make_app: AppFactory, bankid: LiveBankID, session: Session, w: f.World, url: str
) -> None:
    client = make_app(WEBHOOK_ALLOW_INTERNAL=False).test_client()
    web.log_in(client, bankid, f.ADMIN_PNR)
    page = "/arbetsgivare/foretag/webhooks"
    response = web.post(client, page, form_page=page, url=url, description="Lön")
    assert response.status_code == 422
    assert "Adressen leder till ett internt nät" in response.get_data(as_text=True)
    assert session.scalars(select(WebhookEndpoint)).all() == []


def test_registration_refuses_a_name_that_does_not_resolve(
    make_app: AppFactory, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    client = make_app(WEBHOOK_ALLOW_INTERNAL=False).test_client()
    web.log_in(client, bankid, f.ADMIN_PNR)
    page = "/arbetsgivare/foretag/webhooks"
    url = "https://no-such-host.invalid/hooks"
    response = web.post(client, page, form_page=page, url=url)
    assert response.status_code == 422
    assert "Adressen hittades inte" in response.get_data(as_text=True)


def _deliver(session: Session, sessions: sessionmaker[Session], sender: WebhookSender) -> str:
    """One pass of a worker with `sender`; returns the message's status."""
    worker = Worker(
        sessions=sessions,
        senders={"webhook": sender},
        public_url="https://intyga.test",
        policy=POLICY,
        batch_size=10,
    )
    worker.send_due()
    message = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel == Channel.WEBHOOK)
        .execution_options(populate_existing=True)
    ).one()
    return message.status


def test_delivery_refuses_an_internal_address_registered_before(
    session: Session, w: f.World, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    """An endpoint from before this check, or from a development setting, gets nothing."""
    add_endpoint(session, w, receiver.url)
    f.certificate_in(session, w, State.SENT)
    session.commit()

    assert _deliver(session, sessions, WebhookSender(sessions, timeout=5)) == "dead"
    assert receiver.received == []
    [attempt] = session.scalars(select(WebhookDelivery)).all()
    assert attempt.error == "webhook: internal address refused"


def test_delivery_resolves_again_and_refuses_a_name_that_now_points_inside(
    session: Session, w: f.World, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    """DNS rebinding: the name was public at registration and points at loopback now."""
    port = receiver.url.split(":")[2].split("/")[0]
    add_endpoint(session, w, f"https://hooks.example.test:{port}/hooks/intyga")
    f.certificate_in(session, w, State.SENT)
    session.commit()
    rebound = resolver({"hooks.example.test": ["127.0.0.1"]})

    sender = WebhookSender(sessions, timeout=5, resolve=rebound)
    assert _deliver(session, sessions, sender) == "dead"
    assert receiver.received == []


def test_delivery_connects_to_the_checked_address_under_the_registered_name(
    session: Session,
    w: f.World,
    receiver: Receiver,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The guarded connection reaches the address it checked and keeps the name in Host (and
    TLS). Loopback stands in for a public address here: the test has no internet."""
    monkeypatch.setattr(addresses, "is_public", lambda address: address == "127.0.0.1")
    port = receiver.url.split(":")[2].split("/")[0]
    new = add_endpoint(session, w, receiver.url)
    receiver.secret = new.secret
    new.endpoint.url = f"http://hooks.example.test:{port}/hooks/intyga"  # plain HTTP for the test
    f.certificate_in(session, w, State.SENT)
    session.commit()
    dns = resolver({"hooks.example.test": ["127.0.0.1"]})

    assert _deliver(session, sessions, WebhookSender(sessions, timeout=5, resolve=dns)) == "sent"
    [got] = receiver.received
    assert got.headers["Host"] == f"hooks.example.test:{port}"
    assert receiver.verified(got)


def test_redirects_are_not_followed(
    session: Session, w: f.World, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    receiver.statuses = [302]
    add_endpoint(session, w, receiver.url)
    f.certificate_in(session, w, State.SENT)
    session.commit()

    sender = WebhookSender(sessions, timeout=5, allow_internal=True)
    assert _deliver(session, sessions, sender) == "pending"
    assert len(receiver.received) == 1, "the redirect's target was not asked"
    [attempt] = session.scalars(select(WebhookDelivery)).all()
    assert (attempt.status_code, attempt.error) == (302, "webhook: http 302")
