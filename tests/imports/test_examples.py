"""The README's walkthrough files in docs/examples work as it says: the certificate posts as a
draft, the PAXml export and the AGI declarations import for the demo company (559999-9991)."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.income import service as income
from tests.api.conftest import Tenant
from tests.api.support import json_of
from tests.imports.conftest import RunJobs
from tests.imports.test_api_imports import job, upload

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


def test_the_example_certificate_posts_as_a_draft(client: FlaskClient, mine: Tenant) -> None:
    assert mine.company.organisationsnummer == "5599999991"
    posted = client.post(
        "/api/v1/certificates",
        data=(EXAMPLES / "intyg.json").read_bytes(),
        headers=mine.headers | {"Content-Type": "application/json"},
    )
    assert posted.status_code == 201, posted.get_data(as_text=True)
    [created] = json_of(posted)["certificates"]
    assert created["state"] == "draft"


def test_the_example_paxml_export_becomes_two_drafts_without_problems(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs
) -> None:
    queued = upload(client, mine, "paxml", (EXAMPLES / "lonesystem.paxml").read_bytes())
    run_jobs()
    done = job(client, mine, queued.headers["Location"])
    errors = [p for p in done["problems"] if p["severity"] == "error"]
    assert (done["state"], done["created"], done["failed"], errors) == (
        "done",
        2,
        0,
        [],
    )
    # What looked wrong in the stored drafts is said, as warnings, each naming its person.
    warnings = {(p["code"], p["pointer"]) for p in done["problems"]}
    assert ("income_not_accepted", "/paxml/personal/person[1]") in warnings
    assert done["warning_count"] == len(done["problems"])


def test_the_example_agi_file_gives_twelve_months_for_each_employee(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    queued = upload(client, mine, "agi", (EXAMPLES / "agi.xml").read_bytes())
    run_jobs()
    done = job(client, mine, queued.headers["Location"])
    assert (done["state"], done["failed"], done["problems"]) == ("done", 0, [])
    for personnummer in ("199510089841", "199003159820"):
        months = {(r.year, r.month) for r in income.records_for(session, personnummer)}
        assert len(months) == 12
        assert min(months) == (2025, 10)
        assert max(months) == (2026, 9)
