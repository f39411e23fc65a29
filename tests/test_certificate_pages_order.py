"""Every certificate page shows the one presentation: the form's order, sorted months, Swedish
(or English) formats. Checked through HTTP on the employer's, the employee's and the a-kassa's."""

from __future__ import annotations

import copy

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import State
from tests import factories as f
from tests import web
from tests.akassa import support
from tests.conftest import LiveBankID

NBSP = "\u00a0"


def _in_order(html: str, *texts: str) -> None:
    positions = [html.index(text) for text in texts]
    assert positions == sorted(positions), texts


def _assert_presented(page: str) -> None:
    html = page[page.index('id="block-employee"') - 40 :]
    _in_order(html, "A. Arbetstagare", "B. Arbetsgivare", "C. Anställning", "J. Arbetad tid")
    _in_order(html, "<dt>Förnamn</dt>", "<dt>Efternamn</dt>", "<dt>Personnummer</dt>")
    _in_order(html, "<dt>Gatuadress</dt>", "<dt>Postnummer</dt>", "<dt>Ort</dt>")
    _in_order(html, "<td>juli 2024</td>", "<td>december 2024</td>", "<td>juni 2025</td>")
    assert f"<dd>34{NBSP}500,00</dd>" in html
    assert "<dd>559999-9991</dd>" in html
    assert "<dd>2019-03-01 – 2025-06-30</dd>" in html


def test_the_employer_page(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.DRAFT)
    version = certificates.current_version(session, cert)
    content = copy.deepcopy(version.content)
    content["worked_time"]["months"].reverse()
    version.content = content  # stored out of order: the page still reads in time order
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    _assert_presented(client.get(f"/arbetsgivare/intyg/{cert.id}").get_data(as_text=True))


def test_the_employee_page_in_swedish_and_english(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    session.flush()
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    web.post(client, "/roll", form_page="/start", role="employee")
    page = f"/arbetstagare/intyg/{cert.id}"
    _assert_presented(client.get(page).get_data(as_text=True))
    client.get("/sprak/en")
    english = client.get(page).get_data(as_text=True)
    assert "<dd>34,500.00</dd>" in english
    assert "<dd>1 Mar 2019 – 30 Jun 2025</dd>" in english
    _in_order(english, "<td>July 2024</td>", "<td>June 2025</td>")


def test_the_akassa_page(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    cert = support.approved(session, w, data=f.content("full"))
    support.staff(session, support.OFFICER_PNR, "unionens")
    session.flush()
    support.log_in_officer(client, bankid)
    _assert_presented(client.get(f"/akassa/intyg/{cert.id}").get_data(as_text=True))
