"""Certificates for a-kassa tests: employments that end after the 2025 rules came into force
(the schema examples end in June 2025, before them), brought to `approved` by the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.akassa import service as akassa_service
from app.akassa.models import AkassaStaff
from app.audit.service import Actor
from app.certificates import service as certificates
from app.certificates.models import Certificate
from schemas import examples
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

SHIFT_MONTHS = 15  # 2025-06-30 becomes 2026-09-30: unemployed from 2026-10-01
OFFICER_PNR = "197001019806"
OTHER_OFFICER_PNR = "196505059805"


def content(variant: str = "full", employee_pnr: str = f.EMPLOYEE_PNR) -> dict[str, Any]:
    moved: dict[str, Any] = examples.shifted(f.content(variant, employee_pnr), SHIFT_MONTHS)
    return moved


def approved(
    session: Session,
    w: f.World,
    *,
    variant: str = "full",
    akassa_code: str = "unionens",
    data: dict[str, Any] | None = None,
    now: datetime = f.NOW,
) -> Certificate:
    """A certificate for `w.employee`, signed, delivered and approved to `akassa_code`."""
    cert = certificates.create_draft(
        session,
        company=w.company,
        variant=variant,
        content=data or content(variant),
        actor=w.by_certifier,
        now=now,
    )
    certificates.sign(session, cert, signer=w.certifier, evidence=f.EVIDENCE, now=now)
    certificates.deliver(session, cert, now=now)
    fund = akassa_service.get_by_code(session, akassa_code)
    akassa_service.set_membership(
        session, person_id=w.employee.id, akassa=fund, member_since=now.date() - timedelta(800)
    )
    certificates.approve(
        session,
        cert,
        employee=w.employee,
        akassa=fund,
        version_number=cert.current_version,
        evidence=f.EVIDENCE,
        now=now + timedelta(days=1),
    )
    return cert


def staff(session: Session, pnr: str, akassa_code: str, first: str = "Oskar") -> AkassaStaff:
    return akassa_service.add_staff(
        session,
        personnummer=pnr,
        akassa_code=akassa_code,
        first_name=first,
        last_name="Handläggare",
        actor=Actor(label="test"),
    )


def log_in_officer(client: FlaskClient, bankid: LiveBankID, pnr: str = OFFICER_PNR) -> None:
    """Log in with BankID and continue as the a-kassa officer, on the fund's list."""
    web.log_in(client, bankid, pnr)
    chosen = web.post(client, "/roll", form_page="/start", role="akassa")
    assert chosen.status_code == 302
    assert chosen.headers["Location"] == "/akassa/"
