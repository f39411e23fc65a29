"""Colleagues: invitations accepted at the next eID login, roles, removal, the last admin."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.service import Actor
from app.companies import service as companies
from app.companies.models import Company, Invitation, Role
from app.errors import Conflict
from app.people import service as people
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

PAGE = "/arbetsgivare/kollegor"


def test_an_invitation_is_accepted_at_the_next_login(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    refused = web.post(
        client, f"{PAGE}/inbjudan", form_page=PAGE, personnummer="19121212-1213", email="x"
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Kontrollera personnumret" in html
    assert "Ange en giltig e-postadress." in html
    assert 'aria-describedby="personnummer-error"' in html

    invited = web.post(
        client,
        f"{PAGE}/inbjudan",
        form_page=PAGE,
        personnummer="19751124-9836",
        email="olle@example.test",
        role="admin",
    )
    assert invited.status_code == 302
    html = client.get(PAGE).get_data(as_text=True)
    assert "751124-****" in html
    assert "197511249836" not in html
    again = web.post(
        client,
        f"{PAGE}/inbjudan",
        form_page=PAGE,
        personnummer=f.OUTSIDER_PNR,
        email="olle@example.test",
        role="certifier",
    )
    assert again.status_code == 409
    assert "Personen är redan inbjuden." in again.get_data(as_text=True)

    newcomer = client.application.test_client()
    web.log_in(newcomer, bankid, f.OUTSIDER_PNR)
    person = people.find_person(session, f.OUTSIDER_PNR)
    assert person is not None
    membership = companies.membership_of(session, w.company.id, person.id)
    assert membership is not None
    assert membership.role == Role.ADMIN
    assert person.email == "olle@example.test"
    assert "Testbolaget AB" in newcomer.get("/arbetsgivare/").get_data(as_text=True)
    assert companies.pending_invitations(session, w.company.id) == []
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "company.invitation_created" in actions
    assert "company.invitation_accepted" in actions


def test_inviting_a_member_is_refused(client: FlaskClient, bankid: LiveBankID, w: f.World) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    response = web.post(
        client,
        f"{PAGE}/inbjudan",
        form_page=PAGE,
        personnummer=f.CERTIFIER_PNR,
        email="c@example.test",
        role="certifier",
    )
    assert response.status_code == 409
    assert "Personen är redan med i företaget." in response.get_data(as_text=True)


def test_a_pending_invitation_can_be_revoked(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    invitation = companies.invite(
        session,
        w.company,
        personnummer=f.OUTSIDER_PNR,
        email="o@example.test",
        role=Role.CERTIFIER,
        invited_by=w.admin,
    )
    session.flush()
    web.log_in(client, bankid, f.ADMIN_PNR)
    response = web.post(client, f"{PAGE}/inbjudan/{invitation.id}/ta-bort", form_page=PAGE)
    assert response.status_code == 302
    assert session.scalars(select(Invitation)).all() == []


def test_roles_change_and_members_go_but_the_last_admin_stays(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    admin = companies.membership_of(session, w.company.id, w.admin.id)
    certifier = companies.membership_of(session, w.company.id, w.certifier.id)
    assert admin is not None
    assert certifier is not None

    demoted = web.post(client, f"{PAGE}/{admin.id}/roll", form_page=PAGE, role="certifier")
    assert demoted.status_code == 409
    assert "Företaget måste ha minst en administratör." in demoted.get_data(as_text=True)
    removed = web.post(client, f"{PAGE}/{admin.id}/ta-bort", form_page=PAGE)
    assert removed.status_code == 409
    session.refresh(admin)
    assert admin.role == Role.ADMIN

    promoted = web.post(client, f"{PAGE}/{certifier.id}/roll", form_page=PAGE, role="admin")
    assert promoted.status_code == 302
    session.refresh(certifier)
    assert certifier.role == Role.ADMIN
    assert web.post(client, f"{PAGE}/{admin.id}/ta-bort", form_page=PAGE).status_code == 302
    assert companies.membership_of(session, w.company.id, w.admin.id) is None
    assert client.get(PAGE).status_code == 404, "no longer in any company"


def test_the_last_admin_rule_holds_in_the_service(session: Session, w: f.World) -> None:
    admin = companies.membership_of(session, w.company.id, w.admin.id)
    assert admin is not None
    by_admin = Actor.person(w.admin.id)
    with pytest.raises(Conflict, match="last_admin"):
        companies.change_role(session, admin, Role.CERTIFIER, actor=by_admin)
    with pytest.raises(Conflict, match="last_admin"):
        companies.remove_member(session, admin, actor=by_admin)


def test_login_accepts_invitations_of_several_companies(
    session: Session, w: f.World, other_company: Company
) -> None:
    other = companies.find_company(session, "5569999997")
    assert other is not None
    newcomer = f.person(session, "199510089841", "Lina", "Lindqvist")
    outsider = people.find_person(session, f.OUTSIDER_PNR)
    assert outsider is not None
    for company, inviter in ((w.company, w.admin), (other, outsider)):
        companies.invite(
            session,
            company,
            personnummer="199510089841",
            email="l@example.test",
            role=Role.CERTIFIER,
            invited_by=inviter,
        )
    joined = companies.accept_invitations(session, newcomer)
    assert {m.company_id for m in joined} == {w.company.id, other.id}
    assert companies.accept_invitations(session, newcomer) == []
