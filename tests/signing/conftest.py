"""Fixtures for the BankID tests: one test CA per run, a fake clock, and a live test server.

The client is tested over real HTTP on a loopback port; the server's state machine also through
Werkzeug's test client. The fake clock drives both the server's timeouts and the client's collect
throttle, so a "2 second" wait costs nothing.
"""

from __future__ import annotations

import base64
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.test import Client, TestResponse

from signing.bankid.client import BankIDClient
from signing.bankid.testserver import BankIDTestServer, create_test_server
from signing.bankid.testserver.ca import CertificateAuthority
from tests.signing.conftest_seal import (  # noqa: F401 - fixtures for the sealed-document tests
    bankid,
    other_seal,
    sealed_pdf_file,
    sealed_xml,
    service_seal,
    signed_document,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLE = SHARED / "samples" / "bankid" / "test-environment-signature.xml"


def json_of(response: TestResponse) -> dict[str, Any]:
    data = response.get_json()
    assert isinstance(data, dict), response.data
    return data


class FakeClock:
    """Epoch seconds that only move when told to; `sleep` moves them."""

    def __init__(self) -> None:
        self.now = time.time()
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Live:
    """A test server listening on 127.0.0.1 and a client pointed at it."""

    server: BankIDTestServer
    base: str
    client: BankIDClient

    @property
    def api(self) -> str:
        return f"{self.base}/rp/v6.0/"

    def app(self, path: str, **body: Any) -> requests.Response:
        """Play the user's app (POST /app/open or /app/complete with JSON)."""
        return requests.post(f"{self.base}/app/{path}", json=body, timeout=5)


@pytest.fixture(scope="session")
def sample() -> bytes:
    if not SAMPLE.is_file():
        pytest.skip(
            f"the genuine BankID sample is not at {SAMPLE} (the shared/ folder beside the repo)"
        )
    return SAMPLE.read_bytes()


@pytest.fixture(scope="session")
def ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test CA made once per run; each server below loads it instead of making keys."""
    path = tmp_path_factory.mktemp("bankid-ca")
    CertificateAuthority(path)
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(ca_dir: Path, clock: FakeClock) -> BankIDTestServer:
    return create_test_server(ca_dir, clock=clock.time)


@pytest.fixture
def wsgi(server: BankIDTestServer) -> Client:
    return Client(server)


Serve = Callable[..., str]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """serve(wsgi_app, ssl_context=None) -> base URL of a real server on a free loopback port."""
    servers: list[tuple[BaseWSGIServer, threading.Thread]] = []

    def start(app: WSGIApplication, ssl_context: ssl.SSLContext | None = None) -> str:
        httpd = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=ssl_context)
        # A short poll interval: shutdown() waits for it, once per test.
        thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
        thread.start()
        servers.append((httpd, thread))
        scheme = "https" if ssl_context else "http"
        return f"{scheme}://127.0.0.1:{httpd.server_port}"

    yield start
    for httpd, thread in servers:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def live(server: BankIDTestServer, serve: Serve, clock: FakeClock) -> Iterator[Live]:
    base = serve(server)
    client = BankIDClient(
        f"{base}/rp/v6.0/",
        client_cert=None,
        ca_cert=True,
        timeout=5,
        clock=clock.time,
        sleep=clock.sleep,
    )
    with client:
        yield Live(server, base, client)


Complete = Callable[..., dict[str, Any]]


@pytest.fixture
def complete(wsgi: Client) -> Complete:
    """complete(kind, visible=None, non_visible=None, personal_number=...) -> completionData.

    Runs a whole order through the test server's WSGI app, without a network.
    """

    def run(
        kind: str = "sign",
        visible: str | None = None,
        non_visible: bytes | None = None,
        personal_number: str = "191212121212",
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"endUserIp": "192.0.2.1"}
        if visible is not None:
            body["userVisibleData"] = base64.b64encode(visible.encode()).decode()
        if non_visible is not None:
            body["userNonVisibleData"] = base64.b64encode(non_visible).decode()
        order_ref = json_of(wsgi.post(f"/rp/v6.0/{kind}", json=body))["orderRef"]
        wsgi.post(
            "/app/complete",
            json={"orderRef": order_ref, "personalNumber": personal_number, "action": "approve"},
        )
        answer = json_of(wsgi.post("/rp/v6.0/collect", json={"orderRef": order_ref}))
        assert answer["status"] == "complete", answer
        data: dict[str, Any] = answer["completionData"]
        return data

    return run
