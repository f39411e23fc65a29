"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""

from app.akassa.models import Akassa, AkassaMembership
from app.audit.models import AuditChainHead, AuditEvent
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    CompletionMessage,
    SealedDocument,
    Signature,
)
from app.companies.models import Company, Membership
from app.eid.models import EidOrder
from app.outbox.models import OutboxMessage
from app.people.models import Person

__all__ = [
    "Akassa",
    "AkassaMembership",
    "AuditChainHead",
    "AuditEvent",
    "Certificate",
    "CertificateVersion",
    "Company",
    "CompletionMessage",
    "EidOrder",
    "Membership",
    "OutboxMessage",
    "Person",
    "SealedDocument",
    "Signature",
]
