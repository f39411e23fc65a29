"""A draft's page shows what the company declared in AGI for the employee, month by month."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.certificates.models import State
from app.income import service as income
from payroll_adapters import IncomeRecord
from payroll_adapters.model import record_key
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID


def statement(employer: str, month: int, cash: int, benefits: int = 0) -> IncomeRecord:
    return IncomeRecord(
        personnummer=f.EMPLOYEE_PNR,
        year=2025,
        month=month,
        cash_pay=cash,
        benefits=benefits,
        employer=employer,
        specification_number=1,
        source_pointer=f"/Skatteverket/Blankett[{month}]/Blankettinnehall/IU",
        record_key=record_key("agi", employer, f.EMPLOYEE_PNR, month),
    )


def test_the_draft_page_shows_the_companys_agi_months(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    draft = f.certificate_in(session, w, State.DRAFT)
    income.store(
        session,
        w.company.id,
        [statement("165599999991", 1, 31000, 500), statement("165599999991", 2, 32000)],
    )
    income.store(session, None, [statement("165560160680", 3, 77777)])  # not this company's
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = client.get(f"/arbetsgivare/intyg/{draft.id}").get_data(as_text=True)
    assert "Inkomster enligt arbetsgivardeklarationerna" in page
    assert (
        '<td>januari 2025</td><td class="num">31\xa0000 kr</td><td class="num">500 kr</td>'
        '<td class="num">31\xa0500 kr</td>'
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
