"""The employee's preliminary assessment: an income table in, what the 2025 rules make of it
out, labelled preliminary; nothing stored."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.assessment import YearMonth
from app.audit.models import AuditEvent
from app.certificates.models import State
from app.database import utcnow
from app.income import service as income
from tests import factories as f
from tests import web
from tests.akassa import support
from tests.conftest import LiveBankID

PAGE = "/arbetstagare/bedomning"


def _this_month() -> date:
    return utcnow().date().replace(day=1)


def _form(
    months: dict[YearMonth, str],
    *,
    unemployed_on: date | None = None,
    member_since: str = "",
    skip: dict[YearMonth, str] | None = None,
) -> dict[str, str]:
    data = {
        "unemployed_on": (unemployed_on or _this_month()).isoformat(),
        "member_since": member_since,
        "action": "calculate",
    }
    for index, (when, amount) in enumerate(months.items()):
        data |= {
            f"rows-{index}-year": str(when.year),
            f"rows-{index}-month": str(when.month),
            f"rows-{index}-amount": amount,
            f"rows-{index}-skip_reason": (skip or {}).get(when, ""),
        }
    return data


def _before(count: int, start: int = 1) -> list[YearMonth]:
    """`count` months going back from `start` months before this month."""
    last = YearMonth.of(_this_month())
    return [last.shifted(-back) for back in range(start, start + count)]


@pytest.fixture
def employee(client: FlaskClient, bankid: LiveBankID, w: f.World) -> FlaskClient:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    return client


def _values(html: str, kind: str) -> list[str]:
    """The values of the rows' `kind` inputs, in row order."""
    return re.findall(rf'<input[^>]*name="rows-\d+-{kind}"[^>]*value="([^"]*)"', html)


def _post(client: FlaskClient, data: dict[str, str]) -> tuple[int, str]:
    response = web.post(client, PAGE, form_page=PAGE, **data)
    return response.status_code, response.get_data(as_text=True)


def test_the_page_shows_the_table_and_the_rules(employee: FlaskClient) -> None:
    response = employee.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Du är inloggad som arbetstagare" in html
    assert html.count('name="rows-') == 12 * 4, "the twelve months before, to fill in"
    last = YearMonth.of(_this_month()).shifted(-1)
    assert _values(html, "year")[0] == str(last.year)
    # The column's name shows on a phone, where each month is a card; the row is for screen
    # readers.
    assert (
        'for="rows-0-amount">Inkomst före skatt (kr)<span class="visually-hidden">, rad 1</span>'
        in html
    )
    assert "Preliminärt:" in html
    assert "En bedömning här är bara preliminär." in html
    assert "Från 2025-10-01" in html
    assert "11\xa0000\xa0kr" in html
    assert "34\xa0000\xa0kr" in html
    assert "minst 11 månader: 300 dagar" in html
    assert "4 månader i rad: 66 dagar" in html
    member_since = (f.NOW.date() - timedelta(days=800)).isoformat()
    assert f'value="{member_since}"' in html, "membership pre-filled"


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in")


def test_a_year_of_income_meets_the_main_rule(employee: FlaskClient, session: Session) -> None:
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    three_years = (_this_month() - timedelta(days=3 * 366)).isoformat()
    status, html = _post(
        employee, _form(dict.fromkeys(_before(12), "30 000"), member_since=three_years)
    )
    assert status == 200, html
    result = html[html.index('id="result-heading"') :]
    assert "Preliminärt:" in result
    assert "Preliminär bedömning enligt reglerna" in result, "the engine's notice"
    assert "<strong>Uppfyllt</strong>" in result
    assert "Huvudregeln" in result
    assert "300 dagar" in result
    assert "<strong>24\xa0000\xa0kr</strong>" in result
    assert result.count("Ja, över gränsen") == 12
    assert "1–100" in result
    assert "80\xa0%" in result
    assert "70\xa0%" in result
    assert "65\xa0%" in result
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events, "nothing stored"


def test_four_months_in_a_row_meet_the_alternative_rule(employee: FlaskClient) -> None:
    status, html = _post(employee, _form(dict.fromkeys(_before(4), "12000")))
    assert status == 200
    result = html[html.index('id="result-heading"') :]
    assert "Alternativregeln" in result
    assert "66 dagar" in result
    assert "<strong>Uppfyllt</strong>" in result


def test_four_months_apart_do_not_meet_the_condition(employee: FlaskClient) -> None:
    apart = dict.fromkeys(_before(8)[::2], "12000")
    status, html = _post(employee, _form(apart))
    assert status == 200
    result = html[html.index('id="result-heading"') :]
    assert "<strong>Inte uppfyllt med de uppgifter som finns</strong>" in result
    assert "Inkomstvillkoret är inte uppfyllt" in result
    assert "0 dagar" in result


def test_months_without_data_are_missing_not_zero_and_the_result_says_so(
    employee: FlaskClient,
) -> None:
    """Four months stated, eight left blank: those are unknown, not months of 0 kr."""
    status, html = _post(employee, _form(dict.fromkeys(_before(4), "30000")))
    assert status == 200
    result = html[html.index('id="result-heading"') :]
    assert "Bedömningen är osäker" in result
    assert "Uppgift saknas för 8 av månaderna i ramtiden" in result
    assert result.count('<td data-label="Inkomst">Uppgift saknas</td>') == 8
    assert result.count("Ja, utan inkomst") == 8
    assert "Ja, under gränsen" not in result
    assert ">0\xa0kr</td>" not in result
    full = _post(employee, _form(dict.fromkeys(_before(12), "30000")))[1]
    assert "Bedömningen är osäker" not in full, "a full table of stated income is not uncertain"


