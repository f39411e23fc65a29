"""A company issues certificates in its own name only: block B of the employer's form may not
name another employer, whether the draft is new, edited, or stored before the rule and signed."""

from __future__ import annotations

import copy

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies.models import Company
from app.errors import InvalidContent
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID
from tests.employer.test_drafts import NEW, _form_of

MISMATCH = "Organisationsnumret hör till en annan arbetsgivare."


def _naming(company: Company) -> dict[str, str]:
    form = _form_of(f.content("full"))
    return form | {
        "employer.organisation_number": company.organisationsnummer,
        "employer.name": company.name,
    }


def test_the_form_does_not_create_a_draft_naming_another_employer(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, other_company: Company
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    refused = web.post(
        client, NEW, form_page=NEW, variant="full", action="save", **_naming(other_company)
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert MISMATCH in html
    assert 'id="f-employer-organisation_number-error"' in html
    assert session.scalars(select(Certificate)).all() == []


def test_the_form_does_not_move_a_draft_to_another_employer(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, other_company: Company
) -> None:
    draft = f.certificate_in(session, w, State.DRAFT)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    edit = f"/arbetsgivare/intyg/{draft.id}/redigera"
    refused = web.post(
        client,
        edit,
        form_page=edit,
        action="save",
        lock_version=str(draft.lock_version),
        **_naming(other_company),
    )
    assert refused.status_code == 422
    assert MISMATCH in refused.get_data(as_text=True)
    session.refresh(draft)
    stored = certificates.current_version(session, draft).content
    assert stored["employer"]["organisation_number"] == w.company.organisationsnummer


def test_a_draft_naming_another_employer_cannot_be_signed(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, other_company: Company
) -> None:
    """A draft saved before the rule existed is shown as not ready and refused at signing."""
    draft = f.certificate_in(session, w, State.DRAFT)
    version = certificates.current_version(session, draft)
    content = copy.deepcopy(version.content)
    content["employer"] |= {
        "organisation_number": other_company.organisationsnummer,
        "name": other_company.name,
    }
    version.content = content
    flag_modified(version, "content")
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{draft.id}"
    html = client.get(f"{page}/granska").get_data(as_text=True)
    assert "Utkastet kan inte skrivas under än" in html
    assert MISMATCH in html
    refused = web.post(client, f"{page}/skriv-under", form_page=page)
    assert refused.status_code == 422
    session.refresh(draft)
    assert draft.state == State.DRAFT


def test_every_path_shares_the_rule_in_the_domain(
    session: Session, w: f.World, other_company: Company
) -> None:
    """Loaded content (what the payroll adapters hand over) is held to it as typed content is."""
    content = f.content("full")
    content["employer"]["organisation_number"] = other_company.organisationsnummer
    for loaded in (False, True):
        with pytest.raises(InvalidContent) as refused:
            certificates.create_draft(
                session,
                company=w.company,
                variant="full",
                content=content,
                actor=w.by_certifier,
                loaded=loaded,
            )
        assert refused.value.errors == {"employer": {"organisation_number": ["employer_mismatch"]}}
