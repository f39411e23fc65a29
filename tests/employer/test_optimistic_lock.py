"""The sign form posts the version of the draft the signer was shown: if a colleague saved the
draft since, signing is refused before BankID is opened, so nobody signs what they did not read."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import State
from app.eid.models import EidOrder
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

LOCK = re.compile(r'name="lock_version" value="(\d+)"')


def _orders(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(EidOrder)) or 0


def test_signing_a_draft_changed_since_the_page_was_read_is_refused(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    draft = f.certificate_in(session, w, State.DRAFT)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{draft.id}"
    shown = LOCK.search(client.get(page).get_data(as_text=True))
    assert shown, "the sign form carries the version it shows"
    token = web.csrf(client, page)
    orders = _orders(session)

    content = certificates.current_version(session, draft).content | {"other_information": "Ny"}
    certificates.edit_draft(session, draft, content=content, actor=w.by_certifier)
    session.flush()

    stale = client.post(
        f"{page}/skriv-under", data={"csrf_token": token, "lock_version": shown.group(1)}
    )
    assert stale.status_code == 409
    assert "Någon annan har ändrat intyget" in stale.get_data(as_text=True)
    assert _orders(session) == orders, "no BankID order was started"

    fresh = client.post(
        f"{page}/skriv-under", data={"csrf_token": token, "lock_version": str(draft.lock_version)}
    )
    assert fresh.status_code == 302
    assert _orders(session) == orders + 1
    # Leave no order open at the BankID server: it refuses a second one for the same person.
    order_page = fresh.headers["Location"]
    assert web.post(client, f"{order_page}/avbryt", form_page=order_page).status_code == 302
