"""A company with an API key, and a second company with its own: the tenants of every API test."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from app.apikeys import service as apikeys
from app.audit.service import Actor
from app.certificates.models import Certificate, State
from app.companies import service as companies
from app.companies.models import Company
from tests import factories as f

OTHER_ORGNR = "5560160680"
OTHER_ADMIN_PNR = "197511249836"


@dataclass
class Tenant:
    company: Company
    key: str
    key_id: uuid.UUID

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def key_for(session: Session, company: Company, name: str = "Lönesystemet") -> Tenant:
    made = apikeys.create(session, company=company, name=name, actor=Actor(label="test"))
    return Tenant(company, made.plaintext, made.key.id)


@pytest.fixture
def mine(session: Session, w: f.World) -> Tenant:
    return key_for(session, w.company)


@pytest.fixture
def theirs(session: Session) -> Tenant:
    admin = f.person(session, OTHER_ADMIN_PNR, "Olle", "Annan")
    company = companies.register_company(
        session, organisationsnummer=OTHER_ORGNR, name="Annat AB", admin=admin
    )
    return key_for(session, company, "Deras lönesystem")


@pytest.fixture
def draft(session: Session, w: f.World) -> Certificate:
    return f.certificate_in(session, w, State.DRAFT)
