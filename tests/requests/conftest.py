"""Fixtures of the certificate-request, profile and invitation tests: an open request, and the
notification tests' SMTP server and workers. The world and the company next door are shared
(`tests.support.world`)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.certificate_requests import service as certificate_requests
from app.certificate_requests.models import CertificateRequest
from tests import factories as f
from tests.notifications.conftest import (  # noqa: F401 - fixtures shared with these tests
    clock,
    make_worker,
    sessions,
    smtp_server,
)

ORGNR = "5599999991"


@pytest.fixture
def asked(session: Session, w: f.World) -> CertificateRequest:
    """The employee's open request to the world's company."""
    found = certificate_requests.request_certificate(
        session, w.employee, ORGNR, date(2024, 1, 1), date(2025, 6, 30), message="Till a-kassan"
    )
    session.flush()
    return found
