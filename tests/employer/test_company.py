"""Registering a company account and keeping its details."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.companies import service as companies
from app.companies.models import Company, Role
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

NEW = "/arbetsgivare/foretag/nytt"


def test_register_a_company_after_fixing_the_organisationsnummer(
    client: FlaskClient, bankid: LiveBankID, session: Session
) -> None:
    web.log_in(client, bankid, f.OUTSIDER_PNR)
    form = {
        "organisationsnummer": "556999-9990",
        "name": "Nya Bygg AB",
        "postal_code": "12345",
        "city": "Stockholm",
        "notification_email": "inte-en-adress",
    }
    refused = web.post(client, NEW, form_page=NEW, **form)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Kontrollera organisationsnumret" in html
    assert "Ange en giltig e-postadress." in html
    assert 'aria-describedby="organisationsnummer-hint organisationsnummer-error"' in html
    assert 'value="Nya Bygg AB"' in html, "what was typed stays"
    assert companies.find_company(session, "5569999997") is None

    form |= {"organisationsnummer": "556999-9997", "notification_email": "hr@nyabygg.test"}
    done = web.post(client, NEW, form_page=NEW, **form)
    assert done.status_code == 302
    company = companies.find_company(session, "5569999997")
    assert company is not None
    assert (company.name, company.postal_code, company.notification_email) == (
        "Nya Bygg AB",
        "12345",
        "hr@nyabygg.test",
    )
    person = company_admin(session, company)
    assert person == f.OUTSIDER_PNR
    page = client.get("/arbetsgivare/").get_data(as_text=True)
    assert company.employer_id in page
    assert f"arbetsgivar-id {company.employer_id}" in page
    assert "company.registered" in session.scalars(select(AuditEvent.action)).all()


def company_admin(session: Session, company: Company) -> str:
    (membership,) = companies.members(session, company.id)
    assert membership.role == Role.ADMIN
    return membership.person.personnummer


def test_a_company_registers_once(client: FlaskClient, bankid: LiveBankID, w: f.World) -> None:
    web.log_in(client, bankid, f.OUTSIDER_PNR)
    response = web.post(client, NEW, form_page=NEW, organisationsnummer="5599999991", name="Kopia")
    assert response.status_code == 409
    assert "Företaget har redan ett konto." in response.get_data(as_text=True)


def test_a_person_in_two_companies_switches_between_them(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    second = f.company(session, w.certifier, orgnr="5569999997", name="Annat AB")
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    assert "Arbetsgivarintyg – Annat AB" in client.get("/arbetsgivare/").get_data(as_text=True)
    web.post(client, f"/arbetsgivare/foretag/{w.company.id}", form_page="/arbetsgivare/")
    assert "Arbetsgivarintyg – Testbolaget AB" in client.get("/arbetsgivare/").get_data(
        as_text=True
    )
    assert second.id != w.company.id


def test_settings_change_the_company_data(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    page = "/arbetsgivare/foretag/installningar"
    html = client.get(page).get_data(as_text=True)
    assert w.company.employer_id in html
    bad = web.post(client, page, form_page=page, name="", postal_code="1")
    assert bad.status_code == 422
    assert "Fältet måste fyllas i." in bad.get_data(as_text=True)
    assert "Ange postnumret med fem siffror." in bad.get_data(as_text=True)
    good = web.post(
        client,
        page,
        form_page=page,
        name="Testbolaget Nya AB",
        street="Gatan 2",
        postal_code="111 22",
        city="Uppsala",
        notification_email="lon@test.example",
        notify_on_approval="y",
    )
    assert good.status_code == 302
    session.refresh(w.company)
    assert w.company.name == "Testbolaget Nya AB"
    assert w.company.postal_code == "11122"
    assert _notifies_on_approval(session, w.company)
    web.post(client, page, form_page=page, name="Testbolaget Nya AB", notification_email="")
    session.refresh(w.company)
    assert not _notifies_on_approval(session, w.company)
    assert w.company.notification_email is None


def test_the_employer_block_is_filled_in_from_the_company(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    html = web.post(
        client,
        "/arbetsgivare/intyg/nytt",
        form_page="/arbetsgivare/intyg/nytt",
        action="start",
        variant="income_2025",
        **{"employment_form.type": "Tillsvidare", "employment.still_employed": "false"},
    ).get_data(as_text=True)
    assert 'name="employer.name" value="Testbolaget AB"' in html
    assert 'name="employer.organisation_number" value="559999-9991"' in html
    assert 'name="employer.email" value="hr@example.test"' in html


def _notifies_on_approval(session: Session, company: Company) -> bool:
    session.refresh(company)
    return company.notify_on_approval