def test_a_skippable_month_reaches_further_back(employee: FlaskClient) -> None:
    months = dict.fromkeys(_before(13), "20000")
    sick = _before(1)[0]
    months[sick] = "0"
    status, html = _post(employee, _form(months, skip={sick: "sickness"}))
    assert status == 200
    result = html[html.index('id="result-heading"') :]
    assert "Hoppas över: Sjukdom" in result
    assert "300 dagar" in result


def test_rows_are_added_without_javascript(employee: FlaskClient) -> None:
    data = _form(dict.fromkeys(_before(12), "1")) | {"action": "add"}
    status, html = _post(employee, data)
    assert status == 200
    assert html.count('name="rows-') == 15 * 4
    assert _values(html, "amount") == ["1"] * 12 + [""] * 3
    assert "field-error" not in html


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ({"rows-1-month": "{m0}"}, "rows-1-month", "Månaden finns redan i tabellen."),
        ({"rows-0-amount": "-5000"}, "rows-0-amount", "Beloppet kan inte vara negativt."),
        ({"rows-0-amount": "mycket"}, "rows-0-amount", "Ange beloppet i hela kronor."),
        ({"rows-0-year": "{future_year}"}, "rows-0-month", "Månaden har inte varit än."),
        ({"rows-0-year": ""}, "rows-0-year", "Ange året med fyra siffror."),
        ({"rows-0-month": ""}, "rows-0-month", "Välj en månad."),
        ({"rows-0-month": "13"}, "rows-0-month", "Välj en månad."),
        ({"rows-0-skip_reason": "semester"}, "rows-0-skip_reason", "Välj ett av skälen i listan."),
        ({"unemployed_on": ""}, "unemployed_on", "Fältet måste fyllas i."),
        ({"unemployed_on": "1 maj"}, "unemployed_on", "Ange ett datum som ÅÅÅÅ-MM-DD."),
        ({"member_since": "igår"}, "member_since", "Ange ett datum som ÅÅÅÅ-MM-DD."),
        ({"unemployed_on": "2025-09-01"}, "unemployed_on", "från och med 2025-10-01"),
    ],
)
def test_mistakes_are_shown_on_their_fields(
    employee: FlaskClient, rows: dict[str, str], field: str, message: str
) -> None:
    months = _before(2)
    data = _form(dict.fromkeys(months, "30000"))
    data["rows-1-year"] = str(months[0].year)
    data["rows-1-month"] = str(months[1].month)
    values = {"m0": str(months[0].month), "future_year": str(months[0].year + 1)}
    data |= {name: value.format(**values) for name, value in rows.items()}
    status, html = _post(employee, data)
    assert status == 422
    assert message in html
    assert re.search(rf'aria-describedby="[^"]*{field}-error[^"]*"', html), html
    assert f'href="#{field}"' in html, "the error summary links to the field"
    assert 'id="result-heading">Reglerna<' in html, "no result"


def test_a_blank_amount_leaves_the_row_out(employee: FlaskClient) -> None:
    data = _form(dict.fromkeys(_before(4), "12000"))
    data |= {"rows-4-year": "2099", "rows-4-month": "1", "rows-4-amount": ""}
    status, html = _post(employee, data)
    assert status == 200
    assert "66 dagar" in html


def test_the_table_is_filled_from_the_employers_data(
    employee: FlaskClient, session: Session, w: f.World
) -> None:
    support.approved(session, w)
    f.certificate_in(session, w, State.DRAFT)
    income.store(session, w.company.id, [f.agi_statement("165599999991", 2026, 1, 36000)])
    session.flush()
    status, html = _post(employee, {"action": "employer"})
    assert status == 200
    assert re.search(r'name="unemployed_on" type="text" value="2026-10-01"', html)
    amounts = _values(html, "amount")
    assert amounts[:12] == [
        *("52900", "34500", "34500", "34500", "35040", "34500"),
        *("34500", "34500", "36000", "34500", "34500", "34500"),
    ], "newest first; AGI's 36,000 wins over the certificate's pay for 2026-01"
    assert amounts[12:] == ["", "", ""], "room for more"
    assert "Lönen per månad är uppskattad" in html

    shown = {YearMonth(2026, 9).shifted(-back): amounts[back] for back in range(12)}
    data = _form(shown, unemployed_on=date(2026, 10, 1), member_since="2020-01-01")
    status, result = _post(employee, data)
    assert status == 200, result
    assert "300 dagar" in result
    assert "<strong>27\xa0200\xa0kr</strong>" in result


def test_without_employer_data_the_table_stays_empty(employee: FlaskClient) -> None:
    status, html = _post(employee, {"action": "employer"})
    assert status == 200
    assert "Det finns inga inkomster från dina arbetsgivare att hämta än." in html
    assert html.count('name="rows-') == 12 * 4
