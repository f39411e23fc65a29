"""The portal's import pages: upload a file, the list with its progress, a job's problems,
the CSV template; another company's job does not exist here."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.imports import service as imports
from tests import factories as f
from tests import web
from tests.api.conftest import Tenant
from tests.conftest import LiveBankID
from tests.imports.conftest import FIXTURES, RunJobs

PAGE = "/arbetsgivare/importer"


def _upload(client: FlaskClient, fmt: str, name: str, data: bytes) -> object:
    return client.post(
        PAGE,
        data={
            "csrf_token": web.csrf(client, PAGE),
            "format": fmt,
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def test_upload_watch_and_read_the_problems(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, run_jobs: RunJobs
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    assert PAGE in client.get("/arbetsgivare/").get_data(as_text=True)  # in the nav
    data = (FIXTURES / "certificates.json").read_bytes()
    uploaded = _upload(client, "json", "intyg.json", data)
    assert uploaded.status_code == 302  # type: ignore[attr-defined]
    job_page = uploaded.headers["Location"]  # type: ignore[attr-defined]

    listing = client.get(PAGE).get_data(as_text=True)
    assert "intyg.json" in listing
    assert "<progress" in listing
    assert 'http-equiv="refresh"' in listing  # reloads itself while the job waits

    run_jobs()
    page = client.get(job_page).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert "/certificates/1/employee/personnummer" in page
    assert "Klar" in page
    assert re.search(r"<dt>Nya</dt><dd>2</dd>", page)


def test_upload_needs_a_file(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    refused = client.post(PAGE, data={"csrf_token": web.csrf(client, PAGE), "format": "csv"})
    assert refused.status_code == 422
    assert 'aria-describedby="file-hint file-error"' in refused.get_data(as_text=True)


def test_too_large_is_refused_with_a_message(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, monkeypatch: object
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    monkeypatch.setitem(client.application.config, "IMPORT_MAX_BYTES", 10)  # type: ignore[attr-defined]
    refused = _upload(client, "csv", "stor.csv", b"x" * 11)
    assert refused.status_code == 413  # type: ignore[attr-defined]
    assert "Filen är för stor" in refused.get_data(as_text=True)  # type: ignore[attr-defined]


def test_another_companys_job_does_not_exist_here(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, theirs: Tenant
) -> None:
    job = imports.create_job(
        session,
        company_id=theirs.company.id,
        format="csv",
        stream=io.BytesIO(b"a;b\r\n"),
        max_bytes=100,
    )
    web.log_in(client, bankid, f.ADMIN_PNR)
    assert client.get(f"{PAGE}/{job.id}").status_code == 404
    assert str(job.id) not in client.get(PAGE).get_data(as_text=True)


def test_the_csv_template(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    assert client.get(f"{PAGE}/mall.csv").status_code in (302, 401)
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    template = client.get(f"{PAGE}/mall.csv")
    assert template.status_code == 200
    assert template.mimetype == "text/csv"
    assert b";" in template.data.splitlines()[0]
