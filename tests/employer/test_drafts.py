"""Certificates by hand through HTTP: the first step, the form, rows, errors fixed, the preview."""

from __future__ import annotations

import re
import uuid

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.employer import certificate_form as cf
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

NEW = "/arbetsgivare/intyg/nytt"


def _form_of(content: dict[str, object]) -> dict[str, str]:
    values, counts = cf.from_content(content)
    return values | {cf.row_count_name(table): str(count) for table, count in counts.items()}


def test_the_first_step_decides_which_parts_are_shown(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    assert "Vilket intyg fyller du i?" in client.get(NEW).get_data(as_text=True)
    missing = web.post(client, NEW, form_page=NEW, action="start")
    assert missing.status_code == 422
    html = missing.get_data(as_text=True)
    assert "Välj vilket intyg du fyller i." in html
    assert 'aria-describedby="f-employment-still_employed-error"' in html

    step = {"employment_form.type": "Provanstallning", "employment.still_employed": "false"}
    full = web.post(client, NEW, form_page=NEW, action="start", variant="full", **step)
    html = full.get_data(as_text=True)
    assert full.status_code == 200
    assert "Provanställningen skulle ha upphört" in html
    assert "G. Orsak till att anställningen upphörde" in html
    assert "J. Arbetad tid" in html
    assert "K. Lön" in html
    assert "Den tidsbegränsade anställningen skulle ha upphört" not in html
    assert html.index("A. Arbetstagare") < html.index("D. Anställningsform") < html.index("M. Öv")

    step["employment.still_employed"] = "true"
    income = web.post(client, NEW, form_page=NEW, action="start", variant="income_2025", **step)
    html = income.get_data(as_text=True)
    assert "J. Arbetad tid" not in html
    assert "G. Orsak till att anställningen upphörde" not in html


def test_month_rows_totals_and_the_identical_months_warning(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    form = _form_of(f.content("full"))
    for index in range(12):
        form[f"worked_time.months.{index}.hours_worked"] = "160"
    added = web.post(
        client, NEW, form_page=NEW, variant="full", action="add:worked_time.months", **form
    )
    html = added.get_data(as_text=True)
    assert added.status_code == 200
    assert 'name="worked_time.months.12.year" value="2025"' in html
    assert 'name="worked_time.months.12.month" value="7"' in html
    assert 'name="worked_time.months.rows" value="13"' in html
    assert "<td>1\xa0920</td>" in html, "the totals row sums the hours, in Swedish"
    assert "Ligger utanför anställningsperioden." in html, "July 2025 is after the employment"
    removed = web.post(
        client, NEW, form_page=NEW, variant="full", action="remove:worked_time.months:0", **form
    )
    html = removed.get_data(as_text=True)
    assert 'name="worked_time.months.rows" value="11"' in html
    assert 'name="worked_time.months.0.month" value="8"' in html
    assert "Samma antal timmar i alla månader." in html


def test_a_draft_with_errors_is_fixed_saved_previewed_and_edited(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    form = _form_of(f.content("full"))
    broken = form | {
        "employee.personnummer": "19121212-1213",
        "worked_time.months.2.hours_worked": "många",
    }
    refused = web.post(client, NEW, form_page=NEW, variant="full", action="save", **broken)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Kontrollera personnumret" in html
    assert 'aria-describedby="f-employee-personnummer-error"' in html
    assert 'id="f-employee-personnummer-error"' in html
    assert 'href="#f-worked_time-months-2-hours_worked"' in html
    assert "Ange ett tal, till exempel 37,5." in html
    assert 'value="många"' in html, "what was typed stays to be fixed"
    assert session.scalars(select(Certificate)).all() == []

    saved = web.post(client, NEW, form_page=NEW, variant="full", action="save", **form)
    assert saved.status_code == 302
    certificate_id = uuid.UUID(saved.headers["Location"].rsplit("/", 1)[-1])
    certificate = certificates.get_for_company(session, w.company.id, certificate_id)
    assert certificates.current_version(session, certificate).content == f.content("full")

    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Utkastet är sparat." in page
    assert "Det här visas i BankID när du skriver under" in page
    assert "Tolvan Tolvansson" in page
    assert "Skriv under och skicka med BankID" in page
    assert "J. Arbetad tid" in page, "the content is shown block by block"

    edit = f"/arbetsgivare/intyg/{certificate.id}/redigera"
    html = client.get(edit).get_data(as_text=True)
    assert 'name="employment.position" value="Snickare"' in html
    lock = re.search(r'name="lock_version" value="(\d+)"', html)
    assert lock
    changed = form | {"other_information": "Kompletterat.", "lock_version": lock.group(1)}
    assert web.post(client, edit, form_page=edit, action="save", **changed).status_code == 302
    session.refresh(certificate)
    assert certificates.current_version(session, certificate).content["other_information"] == (
        "Kompletterat."
    )
    stale = web.post(client, edit, form_page=edit, action="save", **changed)
    assert stale.status_code == 409


def test_an_incomplete_draft_is_saved_and_says_what_is_missing(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    nameless = web.post(
        client,
        NEW,
        form_page=NEW,
        variant="income_2025",
        action="save",
        **{"employee.first_name": "Tolvan"},
    )
    assert nameless.status_code == 422
    assert "Fältet måste fyllas i." in nameless.get_data(as_text=True)
    employee = {
        f"employee.{k}": v for k, v in f.content()["employee"].items() if isinstance(v, str)
    }
    saved = web.post(client, NEW, form_page=NEW, variant="income_2025", action="save", **employee)
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Utkastet kan inte skrivas under än" in page
    assert "Skriv under och skicka med BankID" not in page
    assert "B. Arbetsgivare: Fältet måste fyllas i." in page


def test_only_drafts_are_edited(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    sent = f.certificate_in(session, w, State.SENT)
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    edit = f"/arbetsgivare/intyg/{sent.id}/redigera"
    assert client.get(edit).headers["Location"] == f"/arbetsgivare/intyg/{sent.id}"
    form = _form_of(f.content("full"))
    refused = web.post(
        client, edit, form_page=f"/arbetsgivare/intyg/{sent.id}", action="save", **form
    )
    assert refused.status_code == 409
    assert "redan underskrivet och har inte ändrats" in refused.get_data(as_text=True)
