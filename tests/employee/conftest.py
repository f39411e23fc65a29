"""Fixtures of the employee's pages: certificates signed by the employer with the live BankID test
server (so they carry a real seal), and the employee logged in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.certificates.models import Certificate, State
from app.database import utcnow
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

SignAsEmployer = Callable[[Certificate], None]


@pytest.fixture
def sign_as_employer(client: FlaskClient, bankid: LiveBankID) -> SignAsEmployer:
    """Sign and send a draft as the certifier would, in a browser of their own."""
    employer = client.application.test_client()
    web.log_in(employer, bankid, f.CERTIFIER_PNR)

    def sign(cert: Certificate) -> None:
        web.sign_as_employer(employer, bankid, cert.id, f.CERTIFIER_PNR)

    return sign


@pytest.fixture
def sent(session: Session, w: f.World, sign_as_employer: SignAsEmployer) -> Certificate:
    """A certificate the employer signed with BankID and sent to the employee just now."""
    cert = f.certificate_in(session, w, State.DRAFT, now=utcnow())
    session.flush()
    sign_as_employer(cert)
    session.refresh(cert)
    assert cert.state == State.SENT
    return cert


@pytest.fixture
def employee(client: FlaskClient, bankid: LiveBankID, w: f.World) -> FlaskClient:
    """The test client, logged in as the world's employee."""
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    return client
