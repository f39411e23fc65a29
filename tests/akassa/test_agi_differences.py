"""Where Skatteverket's AGI income has been imported for the member, the officer sees the months
in which the certificate's pay and the employer's declarations differ."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.akassa.models import AkassaStaff
from app.income import service as income
from tests import factories as f
from tests.akassa import support
from tests.conftest import LiveBankID

# The shifted example pays 34,500 a month from 2025-10 to 2026-09, with 540 more in 2026-05
# (OB) and 18,400 more in 2026-09 (holiday pay).
STATED = {(2025 + (9 + n) // 12, (9 + n) % 12 + 1): 34500 for n in range(12)}
STATED[2026, 5] += 540
STATED[2026, 9] += 18400
EMPLOYER = "165599999991"


def _page(client: FlaskClient, bankid: LiveBankID, certificate_id: object) -> str:
    support.log_in_officer(client, bankid)
    return client.get(f"/akassa/intyg/{certificate_id}").get_data(as_text=True)


def _section(html: str) -> str:
    return html[html.index('id="agi"') : html.index("<h2>Innehåll</h2>")]


def test_months_that_differ_are_listed(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, officer: AkassaStaff
) -> None:
    cert = support.approved(session, w)
    declared = dict(STATED)
    declared[2026, 1] = 36000  # a bonus the certificate does not state
    del declared[2026, 3]  # a month the employer never declared
    records = [
        f.agi_statement(EMPLOYER, year, month, pay) for (year, month), pay in declared.items()
    ]
    records.append(f.agi_statement("165569999997", 2026, 2, 5000))  # another employer
    records.append(
        f.agi_statement(EMPLOYER, 2024, 1, 30000)
    )  # before the months the certificate gives pay for
    income.store(session, w.company.id, records)
    session.flush()

    section = _section(_page(client, bankid, cert.id))
    assert "Månader där intyget och AGI skiljer sig" in section
    rows = section.split("<tr>")[2:]
    assert len(rows) == 2, section
    assert "2026-01" in rows[0]
    assert "34\xa0500\xa0kr" in rows[0]
    assert "36\xa0000\xa0kr" in rows[0]
    assert "−1\xa0500\xa0kr" in rows[0] or "-1\xa0500\xa0kr" in rows[0]
    assert "2026-03" in rows[1]
    assert "saknas" in rows[1]
    assert "34\xa0500\xa0kr" in rows[1]


def test_the_assessment_counts_agi_before_the_certificate(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, officer: AkassaStaff
) -> None:
    cert = support.approved(session, w, variant="income_2025")
    income.store(
        session,
        w.company.id,
        [f.agi_statement(EMPLOYER, y, m, 12000) for (y, m) in list(STATED)[:4]],
    )
    session.flush()
    html = _page(client, bankid, cert.id)
    assessment = html[html.index('id="assessment"') : html.index('id="agi"')]
    assert "Arbetsgivardeklaration (AGI)" in assessment
    assert "Alternativregeln" in assessment
    assert "66 dagar" in assessment
    assert "Inget att jämföra" in _section(html), "an income_2025 certificate states no pay"


def test_no_differences_when_they_agree(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, officer: AkassaStaff
) -> None:
    cert = support.approved(session, w)
    income.store(
        session,
        w.company.id,
        [f.agi_statement(EMPLOYER, y, m, pay) for (y, m), pay in STATED.items()],
    )
    session.flush()
    section = _section(_page(client, bankid, cert.id))
    assert "Intygets lön per månad stämmer med arbetsgivardeklarationerna." in section


def test_nothing_is_compared_without_agi(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, officer: AkassaStaff
) -> None:
    cert = support.approved(session, w)
    income.store(session, w.company.id, [f.agi_statement("165569999997", 2026, 1, 40000)])
    session.flush()
    section = _section(_page(client, bankid, cert.id))
    assert "Inget att jämföra" in section
