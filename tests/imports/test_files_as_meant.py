"""Payroll files read as their authors meant, through the public surfaces: every problem names
its field and record in plain words (import jobs, REST, SOAP), a header's problem is told once
for the file, numbers of any precision are rounded with a warning, a file with nothing
importable says so."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.certificates import service as certificates
from app.certificates.models import Certificate
from app.database import utcnow
from app.employments import service as employments
from payroll_adapters import generate_agi
from tests.api.conftest import Tenant
from tests.api.support import body, certificate_json, json_of
from tests.api.test_soap import _answer, _d, _post, request_for
from tests.imports.conftest import FIXTURES, RunJobs
from tests.imports.test_api_imports import job, upload


def _run(client: FlaskClient, tenant: Tenant, run_jobs: RunJobs, fmt: str, data: bytes) -> Any:
    queued = upload(client, tenant, fmt, data)
    assert queued.status_code == 202, queued.get_data(as_text=True)
    run_jobs()
    return job(client, tenant, queued.headers["Location"])


NAMELESS = (
    b"<paxml><header><version>2.0</version></header><personal><person>"
    b"<fornamn>Siv</fornamn><efternamn>Ljunggren</efternamn><anstdatum>2020-01-01</anstdatum>"
    b"</person></personal></paxml>"
)


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        (None, "Personnummer saknas för person 1. Ange arbetstagarens personnummer"),
        ("en-GB", "Personal identity number is missing for person 1. Enter the employee's"),
    ],
)
def test_a_missing_personnummer_is_named_with_its_person(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs, language: str | None, detail: str
) -> None:
    queued = upload(client, theirs, "paxml", NAMELESS)
    run_jobs()
    headers = {"Accept-Language": language} if language else {}
    done = client.get(queued.headers["Location"], headers=theirs.headers | headers).json
    assert done is not None
    (problem,) = done["problems"]
    assert (problem["code"], problem["severity"]) == ("personnummer_required", "error")
    assert problem["detail"].startswith(detail)
    # Nothing in the file could be stored, and the job says so.
    assert (done["state"], done["created"], done["error"]) == ("done", 0, "nothing_importable")
    assert done["message"]


def test_a_real_time_export_by_id_alone_tells_its_header_once_and_each_unknown_id(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs
) -> None:
    done = _run(
        client, theirs, run_jobs, "paxml", (FIXTURES / "paxml_workify_2022-09.xml").read_bytes()
    )
    details = {p["code"]: p["detail"] for p in done["problems"]}
    assert [p["code"] for p in done["problems"]].count("invalid_orgnr") == 1
    assert details["invalid_orgnr"].startswith("Organisationsnummer i filens huvud:")
    assert details["employment_id_unknown"].startswith(
        "Personnummer i tidtransaktion 1: Anställningsnumret 1234 finns inte i företagets register"
    )
    assert details["record_without_content"].startswith("Lönetransaktion 1: Posten har bara")
    # The header's problem is the file's: two records failed, not three.
    assert (done["created"], done["failed"], done["error"]) == (0, 2, "nothing_importable")


def test_a_file_of_another_employer_is_told_so_once(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs
) -> None:
    done = _run(client, mine, run_jobs, "paxml", (FIXTURES / "paxml_lonut_latin1.pax").read_bytes())
    mismatches = [p for p in done["problems"] if p["code"] == "employer_mismatch"]
    assert len(mismatches) == 1
    assert mismatches[0]["detail"].startswith("Organisationsnummer för person 1:")
    assert done["failed"] >= 2


def test_csv_hours_finer_than_hundredths_are_rounded_and_said(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs
) -> None:
    data = (FIXTURES / "certificates_cp1252.csv").read_bytes().replace(b";120,5;", b";120,456;")
    done = _run(client, mine, run_jobs, "csv", data)
    assert done["created"] == 2
    (rounded,) = [p for p in done["problems"] if p["code"] == "rounded"]
    assert rounded["severity"] == "warning"
    assert rounded["detail"].startswith(
        "Rad 2: Arbetade timmar, 2025-04: 120.456 har avrundats till 120.46."
    )
    assert done["warning_count"] >= 1


def test_rest_names_the_missing_field_and_the_certificate_of_a_list(
    client: FlaskClient, mine: Tenant
) -> None:
    nameless = certificate_json()
    del nameless["employee"]["personnummer"]
    response = client.post(
        "/api/v1/certificates",
        data=body({"certificates": [certificate_json(), nameless]}),
        content_type="application/json",
        headers=mine.headers,
    )
    assert response.status_code == 422
    errors = json_of(response)["errors"]
    assert {
        "code": "personnummer_required",
        "pointer": "/certificates/1/employee/personnummer",
    }.items() <= errors[0].items()
    assert errors[0]["detail"].startswith("Personnummer saknas i intyg 2. Ange arbetstagarens")


def test_rest_rounds_hours_finer_than_hundredths_with_a_warning(
    client: FlaskClient, mine: Tenant
) -> None:
    document = certificate_json()
    document["worked_time"]["months"][0]["hours_worked"] = "100.125"
    response = client.post(
        "/api/v1/certificates",
        data=body(document),
        content_type="application/json",
        headers=mine.headers,
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    (created,) = json_of(response)["certificates"]
    (rounded,) = [w for w in created["warnings"] if w["code"] == "rounded"]
    assert rounded["key"].startswith("rounded:worked_time.months.0.hours_worked:100.125:100.13:")
    assert rounded["pointer"] == "/worked_time/months/0/hours_worked"
    assert rounded["detail"].startswith("Arbetade timmar")
    assert "100.125 har avrundats till 100.13" in rounded["detail"]


def test_soap_names_the_missing_field_and_its_certificate(
    client: FlaskClient, mine: Tenant
) -> None:
    data = request_for(mine).replace(b"<a:Personnummer>19121212-1212</a:Personnummer>", b"", 1)
    answer = _answer(_post(client, data))
    results = answer.findall(f"{_d('CertificateResults')}/{_d('ApiImportCertificateResult')}")
    message = str(results[0].findtext(_d("Message")))
    assert "Personnummer saknas" in message, message


def test_real_exports_by_id_become_the_right_peoples_drafts_once_the_ids_are_known(
    client: FlaskClient,
    theirs: Tenant,
    run_jobs: RunJobs,
    session: Session,
    shared_dir: Path,
) -> None:
    """blinfo's vendor export names Arvid by anstid 002 only; Workify's names everyone by
    anstid. With the numbers in the register, each becomes a draft about its person with the
    month and hours the file gives."""
    for number, pnr, first, last in (
        ("002", "199003159820", "Arvid", "Lundgren"),
        ("1234", "198112189876", "Bo", "Ek"),
    ):
        employments.save(
            session,
            company_id=theirs.company.id,
            number=number,
            personnummer=pnr,
            first_name=first,
            last_name=last,
            actor=SYSTEM,
        )
    session.flush()
    blinfo = (shared_dir / "samples" / "paxml" / "blinfo_DEMO_2022-10.xml").read_bytes()
    done = _run(client, theirs, run_jobs, "paxml", blinfo)
    # Mårten's persnr 198209010001 fails its check digit: reported, not guessed.
    assert (done["created"], done["failed"]) == (1, 1)
    workify = (FIXTURES / "paxml_workify_2022-09.xml").read_bytes()
    done = _run(client, theirs, run_jobs, "paxml", workify)
    assert (done["created"], done["failed"]) == (1, 1)  # anstid 44: allowances only
    months = {}
    for certificate in session.scalars(
        select(Certificate).where(Certificate.company_id == theirs.company.id)
    ):
        content = certificates.current_version(session, certificate).content
        months[content["employee"]["personnummer"]] = (
            content["employee"]["first_name"],
            content["worked_time"]["months"],
        )
    assert months == {
        "199003159820": (
            "Arvid",
            [{"year": 2022, "month": 10, "hours_worked": "4.00", "absence": "8.00"}],
        ),
        "198112189876": (
            "Bo",
            [
                {
                    "year": 2022,
                    "month": 9,
                    "hours_worked": "103.52",
                    "absence": "46.00",
                    "overtime": "11.07",
                }
            ],
        ),
    }


def test_a_job_stopped_by_a_problem_with_a_place_says_where_to_look(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs
) -> None:
    done = _run(client, theirs, run_jobs, "paxml", b"<paxml><header>")
    assert (done["state"], done["error"]) == ("failed", "xml_malformed")
    assert done["message"].startswith("Filen kunde inte läsas till slut.")
    (problem,) = done["problems"]
    assert problem["detail"].startswith("Filen är inte korrekt XML från rad 1.")


def test_another_employers_agi_is_told_once_even_across_a_paused_job(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs
) -> None:
    queued = upload(client, mine, "agi", b"".join(generate_agi(10, 3, seed=2)))
    stop = threading.Event()
    calls = 0

    def clock() -> datetime:
        """Asks the worker to stop at its first checkpoint (the claim is the first call)."""
        nonlocal calls
        calls += 1
        if calls == 2:
            stop.set()
        return utcnow()

    assert run_jobs(commit_every=10, clock=clock, stop=stop) == {"imports_paused": 1}
    assert run_jobs() == {"imports_done": 1}
    done = job(client, mine, queued.headers["Location"])
    assert (done["created"], done["failed"], done["error"]) == (0, 30, "nothing_importable")
    (mismatch,) = done["problems"]
    assert mismatch["code"] == "income_employer_mismatch"


def test_a_csv_row_that_cannot_be_read_counts_as_failed(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs
) -> None:
    data = (FIXTURES / "certificates_cp1252.csv").read_bytes().replace(b";120,5;", b";9999;")
    done = _run(client, mine, run_jobs, "csv", data)
    errors = [p for p in done["problems"] if p["severity"] == "error"]
    assert [e["detail"].split(":")[0] for e in errors] == [
        "Arbetade timmar (tabellrad 1) på rad 2",
        "Arbetade timmar (tabellrad 1) på rad 3",  # the fixture's own 800 hours
    ]
    assert (done["created"], done["failed"]) == (1, 2)
