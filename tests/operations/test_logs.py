"""Request ids and JSON log lines, and the proxy's forwarded address believed only when told."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import current_app
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from app import correlation
from app.apikeys import service as apikeys
from app.audit.service import SYSTEM
from app.certificates.models import State
from app.notifications.channels import ConsoleMailer
from app.outbox.models import OutboxMessage
from app.webhooks import service as webhooks
from app.webhooks.delivery import WebhookSender
from app.worker.imports import JobRunner
from app.worker.worker import Worker
from tests import factories as f
from tests import web
from tests.conftest import AppFactory, LiveBankID
from tests.imports.conftest import FIXTURES


def test_every_answer_carries_a_request_id(client: FlaskClient) -> None:
    first, second = client.get("/verifiera"), client.get("/verifiera")
    assert len(first.headers["X-Request-ID"]) == 32
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_proxys_request_id_is_kept_unless_it_is_not_one(client: FlaskClient) -> None:
    given = client.get("/verifiera", headers={"X-Request-ID": "lb-0123456789abcdef"})
    assert given.headers["X-Request-ID"] == "lb-0123456789abcdef"
    forged = client.get("/verifiera", headers={"X-Request-ID": 'x" injected'})
    assert forged.headers["X-Request-ID"] != 'x" injected'
    assert len(forged.headers["X-Request-ID"]) == 32


@pytest.fixture
def root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    kept, level = root.handlers[:], root.level
    yield
    root.handlers[:] = kept
    root.setLevel(level)


@pytest.mark.usefixtures("root_handlers")
def test_json_logs_name_the_request(
    make_app: AppFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(LOG_FORMAT="json")

    @app.get("/probe-log")
    def probe() -> str:
        current_app.logger.warning("probe happened")
        return "ok"

    response = app.test_client().get("/probe-log", headers={"X-Request-ID": "req-42-abcdefgh"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    entry = next(line for line in lines if line["message"] == "probe happened")
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == "req-42-abcdefgh"
    assert entry["name"] == app.logger.name


@pytest.mark.usefixtures("root_handlers")
def test_json_logs_leave_out_the_libraries_chatter_but_not_their_warnings(
    make_app: AppFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(LOG_FORMAT="json")
    capsys.readouterr()
    fetcher = logging.getLogger("pyhanko_certvalidator.fetchers.aiohttp_fetchers.ocsp_client")
    fetcher.info("Requesting OCSP response")
    logging.getLogger("pyhanko.sign.timestamps").info("Requesting timestamp")
    logging.getLogger("weasyprint.progress").info("Step 5 - Creating layout")
    fetcher.warning("OCSP responder unreachable")
    messages = [json.loads(line)["message"] for line in capsys.readouterr().err.splitlines()]
    assert messages == ["OCSP responder unreachable"]


def test_forwarded_address_believed_only_behind_a_configured_proxy(
    client: FlaskClient, make_app: AppFactory
) -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert client.get("/metrics", headers=forwarded).status_code == 200
    proxied = make_app(PROXY_FIX_HOPS=1).test_client()
    assert proxied.get("/metrics", headers=forwarded).status_code == 404
    assert proxied.get("/metrics").status_code == 200


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


@pytest.mark.usefixtures("root_handlers")
def test_the_worker_logs_each_job_under_the_request_that_queued_it(
    make_app: AppFactory,
    connection: Connection,
    session: Session,
    bankid: LiveBankID,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A withdrawal queues an e-mail and a webhook, an upload an import job: the worker's lines
    for each carry the request id of the request that queued it, and lines of no job none."""
    app = make_app(LOG_FORMAT="json")
    w = f.world(session)
    webhooks.register(
        session,
        company=w.company,
        url="http://127.0.0.1:9/hooks",
        description="Lön",
        actor=SYSTEM,
        allow_http_loopback=True,
    )
    sent = f.certificate_in(session, w, State.SENT)
    key = apikeys.create(session, company=w.company, name="Lön", actor=SYSTEM)
    session.commit()
    earlier = set(session.scalars(select(OutboxMessage.id)))  # the factory's delivery, no request
    client = app.test_client()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{sent.id}"
    client.environ_base["HTTP_X_REQUEST_ID"] = "req-withdraw-0001"
    assert web.post(client, f"{page}/aterkalla", form_page=page, reason="Fel").status_code == 302
    queued = client.post(
        "/api/v1/imports?format=json",
        data=(FIXTURES / "certificates.json").read_bytes(),
        headers={
            "Authorization": f"Bearer {key.plaintext}",
            "Content-Type": "application/octet-stream",
            "X-Request-ID": "req-import-0002",
        },
    )
    assert queued.status_code == 202
    messages = session.scalars(select(OutboxMessage).where(OutboxMessage.id.not_in(earlier))).all()
    assert {(m.channel, m.request_id) for m in messages} == {
        ("email", "req-withdraw-0001"),
        ("webhook", "req-withdraw-0001"),
    }
    capsys.readouterr()

    sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    worker = Worker(
        sessions=sessions,
        senders={
            "email": ConsoleMailer(io.StringIO()),
            "webhook": WebhookSender(sessions, timeout=2, allow_internal=True),
        },
        public_url="https://intyga.test",
        steps=[JobRunner(sessions=sessions, max_bytes=10_000_000, name="test-worker").run_due],
    )
    worker.run_pass()

    lines = _lines(capsys)
    by_message = {
        line["message"].split(":")[0]: line["request_id"]
        for line in lines
        if line["message"].startswith(("outbox message", "import job"))
    }
    assert by_message == {
        **{f"outbox message {m}": "-" for m in earlier},
        **{f"outbox message {m.id}": "req-withdraw-0001" for m in messages},
        f"import job {queued.json['id']}": "req-import-0002",  # type: ignore[index]
    }
    # The webhook's receiver is not there: its failure is logged under the request too.
    failed = [line for line in lines if "pending" in line["message"]]
    assert failed
    assert "req-withdraw-0001" in {line["request_id"] for line in failed}
    assert correlation.request_id() is None, "nothing of a job outlives it"
