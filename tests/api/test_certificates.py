"""The certificate routes: drafts from JSON, pages and filters, idempotent POSTs, problems in
Swedish and English, and the per-key rate limit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.certificates import service as certificates
from app.certificates.models import Certificate, CertificateVersion, State
from tests import factories as f
from tests.api.conftest import Tenant
from tests.api.support import body, certificate_json, is_problem, json_of
from tests.conftest import AppFactory

URL = "/api/v1/certificates"


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Certificate)) or 0


def _post(client: FlaskClient, tenant: Tenant, document: Any, **headers: str) -> Any:
    return client.post(
        URL, data=body(document), content_type="application/json", headers=tenant.headers | headers
    )


# --- creating drafts ---------------------------------------------------------------------------


def test_one_certificate_becomes_a_draft_made_by_the_key(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    response = _post(client, mine, certificate_json())
    assert response.status_code == 201
    (created,) = response.json["certificates"]
    assert response.headers["Location"] == f"{URL}/{created['id']}"
    assert created["state"] == "draft"
    assert created["complete"] is True
    assert created["employee"]["personnummer"] == "121212-****"
    version = session.scalars(select(CertificateVersion)).one()
    assert version.created_by_label == "api:Lönesystemet"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.created"))
    assert event.one().actor_label == "api:Lönesystemet"


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_list_becomes_drafts_together(
    client: FlaskClient, session: Session, mine: Tenant, wrapped: bool
) -> None:
    items = [certificate_json(), certificate_json("income_2025", f.OTHER_EMPLOYEE_PNR)]
    response = _post(client, mine, {"certificates": items} if wrapped else items)
    assert response.status_code == 201
    assert "Location" not in response.headers
    assert [c["variant"] for c in response.json["certificates"]] == ["full", "income_2025"]
    assert _count(session) == 2


def test_a_partial_draft_is_created_and_said_to_be_incomplete(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    partial = {
        "variant": "full",
        "employee": {"personnummer": f.EMPLOYEE_PNR, "first_name": "Tolvan", "last_name": "T"},
        "working_time": {"type": "VarierandeArbetstid"},
    }
    response = _post(client, mine, partial)
    assert response.status_code == 201
    assert response.json["certificates"][0]["complete"] is False


def test_one_bad_certificate_stores_none_and_points_at_each_problem(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    bad = certificate_json()
    bad["employee"]["personnummer"] = "191212121213"
    bad["employment"]["period"]["start"] = "2019-02-30"
    response = _post(client, mine, [certificate_json(), bad, {"employee": {}}])
    problem = is_problem(response, 422, "invalid_content")
    assert {(e["pointer"], e["code"]) for e in problem["errors"]} == {
        ("/1/employee/personnummer", "invalid_personnummer"),
        ("/1/employment/period/start", "invalid_date"),
        ("/2/variant", "variant_missing"),
    }
    assert problem["title"] == "Uppgifterna innehåller fel. Rätta de markerade fälten."
    assert _count(session) == 0


def test_a_draft_needs_the_employee_it_is_about(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    response = _post(client, mine, [certificate_json(), {"variant": "full"}])
    problem = is_problem(response, 422, "invalid_content")
    assert {(e["pointer"], e["code"]) for e in problem["errors"]} == {
        ("/1/employee/personnummer", "personnummer_required"),
    }
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        (None, "Anställningstid, till och med: Ange datumet som ÅÅÅÅ-MM-DD."),
        ("sv-SE,sv;q=0.9", "Anställningstid, till och med: Ange datumet som ÅÅÅÅ-MM-DD."),
        ("en-GB,en;q=0.8", "Period of employment, to: Enter the date as YYYY-MM-DD."),
    ],
)
def test_field_errors_speak_the_callers_language(
    client: FlaskClient, mine: Tenant, language: str | None, detail: str
) -> None:
    bad = certificate_json()
    bad["employment"]["period"]["end"] = "30/6"
    headers = {"Accept-Language": language} if language else {}
    problem = is_problem(_post(client, mine, bad, **headers), 422, "invalid_content")
    assert problem["errors"] == [
        {"code": "invalid_date", "detail": detail, "pointer": "/employment/period/end"}
    ]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{not json", "json_malformed"),
        (b"", "empty_file"),
        (b"[]", "json_shape"),
        (b"7", "json_shape"),
    ],
)
def test_unreadable_bodies_are_problems_at_the_top(
    client: FlaskClient, session: Session, mine: Tenant, data: bytes, code: str
) -> None:
    response = client.post(URL, data=data, content_type="application/json", headers=mine.headers)
    problem = is_problem(response, 422, "invalid_content")
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [("", code)]
    assert _count(session) == 0


def test_income_is_set_aside_with_its_reason(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    """As from every payroll path: income comes from the employer declarations (AGI)."""
    document = certificate_json("income_2025") | {
        "income": [{"year": 2025, "month": 8, "amount": 32000, "source": "payroll"}]
    }
    response = _post(client, mine, document)
    assert response.status_code == 201
    (created,) = response.json["certificates"]
    assert [(w["code"], w["pointer"]) for w in created["warnings"]] == [
        ("income_not_accepted", "/income")
    ]
    stored = session.scalars(select(CertificateVersion)).one()
    assert "income" not in stored.content


def test_bodies_over_the_limit_are_refused(
    make_app: AppFactory, session: Session, mine: Tenant
) -> None:
    client = make_app(API_MAX_BYTES=500).test_client()
    response = _post(client, mine, certificate_json())
    is_problem(response, 413, "http_413")
    assert _count(session) == 0


# --- idempotency -------------------------------------------------------------------------------


def test_a_retry_gets_the_first_answer_and_creates_nothing(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    first = _post(client, mine, certificate_json(), **{"Idempotency-Key": "lönekörning-2025-06"})
    again = _post(client, mine, certificate_json(), **{"Idempotency-Key": "lönekörning-2025-06"})
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count(session) == 1


def test_the_same_key_with_another_body_is_a_conflict(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    _post(client, mine, certificate_json(), **{"Idempotency-Key": "k1"})
    other = certificate_json(employee_pnr=f.OTHER_EMPLOYEE_PNR)
    is_problem(
        _post(client, mine, other, **{"Idempotency-Key": "k1"}), 409, "idempotency_key_reused"
    )
    assert _count(session) == 1


def test_a_refused_request_can_be_corrected_under_the_same_key(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    bad = certificate_json()
    bad["employment"]["period"]["end"] = "30/6"
    is_problem(_post(client, mine, bad, **{"Idempotency-Key": "k2"}), 422, "invalid_content")
    assert _post(client, mine, certificate_json(), **{"Idempotency-Key": "k2"}).status_code == 201


def test_idempotency_keys_belong_to_their_api_key(
    client: FlaskClient, session: Session, mine: Tenant, theirs: Tenant
) -> None:
    mine_again = Tenant(mine.company, mine.key, mine.key_id)
    from tests.api.conftest import key_for

    second = key_for(session, mine.company, "Andra systemet")
    first = _post(client, mine_again, certificate_json(), **{"Idempotency-Key": "k"})
    assert first.status_code == 201
    again = _post(client, second, certificate_json(), **{"Idempotency-Key": "k"})
    assert "Idempotent-Replayed" not in again.headers, "another key's answer is not replayed"
    assert again.status_code == 200, "the record itself is known by its record key"
    assert again.json["certificates"][0]["outcome"] == "unchanged"
    assert again.json["certificates"][0]["id"] == first.json["certificates"][0]["id"]
    assert _count(session) == 1


def test_an_unusable_idempotency_key_is_refused(client: FlaskClient, mine: Tenant) -> None:
    response = _post(client, mine, certificate_json(), **{"Idempotency-Key": "x" * 256})
    is_problem(response, 400, "idempotency_key_invalid")


# --- listing -----------------------------------------------------------------------------------


@pytest.fixture
def five(session: Session, w: f.World) -> list[Certificate]:
    """Five certificates changed a minute apart, the oldest first; the fourth one is sent."""
    made = []
    for minute in range(5):
        at = f.NOW + timedelta(minutes=minute)
        made.append(
            certificates.create_draft(
                session,
                company=w.company,
                variant="full",
                content=f.content(
                    employee_pnr=f.OTHER_EMPLOYEE_PNR if minute == 2 else f.EMPLOYEE_PNR
                ),
                actor=w.by_certifier,
                now=at,
            )
        )
    certificates.sign(
        session, made[3], signer=w.certifier, evidence=f.EVIDENCE, now=f.NOW + timedelta(minutes=10)
    )
    certificates.deliver(session, made[3], now=f.NOW + timedelta(minutes=10))
    session.flush()
    return made


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["id"] for row in response.json["certificates"]]


def test_pages_follow_the_cursor_to_the_end(
    client: FlaskClient, mine: Tenant, five: list[Certificate]
) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = f"{URL}?limit=2" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(query, headers=mine.headers)
        seen += _ids(response)
        pages += 1
        cursor = json_of(response)["next_cursor"]
        if cursor is None:
            break
    expected = [five[i].id for i in (0, 1, 2, 4, 3)]  # least recently changed first
    assert seen == [str(i) for i in expected]
    assert pages == 3


def test_lists_mask_the_personnummer(
    client: FlaskClient, mine: Tenant, five: list[Certificate]
) -> None:
    rows = json_of(client.get(URL, headers=mine.headers))["certificates"]
    assert {row["employee"]["personnummer"] for row in rows} == {"121212-****", "900315-****"}
    one = json_of(client.get(f"{URL}/{five[2].id}", headers=mine.headers))
    assert one["employee"]["personnummer"] == f.OTHER_EMPLOYEE_PNR


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=sent", [3]),
        ("state=DRAFT", [0, 1, 2, 4]),
        ("personnummer=19900315-9820", [2]),
        ("personnummer=900315-9820&state=draft", [2]),
        ("personnummer=195001182046", []),
        ("updated_since=2026-11-02T09:33:00%2B00:00", [4, 3]),
        ("updated_since=2026-11-02T10:33:00%2B01:00&state=draft", [4]),
    ],
)
def test_filters(
    client: FlaskClient, mine: Tenant, five: list[Certificate], query: str, expected: list[int]
) -> None:
    assert _ids(client.get(f"{URL}?{query}", headers=mine.headers)) == [
        str(five[i].id) for i in expected
    ]


@pytest.mark.parametrize(
    ("query", "parameter", "code"),
    [
        ("limit=0", "limit", "out_of_range"),
        ("limit=many", "limit", "not_integer"),
        ("state=lost", "state", "invalid_choice"),
        ("personnummer=12345", "personnummer", "invalid_personnummer"),
        ("updated_since=2026-11-02T09:33:00", "updated_since", "invalid"),
        ("colour=blue", "colour", "unknown_field"),
    ],
)
def test_bad_parameters_are_named(
    client: FlaskClient, mine: Tenant, query: str, parameter: str, code: str
) -> None:
    problem = is_problem(client.get(f"{URL}?{query}", headers=mine.headers), 422, "http_422")
    assert [(e["parameter"], e["code"]) for e in problem["errors"]] == [(parameter, code)]


def test_parameter_errors_in_english(client: FlaskClient, mine: Tenant) -> None:
    response = client.get(f"{URL}?limit=0", headers=mine.headers | {"Accept-Language": "en"})
    problem = is_problem(response, 422, "http_422")
    assert problem["errors"][0]["detail"] == "Enter a value from 1 to 200."


@pytest.mark.parametrize("cursor", ["garbage", "bm90LWEtY3Vyc29y"])
def test_a_bad_cursor_is_refused(client: FlaskClient, mine: Tenant, cursor: str) -> None:
    is_problem(client.get(f"{URL}?cursor={cursor}", headers=mine.headers), 400, "invalid_cursor")


def test_detail_has_versions_and_completion_messages(
    client: FlaskClient, session: Session, w: f.World, mine: Tenant
) -> None:
    certificate = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    certificates.revise(session, certificate, actor=w.by_certifier, now=f.NOW + timedelta(days=2))
    session.flush()
    detail = json_of(client.get(f"{URL}/{certificate.id}", headers=mine.headers))
    assert detail["state"] == "draft"
    assert detail["current_version"] == 2
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["versions"][0]["signed_at"] is not None
    assert detail["versions"][1]["signed_at"] is None
    assert detail["versions"][1]["content"]["employee"]["first_name"] == "Tolvan"
    assert detail["completion_messages"] == [
        {
            "version_number": 1,
            "author_role": "employee",
            "body": "Fel slutdatum",
            "created_at": (f.NOW + timedelta(days=1)).isoformat(),
        }
    ]


# --- rate limits -------------------------------------------------------------------------------


def test_each_key_has_its_own_rate_limit(
    make_app: AppFactory, mine: Tenant, theirs: Tenant
) -> None:
    client = make_app(API_RATE_LIMIT="2 per minute").test_client()
    assert client.get(URL, headers=mine.headers).status_code == 200
    assert client.get(URL, headers=mine.headers).status_code == 200
    refused = client.get(URL, headers=mine.headers)
    problem = is_problem(refused, 429, "http_429")
    assert problem["title"] == "För många anrop. Vänta en stund och försök igen."
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert client.get(URL, headers=theirs.headers).status_code == 200
