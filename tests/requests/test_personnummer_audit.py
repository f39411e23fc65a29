"""Every employer page that shows a full personnummer leaves one audit event naming who saw
which certificate's; lists, which mask it, leave none."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.service import verify_chain
from app.certificate_requests.models import CertificateRequest
from app.certificates.models import State
from app.companies.models import Company
from schemas import formats
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID


def _viewed(session: Session) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "personnummer_viewed")
            .order_by(AuditEvent.seq)
        )
    )


def test_the_certificate_page_and_the_draft_form_are_logged_once_per_view(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    certificate = f.certificate_in(session, w, State.DRAFT)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)

    listed = client.get("/arbetsgivare/").get_data(as_text=True)
    assert w.employee.personnummer not in listed
    assert _viewed(session) == []

    page = client.get(f"/arbetsgivare/intyg/{certificate.id}")
    assert page.status_code == 200
    assert formats.personnummer(w.employee.personnummer) in page.get_data(as_text=True)
    form = client.get(f"/arbetsgivare/intyg/{certificate.id}/redigera")
    assert form.status_code == 200

    first, second = _viewed(session)
    for event, page_name in ((first, "certificate_page"), (second, "edit_draft")):
        assert event.actor_id == w.certifier.id
        assert event.certificate_id == certificate.id
        assert event.company_id == w.company.id
        assert event.data == {"page": f"employer.{page_name}"}
    assert verify_chain(session).ok


def test_a_form_prefilled_from_a_request_is_logged_with_the_request(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    asked: CertificateRequest,
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    page = f"/arbetsgivare/intyg/nytt?begaran={asked.id}"
    response = web.post(
        client,
        "/arbetsgivare/intyg/nytt",
        form_page=page,
        action="start",
        begaran=str(asked.id),
        variant="full",
        **{"employment_form.type": "permanent", "employment.still_employed": "true"},
    )
    assert response.status_code == 200

    [event] = _viewed(session)
    assert event.actor_id == w.admin.id
    assert event.certificate_id is None
    assert event.data == {"page": "employer.new_certificate_form", "request_id": str(asked.id)}


def test_another_companys_certificate_is_neither_shown_nor_logged(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    other_company: Company,
) -> None:
    certificate = f.certificate_in(session, w, State.SENT)
    session.flush()
    web.log_in(client, bankid, f.OUTSIDER_PNR)

    assert client.get(f"/arbetsgivare/intyg/{certificate.id}").status_code == 404
    assert client.get(f"/arbetsgivare/intyg/{certificate.id}/redigera").status_code == 404
    assert _viewed(session) == []


def test_a_sealed_document_downloaded_is_logged_with_its_kind(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    certificate = f.certificate_in(session, w, State.DRAFT)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    web.sign_as_employer(client, bankid, certificate.id, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{certificate.id}"
    before = len(_viewed(session))

    assert client.get(f"{page}/version/1/intyg.pdf").status_code == 200

    *_, event = _viewed(session)
    assert len(_viewed(session)) == before + 1
    assert event.certificate_id == certificate.id
    assert event.data == {"page": "employer.sealed_document", "document": "pdf"}
