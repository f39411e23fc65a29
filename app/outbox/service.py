"""Writing messages into the outbox, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.companies.models import Company
from app.outbox.models import Channel, OutboxMessage
from app.people.models import Person


def enqueue(
    session: Session,
    *,
    key: str,
    channel: Channel,
    template: str,
    payload: Mapping[str, Any],
    person: Person | None = None,
    company: Company | None = None,
) -> OutboxMessage:
    message = OutboxMessage(
        idempotency_key=f"{key}:{channel}",
        channel=channel,
        template=template,
        payload=dict(payload),
        recipient_person_id=person.id if person else None,
        recipient_company_id=company.id if company else None,
    )
    session.add(message)
    return message


def notify_person(
    session: Session, person: Person, *, key: str, template: str, payload: Mapping[str, Any]
) -> list[OutboxMessage]:
    """One message per channel the person chose and has an address for."""
    messages = []
    if person.wants(Channel.EMAIL) and person.email:
        messages.append(
            enqueue(
                session,
                key=key,
                channel=Channel.EMAIL,
                template=template,
                payload=payload,
                person=person,
            )
        )
    if person.wants(Channel.SMS) and person.mobile:
        messages.append(
            enqueue(
                session,
                key=key,
                channel=Channel.SMS,
                template=template,
                payload=payload,
                person=person,
            )
        )
    return messages


def notify_company(
    session: Session, company: Company, *, key: str, template: str, payload: Mapping[str, Any]
) -> OutboxMessage | None:
    if not company.notification_email:
        return None
    return enqueue(
        session, key=key, channel=Channel.EMAIL, template=template, payload=payload, company=company
    )
