"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""

from app.akassa.models import Akassa, AkassaMembership, AkassaStaff
from app.api.models import IdempotentRequest
from app.apikeys.models import ApiKey
from app.audit.models import AuditChainHead, AuditEvent
from app.certificate_requests.models import CertificateRequest
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    CompletionMessage,
    SealedDocument,
    Signature,
)
from app.companies.models import Company, Invitation, Membership
from app.eid.models import EidOrder
from app.employments.models import EmploymentNumber
from app.imports.models import ImportChunk, ImportedRecord, ImportJob, ImportProblem
from app.income.models import AgiIncome
from app.logins.models import LoginSession
from app.outbox.models import OutboxMessage
from app.people.models import Person
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

__all__ = [
    "AgiIncome",
    "Akassa",
    "AkassaMembership",
    "AkassaStaff",
    "ApiKey",
    "AuditChainHead",
    "AuditEvent",
    "Certificate",
    "CertificateRequest",
    "CertificateVersion",
    "Company",
    "CompletionMessage",
    "EidOrder",
    "EmploymentNumber",
    "IdempotentRequest",
    "ImportChunk",
    "ImportJob",
    "ImportProblem",
    "ImportedRecord",
    "Invitation",
    "LoginSession",
    "Membership",
    "OutboxMessage",
    "Person",
    "SealedDocument",
    "Signature",
    "WebhookDelivery",
    "WebhookEndpoint",
]
