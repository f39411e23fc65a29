"""/api/v1/imports: queue a file, the worker reads it, the job shows progress and problems."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.certificates.models import Certificate
from app.imports.models import ImportChunk, ImportedRecord, ImportJob, JobState
from app.income import service as income
from app.income.models import AgiIncome
from payroll_adapters import generate_agi
from tests.api.conftest import Tenant
from tests.api.support import is_problem, json_of
from tests.imports.conftest import FIXTURES, RunJobs


def upload(client: FlaskClient, tenant: Tenant, fmt: str, data: bytes, **headers: str) -> Any:
    return client.post(
        f"/api/v1/imports?format={fmt}",
        data=data,
        headers=tenant.headers | {"Content-Type": "application/octet-stream"} | headers,
    )


def job(client: FlaskClient, tenant: Tenant, location: str) -> dict[str, Any]:
    response = client.get(location, headers=tenant.headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return json_of(response)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_json_file_becomes_drafts_with_problems_at_their_pointers(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    queued = upload(client, mine, "json", (FIXTURES / "certificates.json").read_bytes())
    assert queued.status_code == 202, queued.get_data(as_text=True)
    body = json_of(queued)
    assert body["state"] == "queued"
    assert queued.headers["Location"] == f"/api/v1/imports/{body['id']}"
    assert run_jobs() == {"imports_done": 1}
    done = job(client, mine, queued.headers["Location"])
    assert done["state"] == "done"
    assert (done["created"], done["failed"], done["records_read"]) == (2, 1, 3)
    pointers = {(p["code"], p["pointer"]) for p in done["problems"]}
    assert ("invalid_personnummer", "/certificates/1/employee/personnummer") in pointers
    assert all(p["detail"] for p in done["problems"])
    assert count(session, ImportChunk) == 0  # the file is gone once read


def test_importing_the_same_file_twice_creates_nothing_new(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    data = (FIXTURES / "certificates_cp1252.csv").read_bytes()
    first = upload(client, mine, "csv", data)
    run_jobs()
    certificates = count(session, Certificate)
    second = upload(client, mine, "csv", data)
    run_jobs()
    assert job(client, mine, first.headers["Location"])["created"] == 2
    again = job(client, mine, second.headers["Location"])
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert count(session, Certificate) == certificates
    assert count(session, ImportedRecord) == 2


@pytest.mark.parametrize(
    ("path", "created", "failed"),
    [("PAXml_2.0_official_example.pax", 0, 3), ("blinfo_DEMO_2022-10.xml", 0, 2)],
    ids=["official", "blinfo"],
)
def test_real_paxml_files(
    client: FlaskClient,
    mine: Tenant,
    run_jobs: RunJobs,
    shared_dir: Path,
    path: str,
    created: int,
    failed: int,
) -> None:
    """Both real files name some people by employment id only (no personnummer): each
    record is reported, at its element, with the field that is missing."""
    queued = upload(client, mine, "paxml", (shared_dir / "samples" / "paxml" / path).read_bytes())
    run_jobs()
    done = job(client, mine, queued.headers["Location"])
    assert done["state"] == "done", done
    assert (done["created"], done["failed"], done["records_read"]) == (
        created,
        failed,
        created + failed,
    )
    assert done["problems"]
    for problem in done["problems"]:
        assert problem["pointer"].startswith("/paxml/")
        assert problem["line"]
        assert problem["detail"]


def test_paxml_of_another_employer_is_refused(
    client: FlaskClient, mine: Tenant, theirs: Tenant, run_jobs: RunJobs
) -> None:
    data = (FIXTURES / "paxml_lonut_latin1.pax").read_bytes()
    refused = upload(client, mine, "paxml", data)
    accepted = upload(client, theirs, "paxml", data)
    run_jobs()
    mismatch = job(client, mine, refused.headers["Location"])
    assert mismatch["created"] == 0
    assert "employer_mismatch" in {p["code"] for p in mismatch["problems"]}
    own = job(client, theirs, accepted.headers["Location"])
    assert (own["created"], own["records_read"]) == (2, 2 + own["failed"])
    assert {p["code"] for p in own["problems"]} >= {"persnr_not_12_digits", "bad_date"}


def test_agi_is_stored_later_forms_replace_earlier_and_borttag_is_honoured(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    queued = upload(client, theirs, "agi", (FIXTURES / "agi_2025.xml").read_bytes())
    run_jobs()
    done = job(client, theirs, queued.headers["Location"])
    assert done["state"] == "done"
    assert (done["created"], done["updated"], done["failed"]) == (5, 2, 3)
    assert [p["line"] for p in done["problems"]] == [226, 252, 271]
    person = income.records_for(session, "198506152340")
    assert [(r.month, r.cash_pay, r.benefits) for r in person] == [(1, 28000, 0), (2, 29500, 800)]
    other = income.records_for(session, "198112189876")
    assert [(r.month, r.specification_number) for r in other] == [(1, 1), (2, 1)]
    # Once more: all unchanged, nothing added.
    rows = count(session, AgiIncome)
    again = upload(client, theirs, "agi", (FIXTURES / "agi_2025.xml").read_bytes())
    run_jobs()
    assert job(client, theirs, again.headers["Location"])["created"] == 0
    assert count(session, AgiIncome) == rows


def test_agi_of_another_employer_is_not_stored(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    queued = upload(client, mine, "agi", (FIXTURES / "agi_2025.xml").read_bytes())
    run_jobs()
    done = job(client, mine, queued.headers["Location"])
    assert done["created"] == 0
    # Told once for the file, in words about income statements, not certificates.
    (mismatch,) = [p for p in done["problems"] if p["code"] == "income_employer_mismatch"]
    assert mismatch["detail"].startswith("Arbetsgivarens registreringsnummer (fält 201) i blankett")
    assert "inkomstuppgifter från sina egna arbetsgivardeklarationer" in mismatch["detail"]
    assert "intyg" not in mismatch["detail"]
    assert (done["state"], done["error"]) == ("done", "nothing_importable")
    assert done["message"].startswith("Filen innehöll inget som kunde läsas in")
    assert count(session, AgiIncome) == 0


@pytest.mark.parametrize("name", ["xxe.xml", "billion_laughs.xml"])
def test_a_file_with_a_dtd_fails_and_stores_nothing(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs, session: Session, name: str
) -> None:
    queued = upload(client, theirs, "agi", (FIXTURES / name).read_bytes())
    assert run_jobs() == {"imports_failed": 1}
    failed = job(client, theirs, queued.headers["Location"])
    assert (failed["state"], failed["error"]) == ("failed", "doctype_refused")
    assert failed["problems"][0]["code"] == "doctype_refused"
    assert count(session, AgiIncome) == 0


def test_progress_is_committed_as_the_worker_goes(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    data = b"".join(generate_agi(30, 2, seed=1))
    queued = upload(client, theirs, "agi", data)
    run_jobs(commit_every=10)
    done = job(client, theirs, queued.headers["Location"])
    assert (done["state"], done["created"], done["records_read"]) == ("done", 60, 60)


def test_a_crashed_job_is_resumed_where_it_stopped(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    queued = upload(client, theirs, "agi", b"".join(generate_agi(10, 3, seed=2)))
    # A worker that died after committing part of it: a position and an expired lease.
    found = session.get_one(ImportJob, uuid.UUID(json_of(queued)["id"]))
    found.state, found.position, found.attempts = JobState.RUNNING, 12, 1
    found.claimed_by, found.claimed_until = "dead", found.created_at - timedelta(seconds=1)
    session.flush()
    run_jobs()
    done = job(client, theirs, queued.headers["Location"])
    assert done["state"] == "done"
    # The first 12 statements were skipped as already handled by the worker that died.
    assert done["created"] == 30 - 12


def test_a_job_that_keeps_crashing_fails_with_a_clear_problem(
    client: FlaskClient, theirs: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    queued = upload(client, theirs, "agi", (FIXTURES / "agi_2025.xml").read_bytes())
    session.get_one(ImportJob, uuid.UUID(json_of(queued)["id"])).attempts = 3
    session.flush()
    assert run_jobs() == {"imports_failed": 1}
    failed = job(client, theirs, queued.headers["Location"])
    assert failed["error"] == "import_crashed"
    assert failed["problems"][-1]["detail"]


def test_jobs_are_listed_newest_first(client: FlaskClient, mine: Tenant, theirs: Tenant) -> None:
    upload(client, mine, "json", b"[]")
    upload(client, mine, "csv", b"a;b\r\n")
    upload(client, theirs, "csv", b"a;b\r\n")
    listed = json_of(client.get("/api/v1/imports", headers=mine.headers))["imports"]
    assert [j["format"] for j in listed] == ["csv", "json"]


def test_another_companys_job_is_not_found(
    client: FlaskClient, mine: Tenant, theirs: Tenant
) -> None:
    queued = upload(client, mine, "json", b"[]")
    is_problem(client.get(queued.headers["Location"], headers=theirs.headers), 404, "not_found")
    is_problem(client.get(queued.headers["Location"]), 401, "api_key_invalid")


def test_too_large_is_a_413(make_app: Any, mine: Tenant) -> None:
    small = make_app(IMPORT_MAX_BYTES=100).test_client()
    response = upload(small, mine, "csv", b"x" * 101)
    is_problem(response, 413, "http_413")


def test_an_unknown_format_is_refused(client: FlaskClient, mine: Tenant) -> None:
    response = upload(client, mine, "xlsx", b"x")
    body = is_problem(response, 422, "http_422")
    assert body["errors"][0]["parameter"] == "format"


def test_idempotency_key_returns_the_first_job(client: FlaskClient, mine: Tenant) -> None:
    first = upload(client, mine, "json", b"[]", **{"Idempotency-Key": "k1"})
    again = upload(client, mine, "json", b"[]", **{"Idempotency-Key": "k1"})
    assert json_of(again)["id"] == json_of(first)["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = upload(client, mine, "json", b"[{}]", **{"Idempotency-Key": "k1"})
    is_problem(other, 409, "idempotency_key_reused")
    listed = json_of(client.get("/api/v1/imports", headers=mine.headers))["imports"]
    assert len(listed) == 1


def test_csv_template(client: FlaskClient, mine: Tenant) -> None:
    response = client.get("/api/v1/imports/template.csv", headers=mine.headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    header = response.get_data().decode("utf-8-sig").splitlines()[0]
    assert "employee.personnummer" in header or "personnummer" in header
    assert client.get("/api/v1/imports/template.csv").status_code == 401
