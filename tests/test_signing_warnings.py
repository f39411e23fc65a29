"""Warnings from the rules are shown on the sign page, confirmed before BankID opens, and the
confirmation is kept in the signature's evidence and the audit trail."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.certificates import service as certificates
from app.certificates.models import Certificate, Signature, State
from app.eid.models import EidOrder
from app.errors import WarningsNotConfirmed
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

WARNING = "severance_after_own_decision"


@pytest.fixture
def draft(session: Session, w: f.World) -> Certificate:
    content = f.content()
    # Severance after the employee resigned: unusual, but it happens.
    content["termination"]["reason"] = "EgenBegaran"
    content["severance"] = {"agreement": True}
    cert = certificates.create_draft(
        session, company=w.company, variant="full", content=content, actor=w.by_certifier
    )
    session.flush()
    return cert


def test_the_sign_page_shows_the_warning_and_asks_to_confirm_it(
    client: FlaskClient, bankid: LiveBankID, draft: Certificate
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = client.get(f"/arbetsgivare/intyg/{draft.id}/granska").get_data(as_text=True)
    assert "Avgångsvederlag är ovanligt när arbetstagaren själv avslutade" in page
    assert f'name="warning" value="{WARNING}"' in page
    assert 'name="confirm_warnings"' in page


def test_unconfirmed_warnings_stop_signing_before_bankid_opens(
    client: FlaskClient, bankid: LiveBankID, session: Session, draft: Certificate
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    orders = session.scalar(select(func.count()).select_from(EidOrder))
    page = f"/arbetsgivare/intyg/{draft.id}"
    response = web.post(client, f"{page}/skriv-under", form_page=page, warning=WARNING)
    assert response.status_code == 422
    assert "bekräfta innan du skriver under" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(EidOrder)) == orders


def test_confirmed_warnings_are_signed_and_recorded(
    client: FlaskClient, bankid: LiveBankID, session: Session, draft: Certificate
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{draft.id}"
    started = web.post(
        client, f"{page}/skriv-under", form_page=page, warning=WARNING, confirm_warnings="1"
    )
    assert started.status_code == 302, started.get_data(as_text=True)
    finished = web.complete_order(client, bankid, started.headers["Location"], f.CERTIFIER_PNR)
    assert finished.status_code == 302
    session.refresh(draft)
    assert draft.state == State.SENT
    signature = session.scalars(select(Signature)).one()
    assert signature.evidence["confirmed_warnings"] == [WARNING]
    signed = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "certificate.sign")
    ).one()
    assert signed.data["confirmed_warnings"] == [WARNING]


def test_a_confirmation_of_other_warnings_does_not_count(
    session: Session, w: f.World, draft: Certificate
) -> None:
    with pytest.raises(WarningsNotConfirmed) as refused:
        certificates.sign(
            session,
            draft,
            signer=w.certifier,
            evidence=f.EVIDENCE,
            confirmed_warnings=["identical_months"],
        )
    assert refused.value.warnings == [WARNING]
    assert draft.state == State.DRAFT


def test_content_without_warnings_needs_no_confirmation(session: Session, w: f.World) -> None:
    cert = f.certificate_in(session, w, State.DRAFT)
    certificates.sign(session, cert, signer=w.certifier, evidence=f.EVIDENCE)
    signature = session.scalars(select(Signature)).one()
    assert signature.evidence["confirmed_warnings"] == []
