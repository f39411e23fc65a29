"""The SOAP service makes one draft per certificate however often it is sent; the worker
forgets old Idempotency-Key answers."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.api.models import IdempotentRequest
from app.certificates.models import Certificate
from app.database import utcnow
from tests.api.conftest import Tenant
from tests.api.test_soap import _answer, _d, _post, request_for


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_same_soap_request_twice_creates_each_draft_once(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    first = _answer(_post(client, request_for(mine)))
    drafts = _count(session, Certificate)
    again = _answer(_post(client, request_for(mine)))
    assert _count(session, Certificate) == drafts == 2

    def ids(answer: object) -> list[str | None]:
        results = answer.findall(  # type: ignore[attr-defined]
            f"{_d('CertificateResults')}/{_d('ApiImportCertificateResult')}"
        )
        return [r.findtext(_d("Certificate")) for r in results]

    assert ids(again) == ids(first)
    assert again.findtext(_d("ResultCode")) == "1"  # the broken one is still refused


def test_the_worker_forgets_idempotency_answers_after_their_ttl(
    client: FlaskClient, session: Session, mine: Tenant, runner: FlaskCliRunner
) -> None:
    for key in ("old", "new"):
        response = client.post(
            "/api/v1/imports?format=json",
            data=b"[]",
            headers=mine.headers | {"Idempotency-Key": key},
        )
        assert response.status_code == 202
    old = session.scalars(
        select(IdempotentRequest).where(IdempotentRequest.idempotency_key == "old")
    ).one()
    old.created_at = utcnow() - timedelta(hours=25)
    session.flush()
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "idempotency_records_purged: 1" in result.output
    assert "imports_done: 2" in result.output
    left = session.scalars(select(IdempotentRequest.idempotency_key)).all()
    assert left == ["new"]
