"""From an outbox row to an e-mail or SMS: the recipient's address and language are
looked up now, at send time, so the outbox itself never holds them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.companies.models import Company, Invitation
from app.notifications.texts import SIGNATURE, TEXTS, Audience, path_for, text_for
from app.outbox.models import Channel, OutboxMessage
from app.outbox.sending import Outgoing, SendFailed
from app.people.models import Person


def compose(session: Session, message: OutboxMessage, public_url: str) -> Outgoing:
    """Raises a permanent `SendFailed` when the message cannot be composed (no address any more,
    a template we have no text for): trying again would not help."""
    audience, language, address = _recipient(session, message)
    if not address:
        raise SendFailed(f"{message.channel}: the recipient has no address", permanent=True)
    if (message.template, audience) not in TEXTS:
        raise SendFailed(f"no text for {message.template} to a {audience}", permanent=True)
    text = text_for(message.template, audience, language)
    certificate_id = message.payload.get("certificate_id")
    path = path_for(audience, str(certificate_id) if certificate_id else None, message.template)
    link = public_url.rstrip("/") + path
    if message.channel == Channel.SMS:
        body = text.sms.format(link=link)
    else:
        body = f"{text.body.format(link=link)}\n\n{SIGNATURE['en' if language == 'en' else 'sv']}"
    return Outgoing(
        channel=message.channel,
        to=address,
        subject=text.subject,
        body=body,
        idempotency_key=message.idempotency_key,
    )


def _recipient(session: Session, message: OutboxMessage) -> tuple[Audience, str, str | None]:
    if "invitation_id" in message.payload:
        return _invitee(session, message.payload["invitation_id"])
    if message.recipient_person_id is not None:
        person = session.get(Person, message.recipient_person_id)
        if person is None:
            return "person", "sv", None
        address = person.mobile if message.channel == Channel.SMS else person.email
        return "person", person.language, address
    if message.recipient_company_id is not None:
        company = session.get(Company, message.recipient_company_id)
        # Companies are written to in Swedish; they have only an e-mail address.
        address = (
            company.notification_email if company and message.channel == Channel.EMAIL else None
        )
        return "company", "sv", address
    return "person", "sv", None


def _invitee(session: Session, invitation_id: str) -> tuple[Audience, str, str | None]:
    """The invitation's own address (the person may have no account yet); a revoked invitation
    has none. Someone already known is written to in their language."""
    invitation = session.get(Invitation, uuid.UUID(invitation_id))
    if invitation is None:
        return "invitee", "sv", None
    language = session.scalar(
        select(Person.language).where(Person.personnummer_index == invitation.personnummer_index)
    )
    return "invitee", language or "sv", invitation.email
