"""Liveness, readiness and metrics as a load balancer and Prometheus see them."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
import redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.database import utcnow
from app.operations import health
from app.outbox.models import OutboxMessage
from signing.seal import ServiceSeal
from tests.conftest import AppFactory

REDIS = "redis://127.0.0.1:6379/9"


def _redis_runs() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_ready_when_database_and_seal_answer(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "seal": "ok"}


def test_not_ready_when_redis_is_configured_but_gone(make_app: AppFactory) -> None:
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["status"] == "error"
    assert response.json["redis"] == "ConnectionError"
    assert response.json["database"] == "ok"


@pytest.mark.skipif(not _redis_runs(), reason="no Redis at 127.0.0.1:6379")
def test_ready_with_a_live_redis(make_app: AppFactory) -> None:
    response = make_app(REDIS_URL=REDIS).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["redis"] == "ok"


def _certificate(
    key: ec.EllipticCurvePrivateKey, start: datetime, end: datetime
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "probe")])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )


def test_seal_check_signs_and_verifies() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    good = ServiceSeal(key, _certificate(key, now - timedelta(days=1), now + timedelta(days=1)))
    assert health.seal(good).ok
    expired = ServiceSeal(key, _certificate(key, now - timedelta(days=9), now - timedelta(days=1)))
    assert health.seal(expired) == health.Check(
        "seal", ok=False, detail="certificate outside its validity"
    )
    other = ec.generate_private_key(ec.SECP256R1())
    mismatched = ServiceSeal(
        key, _certificate(other, now - timedelta(days=1), now + timedelta(days=1))
    )
    assert not health.seal(mismatched).ok


def _metrics(client: FlaskClient) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_metrics_count_requests_by_route(client: FlaskClient) -> None:
    client.get("/verifiera")
    text = _metrics(client)
    assert (
        'intyga_request_duration_seconds_count{method="GET",route="/verifiera",status="200"}'
        in text
    )


def test_metrics_show_the_outbox_and_its_dead_letters(
    client: FlaskClient, session: Session
) -> None:
    now = utcnow()
    for number, status, age in ((1, "pending", 120), (2, "pending", 30), (3, "dead", 900)):
        session.add(
            OutboxMessage(
                idempotency_key=f"probe-{number}",
                channel="email",
                template="probe",
                payload={},
                status=status,
                created_at=now - timedelta(seconds=age),
            )
        )
    session.flush()
    text = _metrics(client)
    assert 'intyga_outbox_messages{channel="email",status="pending"} 2.0' in text
    assert 'intyga_outbox_messages{channel="email",status="dead"} 1.0' in text
    oldest = next(
        line for line in text.splitlines() if line.startswith("intyga_outbox_oldest_age_seconds{")
    )
    assert 120 <= float(oldest.split()[-1]) < 180
    assert "intyga_import_records_total 0.0" in text
    assert "# TYPE intyga_bankid_orders gauge" in text


def test_metrics_are_not_for_the_public(client: FlaskClient, make_app: AppFactory) -> None:
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 404
    guarded = make_app(METRICS_TOKEN="a-long-random-metrics-token").test_client()
    assert guarded.get("/metrics").status_code == 404
    wrong = {"Authorization": "Bearer not-it"}
    assert guarded.get("/metrics", headers=wrong).status_code == 404
    right = {"Authorization": "Bearer a-long-random-metrics-token"}
    remote = {"REMOTE_ADDR": "203.0.113.7"}
    assert guarded.get("/metrics", headers=right, environ_base=remote).status_code == 200
