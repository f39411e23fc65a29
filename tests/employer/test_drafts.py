"""Certificates by hand through HTTP: the first step, the guided steps saved one by one, rows,
errors fixed in their step, and the summary before signing."""

from __future__ import annotations

import re

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


def test_the_first_step_decides_which_steps_and_parts_are_asked(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    assert "Vilket intyg fyller du i?" in client.get(NEW).get_data(as_text=True)
    missing = web.post(client, NEW, form_page=NEW, action="start")
    assert missing.status_code == 422
    html = missing.get_data(as_text=True)
    assert "Välj vilket intyg du fyller i." in html
    assert 'aria-describedby="f-employment-still_employed-error"' in html

    answers = {"employment_form.type": "Provanstallning", "employment.still_employed": "false"}
    full = web.post(client, NEW, form_page=NEW, action="start", variant="full", **answers)
    html = full.get_data(as_text=True)
    assert full.status_code == 200
    assert "Steg 2 av 6" in html
    assert html.index("A. Arbetstagare") < html.index("B. Arbetsgivare")
    assert "D. Anställningsform" not in html, "one part of the form per step"
    assert 'type="hidden" name="employment_form.type" value="Provanstallning"' in html

    def step(key: str, variant: str = "full") -> str:
        shown = web.post(
            client, NEW, form_page=NEW, action="refresh", variant=variant, steg=key, **answers
        )
        assert shown.status_code == 200
        return shown.get_data(as_text=True)

    html = step("anstallning")
    assert "Steg 3 av 6" in html
    assert "Provanställningen skulle ha upphört" in html
    assert "Den tidsbegränsade anställningen skulle ha upphört" not in html
    assert "G. Orsak till att anställningen upphörde" in step("avslut")
    html = step("tid-och-lon")
    assert "Steg 5 av 6" in html
    assert html.index("J. Arbetad tid") < html.index("K. Lön")
    assert "M. Öv" in step("ovrigt")

    answers["employment.still_employed"] = "true"
    income = web.post(client, NEW, form_page=NEW, action="start", variant="income_2025", **answers)
    assert "Steg 2 av 5" in income.get_data(as_text=True)
    html = step("avslut", "income_2025")
    assert "G. Orsak till att anställningen upphörde" not in html
    assert "J. Arbetad tid" not in step("tid-och-lon", "income_2025"), "no such step here"


def test_month_rows_totals_and_errors_in_their_step(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    form = _form_of(f.content("full")) | {"steg": "tid-och-lon"}
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
    assert "1\xa0920</td>" in html, "the totals row sums the hours, in Swedish"
    assert "Ligger utanför anställningsperioden." in html, "July 2025 is after the employment"
    removed = web.post(
        client, NEW, form_page=NEW, variant="full", action="remove:worked_time.months:0", **form
    )
    html = removed.get_data(as_text=True)
    assert 'name="worked_time.months.rows" value="11"' in html
    assert 'name="worked_time.months.0.month" value="8"' in html


def test_the_guided_form_saves_each_step_and_ends_in_the_summary(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    form = _form_of(f.content("full"))
    broken = form | {"employee.personnummer": "19121212-1213", "steg": "personer"}
    refused = web.post(client, NEW, form_page=NEW, variant="full", action="next", **broken)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Kontrollera personnumret" in html
    assert 'aria-describedby="f-employee-personnummer-error"' in html
    assert 'id="f-employee-personnummer-error"' in html
    assert 'value="19121212-1213"' in html, "what was typed stays to be fixed"
    assert session.scalars(select(Certificate)).all() == []

    saved = web.post(
        client,
        NEW,
        form_page=NEW,
        variant="full",
        action="next",
        **broken | {"employee.personnummer": form["employee.personnummer"]},
    )
    assert saved.status_code == 302, "the draft is saved at the end of the step"
    certificate = session.scalars(select(Certificate)).one()
    edit = f"/arbetsgivare/intyg/{certificate.id}/redigera"
    assert saved.headers["Location"] == f"{edit}?steg=anstallning"
    assert "Steg 3 av 6" in client.get(saved.headers["Location"]).get_data(as_text=True)

    typo = form | {"worked_time.months.2.hours_worked": "många", "steg": "tid-och-lon"}
    refused = web.post(client, edit, form_page=edit, action="next", **typo)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'href="#f-worked_time-months-2-hours_worked"' in html
    assert "Ange ett tal, till exempel 37,5." in html
    assert 'value="många"' in html

    for key, following in (
        ("anstallning", "?steg=avslut"),
        ("avslut", "?steg=tid-och-lon"),
        ("tid-och-lon", "?steg=ovrigt"),
        ("ovrigt", "/granska"),
    ):
        went = web.post(client, edit, form_page=edit, action="next", **form | {"steg": key})
        assert went.status_code == 302, went.get_data(as_text=True)
        assert went.headers["Location"].endswith(following)
    session.refresh(certificate)
    assert certificates.current_version(session, certificate).content == f.content("full")

    summary = client.get(f"/arbetsgivare/intyg/{certificate.id}/granska")
    html = summary.get_data(as_text=True)
    assert "Granska och skriv under" in html
    assert "Det här visas i BankID när du skriver under" in html
    assert "<h3>Arbetsgivarintyg</h3>" in html, "BankID's markup is drawn, not printed"
    assert "<strong>Befattning:</strong> Snickare" in html
    assert "# Arbetsgivarintyg" not in html
    assert "Skriv under och skicka med BankID" in html
    assert "J. Arbetad tid" in html, "the content is shown block by block"
    assert f"{edit}?steg=tid-och-lon&amp;granska=1" in html, "each part links back to its step"

    html = client.get(edit).get_data(as_text=True)
    assert "Steg 1 av 6" in html
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


def test_the_month_table_starts_with_the_months_before_the_end(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    content = f.content("full")
    del content["worked_time"]["months"]
    draft = certificates.create_draft(
        session, company=w.company, variant="full", content=content, actor=w.by_certifier
    )
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    html = client.get(f"/arbetsgivare/intyg/{draft.id}/redigera?steg=tid-och-lon")
    page = html.get_data(as_text=True)
    assert 'name="worked_time.months.rows" value="12"' in page
    assert 'name="worked_time.months.0.year" value="2024"' in page
    assert 'name="worked_time.months.0.month" value="7"' in page
    assert 'name="worked_time.months.11.month" value="6"' in page


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
    page = client.get(saved.headers["Location"] + "/granska").get_data(as_text=True)
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


def test_stored_values_are_shown_as_a_person_types_them(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    """158,5 hours and 100 % with a decimal comma and no .00; dates as text in the Swedish way,
    whatever the browser's language; the employer's number with its hyphen."""
    draft = certificates.create_draft(
        session, company=w.company, variant="full", content=f.content("full"), actor=w.by_certifier
    )
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    edit = f"/arbetsgivare/intyg/{draft.id}/redigera"
    employment = client.get(f"{edit}?steg=anstallning").get_data(as_text=True)
    assert re.search(r'name="employment.employment_rate" value="100"', employment)
    start = re.search(r'<input[^>]*name="employment.period.start"[^>]*>', employment)
    assert start
    assert 'type="text"' in start.group(0)
    assert 'value="2019-03-01"' in start.group(0)
    assert "Till exempel 2026-09-30" in employment
    months = client.get(f"{edit}?steg=tid-och-lon").get_data(as_text=True)
    assert 'name="worked_time.months.9.hours_worked" value="158,5"' in months
    people = client.get(f"{edit}?steg=personer").get_data(as_text=True)
    assert 'name="employer.organisation_number" value="559999-9991"' in people
    assert 'name="employee.personnummer" value="19121212-1212"' in people
