"""Every route against every kind of credential: a valid key, a revoked key, none, and another
company's key, which never learns that this company's certificates exist (404, not 403)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.apikeys import service as apikeys
from app.audit.service import Actor
from app.certificates.models import Certificate, State
from tests import factories as f
from tests import web
from tests.api.conftest import Tenant
from tests.api.support import body, certificate_json, is_problem, json_of
from tests.conftest import LiveBankID

CREDENTIALS = ("valid", "revoked", "none", "malformed", "other company")


def _headers(kind: str, session: Session, mine: Tenant, theirs: Tenant) -> dict[str, str]:
    if kind == "revoked":
        apikeys.revoke(session, company_id=mine.company.id, key_id=mine.key_id, actor=Actor("t"))
        session.flush()
    return {
        "valid": mine.headers,
        "revoked": mine.headers,
        "none": {},
        "malformed": {"Authorization": f"Basic {mine.key}"},
        "other company": theirs.headers,
    }[kind]


def _refused(kind: str) -> bool:
    return kind in {"revoked", "none", "malformed"}


@pytest.mark.parametrize("kind", CREDENTIALS)
def test_list(
    client: FlaskClient,
    session: Session,
    mine: Tenant,
    theirs: Tenant,
    draft: Certificate,
    kind: str,
) -> None:
    response = client.get("/api/v1/certificates", headers=_headers(kind, session, mine, theirs))
    if _refused(kind):
        is_problem(response, 401, "api_key_invalid")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        return
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    ids = [row["id"] for row in json_of(response)["certificates"]]
    assert ids == ([str(draft.id)] if kind == "valid" else [])


@pytest.mark.parametrize("kind", CREDENTIALS)
@pytest.mark.parametrize("suffix", ["", "/document.xml", "/document.pdf"])
def test_one_certificate(
    client: FlaskClient,
    session: Session,
    mine: Tenant,
    theirs: Tenant,
    draft: Certificate,
    kind: str,
    suffix: str,
) -> None:
    headers = _headers(kind, session, mine, theirs)
    response = client.get(f"/api/v1/certificates/{draft.id}{suffix}", headers=headers)
    if _refused(kind):
        is_problem(response, 401, "api_key_invalid")
    elif kind == "other company":
        is_problem(response, 404, "certificate_not_found")
    elif suffix:
        is_problem(response, 404, "document_not_signed")
    else:
        assert response.status_code == 200
        assert json_of(response)["id"] == str(draft.id)


@pytest.mark.parametrize("kind", CREDENTIALS)
def test_create(
    client: FlaskClient, session: Session, mine: Tenant, theirs: Tenant, kind: str
) -> None:
    headers = _headers(kind, session, mine, theirs)
    response = client.post(
        "/api/v1/certificates",
        data=body(certificate_json()),
        content_type="application/json",
        headers=headers,
    )
    created = session.scalar(select(func.count()).select_from(Certificate))
    if _refused(kind):
        is_problem(response, 401, "api_key_invalid")
        assert created == 0
    elif kind == "other company":
        # The content names this company as employer: another company's key cannot file it.
        problem = is_problem(response, 422, "invalid_content")
        assert [e["pointer"] for e in problem["errors"]] == ["/employer/organisation_number"]
        assert problem["errors"][0]["code"] == "employer_mismatch"
        assert created == 0
    else:
        assert response.status_code == 201
        assert created == 1


def test_unknown_ids_and_paths_are_404_problems(client: FlaskClient, mine: Tenant) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    response = client.get(f"/api/v1/certificates/{missing}", headers=mine.headers)
    is_problem(response, 404, "certificate_not_found")
    is_problem(client.get("/api/v1/certificates/not-a-uuid", headers=mine.headers), 404, "http_404")


def test_signed_documents_are_served_to_their_company_only(
    app: Flask,
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    mine: Tenant,
    theirs: Tenant,
    draft: Certificate,
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{draft.id}"
    started = web.post(client, f"{page}/skriv-under", form_page=page)
    web.complete_order(client, bankid, started.headers["Location"], f.CERTIFIER_PNR)
    client = app.test_client()  # the API is used without the person's session
    session.refresh(draft)
    assert draft.state == State.SENT

    xml = client.get(f"/api/v1/certificates/{draft.id}/document.xml", headers=mine.headers)
    assert xml.status_code == 200
    assert xml.mimetype == "application/xml"
    assert b"urn:intyga:arbetsgivarintyg:1" in xml.data
    assert "-v1.xml" in xml.headers["Content-Disposition"]
    pdf = client.get(
        f"/api/v1/certificates/{draft.id}/document.pdf?version=1", headers=mine.headers
    )
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    detail = client.get(f"/api/v1/certificates/{draft.id}", headers=mine.headers).json
    assert detail is not None
    assert detail["state"] == "sent"
    assert [d["version_number"] for d in detail["documents"]] == [1]
    assert detail["versions"][0]["signed_at"] is not None
    absent = client.get(
        f"/api/v1/certificates/{draft.id}/document.pdf?version=2", headers=mine.headers
    )
    is_problem(absent, 404, "version_not_found")
    for suffix in ("document.xml", "document.pdf"):
        other = client.get(f"/api/v1/certificates/{draft.id}/{suffix}", headers=theirs.headers)
        is_problem(other, 404, "certificate_not_found")
