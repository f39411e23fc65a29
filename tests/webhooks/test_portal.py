"""The webhooks page: admins add (the secret shown once) and deactivate endpoints and read the
delivery log; a certifier is refused (403), another company's endpoint does not exist (404)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.webhooks import service as webhooks
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

PAGE = "/arbetsgivare/foretag/webhooks"


def test_an_admin_adds_an_endpoint_and_sees_the_secret_once(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    settings = client.get("/arbetsgivare/foretag/installningar").get_data(as_text=True)
    assert PAGE in settings
    assert "Inga webhooks ännu." in client.get(PAGE).get_data(as_text=True)

    refused = web.post(client, PAGE, form_page=PAGE, url="http://lon.example.test/", description="")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Adressen måste börja med https://." in html
    assert 'aria-describedby="url-hint url-error"' in html

    added = web.post(
        client, PAGE, form_page=PAGE, url="https://lon.example.test/hooks", description="Lön"
    )
    assert added.status_code == 201
    assert added.headers["Cache-Control"] == "no-store"
    [endpoint] = session.scalars(select(WebhookEndpoint)).all()
    assert endpoint.company_id == w.company.id
    assert endpoint.secret in added.get_data(as_text=True)

    later = client.get(PAGE).get_data(as_text=True)
    assert "https://lon.example.test/hooks" in later
    assert endpoint.secret not in later


def test_an_admin_deactivates_and_reads_the_log(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    endpoint = webhooks.register(
        session, company=w.company, url="https://lon.example.test/", description="", actor=SYSTEM
    ).endpoint
    session.add_all(
        [
            WebhookDelivery(
                endpoint_id=endpoint.id, event="certificate.sent", status_code=200, duration_ms=12
            ),
            WebhookDelivery(
                endpoint_id=endpoint.id,
                event="certificate.approved",
                error="webhook: http 503",
                status_code=503,
                duration_ms=40,
            ),
        ]
    )
    session.commit()
    web.log_in(client, bankid, f.ADMIN_PNR)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Levererad (HTTP 200)" in html
    assert "Misslyckades: webhook: http 503" in html
    assert "certificate.approved" in html

    done = web.post(client, f"{PAGE}/{endpoint.id}/inaktivera", form_page=PAGE)
    assert done.status_code == 302
    session.refresh(endpoint)
    assert not endpoint.active
    assert "Inaktiv" in client.get(PAGE).get_data(as_text=True)


def test_a_certifier_is_refused(client: FlaskClient, bankid: LiveBankID, w: f.World) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    assert client.get(PAGE).status_code == 403
    token = web.csrf(client, "/arbetsgivare/")
    response = client.post(PAGE, data={"csrf_token": token, "url": "https://x.example.test/"})
    assert response.status_code == 403


def test_another_companys_endpoint_is_not_found(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    outsider = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
    other = f.company(session, outsider, "5569999997", "Annat AB")
    theirs = webhooks.register(
        session, company=other, url="https://other.example.test/", description="", actor=SYSTEM
    ).endpoint
    session.commit()
    web.log_in(client, bankid, f.ADMIN_PNR)
    response = web.post(client, f"{PAGE}/{theirs.id}/inaktivera", form_page=PAGE)
    assert response.status_code == 404
    session.refresh(theirs)
    assert theirs.active
    assert "other.example.test" not in client.get(PAGE).get_data(as_text=True)
