"""Failed API keys are throttled far harder than calls with a valid key: ten failures a minute
from an address, over REST and SOAP together, and that address is refused (429) until the window
passes, even with a valid key. With Redis the count is shared by every worker process."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy.orm import Session

from app.apikeys import service as apikeys
from app.audit.service import Actor
from app.config import defaults
from tests import factories as f
from tests.conftest import AppFactory
from tests.security.test_sessions import REDIS_URL

FAILURE_LIMIT = defaults(Path())["API_FAILURE_LIMIT"]
ALLOWED_FAILURES = 10
SOAP_URL = "/HR_SystemService/ArbetsgivarintygService.svc"
SOAP_FIXTURE = Path(__file__).resolve().parents[1] / "payroll_adapters/fixtures/soap_request.xml"
DATA_CONTRACT = "http://schemas.datacontract.org/2004/07/Arbetsgivarintyg.Api"


def from_address(client: FlaskClient, address: str) -> FlaskClient:
    client.environ_base["REMOTE_ADDR"] = address
    return client


def random_address() -> str:
    """Another address per run: counters in Redis outlive a test."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"  # noqa: S311


def list_certificates(client: FlaskClient, key: str) -> int:
    return client.get(
        "/api/v1/certificates", headers={"Authorization": f"Bearer {key}"}
    ).status_code


def soap(client: FlaskClient, w: f.World, key: str) -> etree._Element:
    data = SOAP_FIXTURE.read_bytes().replace(b"3f9c1e2a-demo-key", key.encode())
    data = data.replace(b"ftg4431", w.company.employer_id.encode())
    response = client.post(SOAP_URL, data=data, content_type="text/xml; charset=utf-8")
    return etree.fromstring(response.data)


@pytest.fixture
def strict(make_app: AppFactory) -> Flask:
    return make_app(API_FAILURE_LIMIT=FAILURE_LIMIT)


@pytest.fixture
def key(session: Session, w: f.World) -> str:
    made = apikeys.create(session, company=w.company, name="Lön", actor=Actor(label="test"))
    session.flush()
    return made.plaintext


WRONG = "intyga_0000000000000000000000000000000000000000000"


def test_wrong_keys_are_throttled_long_before_the_rate_limit(
    strict: Flask, key: str, w: f.World
) -> None:
    attacker = from_address(strict.test_client(), "203.0.113.7")
    statuses = [list_certificates(attacker, WRONG) for _ in range(ALLOWED_FAILURES)]
    assert statuses == [401] * ALLOWED_FAILURES

    refused = attacker.get("/api/v1/certificates", headers={"Authorization": f"Bearer {WRONG}"})
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert list_certificates(attacker, key) == 429, "the address waits, whatever it sends"

    payroll = from_address(strict.test_client(), "198.51.100.20")
    assert [list_certificates(payroll, key) for _ in range(30)] == [200] * 30


def test_soap_failures_count_with_the_rest_api(strict: Flask, key: str, w: f.World) -> None:
    attacker = from_address(strict.test_client(), "203.0.113.8")
    for _ in range(ALLOWED_FAILURES // 2):
        answer = soap(attacker, w, WRONG).find(f".//{{{DATA_CONTRACT}}}ResultCode")
        assert answer is not None
        assert answer.text == "2", "not authenticated"
    for _ in range(ALLOWED_FAILURES // 2):
        assert list_certificates(attacker, WRONG) == 401
    assert list_certificates(attacker, key) == 429
    fault = soap(attacker, w, key)
    assert fault.findtext(".//{urn:intyga:soap:arbetsgivarintyg:1}Problem") == "http_429"


def test_successes_do_not_count_as_failures(strict: Flask, key: str, w: f.World) -> None:
    payroll = from_address(strict.test_client(), "198.51.100.21")
    for _ in range(3 * ALLOWED_FAILURES):
        assert list_certificates(payroll, key) == 200
    assert list_certificates(payroll, WRONG) == 401


def test_with_redis_every_worker_shares_the_count(
    make_app: AppFactory, key: str, w: f.World
) -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (set TEST_REDIS_URL)")
    workers = [make_app(API_FAILURE_LIMIT=FAILURE_LIMIT, REDIS_URL=REDIS_URL) for _ in range(2)]
    address = random_address()
    clients = [from_address(worker.test_client(), address) for worker in workers]
    for attempt in range(ALLOWED_FAILURES):
        assert list_certificates(clients[attempt % 2], WRONG) == 401
    assert list_certificates(clients[0], key) == 429
    assert list_certificates(clients[1], key) == 429
