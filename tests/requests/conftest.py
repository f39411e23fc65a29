"""Fixtures of the certificate-request, profile and invitation tests: the usual world, a company
next door, and the notification tests' SMTP server and workers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.certificate_requests import service as certificate_requests
from app.certificate_requests.models import CertificateRequest
from app.companies.models import Company
from tests import factories as f
from tests.notifications.conftest import (  # noqa: F401 - fixtures shared with these tests
    clock,
    make_worker,
    sessions,
    smtp_server,
)

ORGNR = "5599999991"
OTHER_ORGNR = "5569999997"


@pytest.fixture
def w(session: Session) -> f.World:
    world = f.world(session)
    session.flush()
    return world


@pytest.fixture
def other_company(session: Session) -> Company:
    """Another company, whose admin is the outsider."""
    other = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
    company = f.company(session, other, orgnr=OTHER_ORGNR, name="Annat AB")
    session.flush()
    return company


@pytest.fixture
def asked(session: Session, w: f.World) -> CertificateRequest:
    """The employee's open request to the world's company."""
    found = certificate_requests.request_certificate(
        session, w.employee, ORGNR, date(2024, 1, 1), date(2025, 6, 30), message="Till a-kassan"
    )
    session.flush()
    return found
