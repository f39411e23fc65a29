"""A draft's page shows what the company declared in AGI for the employee, month by month."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.certificates.models import State
from app.income import service as income
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID


def test_the_draft_page_shows_the_companys_agi_months(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    draft = f.certificate_in(session, w, State.DRAFT)
    income.store(
        session,
        w.company.id,
        [
            f.agi_statement("165599999991", 2025, 1, 31000, 500),
            f.agi_statement("165599999991", 2025, 2, 32000),
        ],
    )
    income.store(
        session, None, [f.agi_statement("165560160680", 2025, 3, 77777)]
    )  # not this company's
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = client.get(f"/arbetsgivare/intyg/{draft.id}").get_data(as_text=True)
    assert "Inkomster enligt arbetsgivardeklarationerna" in page
    assert (
        '<td>januari 2025</td><td class="num">31\xa0000\xa0kr</td><td class="num">500\xa0kr</td>'
        '<td class="num">31\xa0500\xa0kr</td>'
    ) in page
    assert "<td>februari 2025</td>" in page
    assert "77777" not in page


def test_without_agi_nothing_is_shown(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    draft = f.certificate_in(session, w, State.DRAFT)
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = client.get(f"/arbetsgivare/intyg/{draft.id}").get_data(as_text=True)
    assert "Inkomster enligt arbetsgivardeklarationerna" not in page
