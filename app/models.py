"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""

from app.akassa.models import Akassa, AkassaMembership
from app.api.models import IdempotentRequest
from app.apikeys.models import ApiKey
from app.audit.models import AuditChainHead, AuditEvent
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    CompletionMessage,
    SealedDocument,
    Signature,
)
from app.companies.models import Company, Invitation, Membership
from app.eid.models import EidOrder
from app.outbox.models import OutboxMessage
from app.people.models import Person
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

__all__ = [
    "Akassa",
    "AkassaMembership",
    "ApiKey",
    "AuditChainHead",
    "AuditEvent",
    "Certificate",
    "CertificateVersion",
    "Company",
    "CompletionMessage",
    "EidOrder",
    "IdempotentRequest",
    "Invitation",
    "Membership",
    "OutboxMessage",
    "Person",
    "SealedDocument",
    "Signature",
    "WebhookDelivery",
    "WebhookEndpoint",
]
