"""The company answers requests: listed on its start page, "Skapa intyg" pre-fills the form and
the saved draft fulfils the request, or it is declined with a reason the employee is told of.
Another company's request does not exist for it."""

from __future__ import annotations

import re
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.certificate_requests import service as certificate_requests
from app.certificate_requests.models import CertificateRequest, RequestState
from app.certificates import service as certificates
from app.certificates.models import Certificate
from app.companies.models import Company
from app.errors import Conflict, IllegalTransition
from app.notifications.compose import compose
from app.outbox.models import OutboxMessage
from schemas import formats
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

LIST = "/arbetsgivare/"
NEW = "/arbetsgivare/intyg/nytt"
HIDDEN_REQUEST = re.compile(r'<input type="hidden" name="begaran" value="([0-9a-f-]+)">')


def _value(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


def _start(client: FlaskClient, asked: CertificateRequest) -> str:
    """The first step of the form opened from the request; returns the full form's HTML."""
    page = f"{NEW}?begaran={asked.id}"
    response = web.post(
        client,
        NEW,
        form_page=page,
        action="start",
        begaran=str(asked.id),
        variant="income_2025",
        **{"employment_form.type": "Tillsvidare", "employment.still_employed": "false"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_open_requests_are_listed_on_the_start_page_with_a_masked_personnummer(
    client: FlaskClient, bankid: LiveBankID, w: f.World, asked: CertificateRequest
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)

    html = client.get(LIST).get_data(as_text=True)

    assert "Begäranden om intyg" in html
    assert "Tolvan Tolvansson" in html
    assert "121212-****" in html
    assert w.employee.personnummer not in html
    assert "2024-01-01 – 2025-06-30" in html
    assert "Till a-kassan" in html
    assert f'href="/arbetsgivare/intyg/nytt?begaran={asked.id}"' in html
    assert f'href="/arbetsgivare/begaran/{asked.id}/avboj"' in html


def test_skapa_intyg_prefills_the_form_and_the_saved_draft_fulfils_the_request(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    asked: CertificateRequest,
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    first = client.get(f"{NEW}?begaran={asked.id}").get_data(as_text=True)
    assert "Intyget skrivs för Tolvan Tolvansson" in first
    assert HIDDEN_REQUEST.search(first)

    form = _start(client, asked)

    assert HIDDEN_REQUEST.findall(form) == [str(asked.id)]
    # In full and with its hyphen, as the employer types it.
    assert _value(form, "employee.personnummer") == formats.personnummer(w.employee.personnummer)
    assert _value(form, "employee.first_name") == "Tolvan"
    assert _value(form, "employee.last_name") == "Tolvansson"
    assert _value(form, "employment.period.start") == "2024-01-01"
    assert _value(form, "employment.period.end") == "2025-06-30"
    assert _value(form, "employer.name") == "Testbolaget AB"

    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    fields |= {"action": "save"}
    saved = web.post(client, NEW, form_page=f"{NEW}?begaran={asked.id}", **fields)

    assert saved.status_code == 302, saved.get_data(as_text=True)
    session.expire_all()
    certificate = session.scalars(select(Certificate)).one()
    assert certificate.employee_id == w.employee.id
    assert str(certificate.period_start) == "2024-01-01"
    request_now = session.get(CertificateRequest, asked.id)
    assert request_now is not None
    assert request_now.state == RequestState.FULFILLED
    assert request_now.fulfilled_certificate_id == certificate.id
    assert "Begäranden om intyg" not in client.get(LIST).get_data(as_text=True)
    employee = client.application.test_client()
    web.log_in(employee, bankid, f.EMPLOYEE_PNR)
    mine = employee.get("/arbetstagare/begar-intyg").get_data(as_text=True)
    assert "Arbetsgivaren har börjat på intyget" in mine


def test_a_draft_for_someone_else_leaves_the_request_open(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    asked: CertificateRequest,
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    form = _start(client, asked)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    fields |= {"action": "save", "employee.personnummer": f.OTHER_EMPLOYEE_PNR}

    saved = web.post(client, NEW, form_page=NEW, **fields)

    assert saved.status_code == 302
    session.expire_all()
    still = session.get(CertificateRequest, asked.id)
    assert still is not None
    assert still.state == RequestState.OPEN
    assert "fortfarande öppen" in client.get(saved.headers["Location"]).get_data(as_text=True)


def test_a_request_is_declined_with_a_reason_and_the_employee_is_told(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    asked: CertificateRequest,
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    page = f"/arbetsgivare/begaran/{asked.id}/avboj"
    shown = client.get(page).get_data(as_text=True)
    assert "121212-****" in shown
    assert w.employee.personnummer not in shown

    empty = web.post(client, page, form_page=page, reason="  ")
    assert empty.status_code == 422
    assert 'aria-describedby="reason-hint reason-error"' in empty.get_data(as_text=True)

    declined = web.post(client, page, form_page=page, reason="Du har aldrig arbetat här.")

    assert declined.status_code == 302
    session.expire_all()
    answered = session.get(CertificateRequest, asked.id)
    assert answered is not None
    assert answered.state == RequestState.DECLINED
    assert answered.decline_reason == "Du har aldrig arbetat här."
    [message] = session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "certificate_request_declined")
    )
    assert message.recipient_person_id == w.employee.id
    outgoing = compose(session, message, "https://intyga.test")
    assert outgoing.to == w.employee.email
    assert "https://intyga.test/arbetstagare/begar-intyg" in outgoing.body
    assert "aldrig arbetat" not in outgoing.body
    assert "Testbolaget" not in outgoing.subject + outgoing.body
    # Answered once: the page and the form no longer take it.
    assert client.get(page).status_code == 302
    assert client.get(f"{NEW}?begaran={asked.id}").status_code == 302
    employee = client.application.test_client()
    web.log_in(employee, bankid, f.EMPLOYEE_PNR)
    mine = employee.get("/arbetstagare/begar-intyg").get_data(as_text=True)
    assert "Avböjd" in mine
    assert "Du har aldrig arbetat här." in mine


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/arbetsgivare/intyg/nytt?begaran={id}"),
        ("get", "/arbetsgivare/begaran/{id}/avboj"),
        ("post", "/arbetsgivare/begaran/{id}/avboj"),
        ("post", "/arbetsgivare/intyg/nytt"),
    ],
)
def test_another_companys_request_does_not_exist(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    other_company: Company,
    asked: CertificateRequest,
    method: str,
    path: str,
) -> None:
    web.log_in(client, bankid, f.OUTSIDER_PNR)
    assert "Tolvan" not in client.get(LIST).get_data(as_text=True)
    token = web.csrf(client, "/arbetsgivare/intyg/nytt")
    url = path.format(id=asked.id)
    data = {
        "csrf_token": token,
        "reason": "Nej",
        "begaran": str(asked.id),
        "action": "start",
        "variant": "full",
        "employment_form.type": "permanent",
        "employment.still_employed": "true",
    }

    response = client.get(url) if method == "get" else client.post(url, data=data)

    assert response.status_code == 404
    session.expire_all()
    untouched = session.get(CertificateRequest, asked.id)
    assert untouched is not None
    assert untouched.state == RequestState.OPEN


def test_a_made_up_request_id_is_not_found(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    assert client.get(f"{NEW}?begaran={uuid.uuid4()}").status_code == 404
    assert client.get(f"{NEW}?begaran=not-a-uuid").status_code == 404


def test_a_request_is_answered_only_once(
    session: Session, w: f.World, asked: CertificateRequest
) -> None:
    other = f.person(session, f.OTHER_EMPLOYEE_PNR, "Eva", "Exempelsson")
    content = f.content("full", employee_pnr=f.OTHER_EMPLOYEE_PNR)
    for_other = certificates.create_draft(
        session, company=w.company, variant="full", content=content, actor=w.by_certifier
    )
    assert for_other.employee_id == other.id
    with pytest.raises(Conflict, match="certificate_for_someone_else"):
        certificate_requests.fulfil(session, asked, for_other, actor=w.by_certifier)
    certificate_requests.decline(session, asked, actor=w.by_certifier, reason="Nej")
    with pytest.raises(IllegalTransition):
        certificate_requests.decline(session, asked, actor=w.by_certifier, reason="Nej")
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.startswith("certificate_request."))
    ).all()
    assert actions == ["certificate_request.created", "certificate_request.declined"]
