"""Registering a company's webhook endpoints, and writing one outbox message per endpoint when a
certificate changes state. Flask-free; only flushes."""

from __future__ import annotations

import ipaddress
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.certificates.models import Certificate
from app.companies.models import Company
from app.database import utcnow
from app.errors import DomainError, NotFound
from app.outbox import service as outbox
from app.outbox.models import Channel, OutboxMessage
from app.webhooks.addresses import (
    InternalAddressError,
    Resolver,
    UnresolvableError,
    public_addresses,
)
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

# The life-cycle actions a payroll system hears of, and the event names it sees.
EVENTS = {
    "deliver": "certificate.sent",
    "request_completion": "certificate.completion_requested",
    "approve": "certificate.approved",
    "expire": "certificate.expired",
    "withdraw": "certificate.withdrawn",
}
TEMPLATE = "webhook"
SECRET_START = "whsec_"  # noqa: S105 - the visible start of every secret, not one
URL_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 120
_LOCAL_NAMES = frozenset({"localhost", "localhost."})


@dataclass(frozen=True)
class NewEndpoint:
    """An endpoint just made, with its secret: show it once."""

    endpoint: WebhookEndpoint
    secret: str = field(repr=False)


def check_url(url: str, *, allow_http_loopback: bool, public_only: Resolver | None = None) -> str:
    """HTTPS only; plain HTTP to this machine is allowed outside production, for development.
    With `public_only` (production), the host must resolve to public addresses only."""
    url = (url or "").strip()
    if not url:
        raise DomainError("webhook_url_required")
    if len(url) > URL_MAX_LENGTH:
        raise DomainError("webhook_url_too_long", max=URL_MAX_LENGTH)
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise DomainError("webhook_url_invalid") from exc
    if not host or parts.username or parts.password:
        raise DomainError("webhook_url_invalid")
    if public_only is not None:
        default_port = 443 if parts.scheme == "https" else 80
        try:
            public_addresses(host, parts.port or default_port, public_only)
        except InternalAddressError as exc:
            raise DomainError("webhook_url_internal") from exc
        except UnresolvableError as exc:
            raise DomainError("webhook_url_unresolvable") from exc
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and allow_http_loopback and _is_loopback(host):
        return url
    raise DomainError("webhook_url_not_https")


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(
    session: Session,
    *,
    company: Company,
    url: str,
    description: str,
    actor: Actor,
    allow_http_loopback: bool = False,
    public_only: Resolver | None = None,
    now: datetime | None = None,
) -> NewEndpoint:
    """A new active endpoint for `company`; its secret is returned here and never again."""
    now = now or utcnow()
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise DomainError("webhook_description_too_long", max=DESCRIPTION_MAX_LENGTH)
    secret = f"{SECRET_START}{secrets.token_urlsafe(32)}"
    endpoint = WebhookEndpoint(
        company_id=company.id,
        url=check_url(url, allow_http_loopback=allow_http_loopback, public_only=public_only),
        secret=secret,
        description=description,
        active=True,
        created_at=now,
    )
    session.add(endpoint)
    session.flush()
    _audit(session, endpoint, "created", actor, now)
    return NewEndpoint(endpoint, secret)


def get_for_company(
    session: Session, company_id: uuid.UUID, endpoint_id: uuid.UUID
) -> WebhookEndpoint:
    endpoint = session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.company_id == company_id
        )
    )
    if endpoint is None:
        raise NotFound("webhook_not_found")
    return endpoint


def list_for_company(session: Session, company_id: uuid.UUID) -> list[WebhookEndpoint]:
    """Active endpoints first, then newest first."""
    return list(
        session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.company_id == company_id)
            .order_by(
                WebhookEndpoint.active.desc(),
                WebhookEndpoint.created_at.desc(),
                WebhookEndpoint.id,
            )
        )
    )


def deactivate(
    session: Session,
    *,
    company_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    actor: Actor,
    now: datetime | None = None,
) -> WebhookEndpoint:
    """No new events from now on (messages already queued are dropped by the sender)."""
    now = now or utcnow()
    endpoint = get_for_company(session, company_id, endpoint_id)
    if endpoint.active:
        endpoint.active = False
        session.flush()
        _audit(session, endpoint, "deactivated", actor, now)
    return endpoint


def deliveries(
    session: Session, company_id: uuid.UUID, *, limit: int = 100
) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
    """The company's latest delivery attempts, newest first."""
    rows = session.execute(
        select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookDelivery.endpoint_id == WebhookEndpoint.id)
        .where(WebhookEndpoint.company_id == company_id)
        .order_by(WebhookDelivery.attempted_at.desc(), WebhookDelivery.id.desc())
        .limit(limit)
    )
    return [(delivery, endpoint) for delivery, endpoint in rows]


def enqueue_events(
    session: Session, certificate: Certificate, event: str, *, now: datetime | None = None
) -> list[OutboxMessage]:
    """One outbox message per active endpoint of the certificate's company.

    The payload names the certificate and its state only: a payroll system that wants more asks
    the API, with its key. The key makes a repeated change (a retried job) enqueue nothing twice.
    """
    now = now or utcnow()
    endpoints = session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.company_id == certificate.company_id,
            WebhookEndpoint.active.is_(True),
        )
    )
    return [
        outbox.enqueue(
            session,
            key=f"wh:{endpoint.id}:{certificate.id}:{certificate.current_version}:{event}",
            channel=Channel.WEBHOOK,
            template=TEMPLATE,
            payload={
                "endpoint_id": str(endpoint.id),
                "event": event,
                "certificate_id": str(certificate.id),
                "state": str(certificate.state),
                "version": certificate.current_version,
                "occurred_at": now.isoformat(),
            },
            company=certificate.company,
            now=now,
        )
        for endpoint in endpoints
    ]


def _audit(
    session: Session, endpoint: WebhookEndpoint, action: str, actor: Actor, now: datetime
) -> None:
    record_audit(
        session,
        action=f"webhook.{action}",
        actor=actor,
        company_id=endpoint.company_id,
        data={"webhook_id": str(endpoint.id)},
        now=now,
    )
