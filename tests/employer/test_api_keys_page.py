"""The API-key page: an admin makes a key (shown once, only its hash kept), sees when it was last
used, and revokes it; a certifier is refused and another company's key does not exist."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from app.audit.service import SYSTEM
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

PAGE = "/arbetsgivare/foretag/api-nycklar"


def test_an_admin_makes_a_key_that_works_once_shown(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    assert PAGE in client.get("/arbetsgivare/foretag/installningar").get_data(as_text=True)
    assert "Inga API-nycklar ännu." in client.get(PAGE).get_data(as_text=True)

    refused = web.post(client, PAGE, form_page=PAGE, name="")
    assert refused.status_code == 422
    assert "Fältet måste fyllas i." in refused.get_data(as_text=True)

    made = web.post(client, PAGE, form_page=PAGE, name="Lönesystemet")
    assert made.status_code == 201
    assert made.headers["Cache-Control"] == "no-store"
    shown = re.search(
        r'id="new-key" type="text" readonly value="([^"]+)"', made.get_data(as_text=True)
    )
    assert shown
    plaintext = shown.group(1)
    [key] = session.scalars(select(ApiKey)).all()
    assert key.company_id == w.company.id
    assert plaintext not in key.secret_hash

    api = client.get("/api/v1/certificates", headers={"Authorization": f"Bearer {plaintext}"})
    assert api.status_code == 200
    later = client.get(PAGE).get_data(as_text=True)
    assert plaintext not in later
    assert "Lönesystemet" in later

    revoked = web.post(client, f"{PAGE}/{key.id}/aterkalla", form_page=PAGE)
    assert revoked.status_code == 302
    api = client.get("/api/v1/certificates", headers={"Authorization": f"Bearer {plaintext}"})
    assert api.status_code == 401


def test_a_certifier_is_refused(client: FlaskClient, bankid: LiveBankID, w: f.World) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    assert client.get(PAGE).status_code == 403
    token = web.csrf(client, "/arbetsgivare/")
    assert client.post(PAGE, data={"csrf_token": token, "name": "x"}).status_code == 403


def test_another_companys_key_does_not_exist(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    other_admin = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
    other = f.company(session, other_admin, orgnr="5569999997", name="Annat AB")
    theirs = apikeys.create(session, company=other, name="Deras", actor=SYSTEM).key
    session.flush()
    web.log_in(client, bankid, f.ADMIN_PNR)
    token = web.csrf(client, PAGE)
    assert (
        client.post(f"{PAGE}/{theirs.id}/aterkalla", data={"csrf_token": token}).status_code == 404
    )
    session.refresh(theirs)
    assert theirs.revoked_at is None


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")
