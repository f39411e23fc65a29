"""An employee asks a registered company for a certificate: validated, stored only when the
company exists, the company told through the outbox, and the employee's own requests listed."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.certificate_requests import service as certificate_requests
from app.certificate_requests.models import CertificateRequest, RequestState
from app.companies.models import Company
from app.errors import Conflict, InvalidContent, NotFound
from app.notifications.compose import compose
from app.outbox.models import OutboxMessage
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID
from tests.requests.conftest import ORGNR
from tests.support.world import OTHER_ORGNR

PAGE = "/arbetstagare/begar-intyg"


def _requests(session: Session) -> list[CertificateRequest]:
    session.expire_all()
    return list(session.scalars(select(CertificateRequest)))


def _ask(client: FlaskClient, **fields: str) -> tuple[int, str]:
    data = {
        "organisationsnummer": "559999-9991",
        "period_start": "2024-01-01",
        "period_end": "2025-06-30",
        "message": "Jag behöver intyget till a-kassan.",
    } | fields
    response = web.post(client, PAGE, form_page=PAGE, **data)
    return response.status_code, response.get_data(as_text=True)


def test_a_request_reaches_the_company_and_is_listed_for_the_employee(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    assert client.get(PAGE).status_code == 200

    status, _html = _ask(client)

    assert status == 302
    [stored] = _requests(session)
    assert (stored.company_id, stored.person_id) == (w.company.id, w.employee.id)
    assert (stored.period_start, stored.period_end) == (date(2024, 1, 1), date(2025, 6, 30))
    assert stored.message == "Jag behöver intyget till a-kassan."
    assert stored.state == RequestState.OPEN
    page = client.get(PAGE).get_data(as_text=True)
    assert "Din begäran är skickad till Testbolaget AB." in page
    assert "Testbolaget AB" in page
    assert "2024-01-01 – 2025-06-30" in page
    assert "Väntar på arbetsgivaren" in page

    [message] = session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "certificate_requested")
    )
    assert message.recipient_company_id == w.company.id
    assert message.payload == {"request_id": str(stored.id)}
    outgoing = compose(session, message, "https://intyga.test")
    assert outgoing.to == "hr@example.test"
    assert "https://intyga.test/arbetsgivare/" in outgoing.body
    for secret in (w.employee.first_name, w.employee.last_name, "a-kassan", "198", "1912"):
        assert secret not in outgoing.subject + outgoing.body
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "certificate_request.created")
    )
    assert event.company_id == w.company.id
    assert event.actor_id == w.employee.id


def test_an_unregistered_company_is_named_as_such_and_nothing_is_stored(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)

    status, html = _ask(client, organisationsnummer=OTHER_ORGNR)

    assert status == 422
    assert "Företaget finns inte hos Intyga än" in html
    assert 'aria-describedby="organisationsnummer-hint organisationsnummer-error"' in html
    assert _requests(session) == []
    assert session.scalars(select(OutboxMessage)).all() == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"organisationsnummer": "559999-9992"}, "organisationsnummer", "Kontrollera"),
        ({"organisationsnummer": ""}, "organisationsnummer", "Fältet måste fyllas i."),
        ({"period_start": "2024-13-01"}, "period_start", "Ange datumet som ÅÅÅÅ-MM-DD."),
        ({"period_end": ""}, "period_end", "Fältet måste fyllas i."),
        (
            {"period_start": "2025-07-01", "period_end": "2025-06-30"},
            "period_end",
            "Slutdatumet kan inte vara före startdatumet.",
        ),
        ({"message": "x" * 1001}, "message", "Högst 1000 tecken."),
    ],
)
def test_what_is_wrong_is_said_next_to_its_field_and_nothing_is_stored(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)

    status, html = _ask(client, **fields)

    assert status == 422
    web.assert_field_error(html, field, message)
    assert _requests(session) == []


def test_the_same_open_request_twice_is_refused(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    assert _ask(client)[0] == 302

    status, html = _ask(client, message="Igen")

    assert status == 409
    assert "Du har redan bett företaget om ett intyg för samma period." in html
    assert len(_requests(session)) == 1


def test_an_employee_sees_only_their_own_requests(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    other_company: Company,
) -> None:
    other = f.person(session, f.OTHER_EMPLOYEE_PNR, "Eva", "Exempelsson")
    certificate_requests.request_certificate(
        session, other, OTHER_ORGNR, date(2023, 1, 1), date(2023, 12, 31), message="Evas meddelande"
    )
    session.flush()
    web.log_in(client, bankid, f.EMPLOYEE_PNR)

    html = client.get(PAGE).get_data(as_text=True)

    assert "Annat AB" not in html
    assert "2023-01-01" not in html
    assert "Du har inte bett någon arbetsgivare om intyg än." in html


def test_the_page_needs_a_login(client: FlaskClient, w: f.World) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/logga-in" in response.headers["Location"]


# --- the service on its own ----------------------------------------------------------------------


def test_the_service_refuses_what_the_form_would_not_send(session: Session, w: f.World) -> None:
    start, end = date(2024, 1, 1), date(2024, 6, 30)
    with pytest.raises(NotFound, match="company_not_registered"):
        certificate_requests.request_certificate(session, w.employee, OTHER_ORGNR, start, end)
    with pytest.raises(InvalidContent):
        certificate_requests.request_certificate(session, w.employee, "123", start, end)
    with pytest.raises(InvalidContent):
        certificate_requests.request_certificate(session, w.employee, ORGNR, end, start)
    with pytest.raises(InvalidContent):
        certificate_requests.request_certificate(
            session, w.employee, ORGNR, start, end, message="x" * 1001
        )
    first = certificate_requests.request_certificate(
        session, w.employee, ORGNR, start, end, message=" "
    )
    assert first.message is None
    with pytest.raises(Conflict, match="already_requested"):
        certificate_requests.request_certificate(session, w.employee, ORGNR, start, end)
