"""The BankID client against the test server over real HTTP, and against scripted answers."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pytest
from werkzeug.wrappers import Request, Response

from signing.bankid.client import TEST_URL, BankIDClient
from signing.bankid.qr import qr_data
from signing.bankid.testserver import RESERVED
from signing.bankid.testserver.completion import DEFAULT_SERVICE_NAME
from signing.bankid.verify import verify_signature
from signing.bankid.wire import Requirement, WebContext
from signing.eid import (
    AlreadyInProgress,
    EidError,
    EidProvider,
    InternalError,
    InvalidParameters,
    Maintenance,
    NotFound,
    RequestTimeout,
    TooManyRequests,
    TransportError,
    Unauthorized,
    UnknownError,
)
from tests.signing.conftest import FakeClock, Live, Serve

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

TOLVAN = "191212121212"
ANNA = "199001011007"
VISIBLE = "Arbetsgivarintyg för *Tolvan Tolvansson*\n\nAnställd 2024-01-01 – 2025-06-30"
DOCUMENT_HASH = hashlib.sha256(b"<certificate/>").digest()


def approve(live: Live, order_ref: str, personal_number: str = TOLVAN, **extra: str) -> Any:
    return live.app(
        "complete", orderRef=order_ref, personalNumber=personal_number, action="approve", **extra
    )


def test_identification_from_qr_code_to_verified_signature(live: Live, clock: FakeClock) -> None:
    order = live.client.start_auth(end_user_ip="192.0.2.10")
    first = live.client.collect(order.order_ref)
    assert (first.status, first.hint_code) == ("pending", "outstandingTransaction")

    scanned = live.app("open", qrData=qr_data(order.qr_start_token, order.qr_start_secret, 0))
    assert scanned.json()["hintCode"] == "userSign"
    assert live.client.collect(order.order_ref).hint_code == "userSign"
    assert approve(live, order.order_ref).json()["status"] == "complete"

    done = live.client.collect(order.order_ref)
    assert done.status == "complete"
    assert done.completion is not None
    assert done.completion.user.name == "Tolvan Tolvansson"
    assert done.completion.user.given_name == "Tolvan"
    assert done.completion.device.ip_address == "127.0.0.1"
    assert done.raw["completionData"]["signature"] == done.completion.signature
    assert clock.sleeps == [2.0, 2.0]  # three collects, throttled to one per 2 s

    result = verify_signature(
        done.completion.signature,
        ocsp_response=done.completion.ocsp_response,
        visible_data=None,
        non_visible_data=None,
        func_id="Identification",
        service_name=DEFAULT_SERVICE_NAME,
        trusted_roots=[live.server.root_certificate],
    )
    assert result.complete, result.failure
    assert (result.personal_number, result.func_id) == (TOLVAN, "Identification")


def test_signing_from_autostart_token_to_verified_signature(live: Live) -> None:
    order = live.client.start_sign(
        end_user_ip="2001:db8::1",
        user_visible_data=VISIBLE,
        user_visible_data_format="simpleMarkdownV1",
        user_non_visible_data=DOCUMENT_HASH,
    )
    assert live.app("open", autoStartToken=order.auto_start_token).status_code == 200
    assert approve(live, order.order_ref, ANNA, name="Anna Maria Svensson").status_code == 200

    done = live.client.collect(order.order_ref)
    assert done.completion is not None
    assert done.completion.user.given_name == "Anna Maria"
    assert done.completion.user.surname == "Svensson"
    result = verify_signature(
        done.completion.signature,
        ocsp_response=done.completion.ocsp_response,
        visible_data=VISIBLE,
        non_visible_data=DOCUMENT_HASH,
        func_id="Signing",
        trusted_roots=[live.server.root_certificate],
    )
    assert result.ok, result.failure
    assert (result.personal_number, result.name) == (ANNA, "Anna Maria Svensson")
    assert result.signing_time is not None


def test_risk_and_step_up_come_back_when_asked_for(live: Live) -> None:
    order = live.client.start_auth(
        end_user_ip="192.0.2.10", return_risk=True, requirement=Requirement(mrtd=True)
    )
    approve(live, order.order_ref)
    completion = live.client.collect(order.order_ref).completion
    assert completion is not None
    assert completion.risk == "low"
    assert completion.step_up is not None
    assert completion.step_up.mrtd


def test_an_unpicked_order_fails_with_start_failed_after_30_s(live: Live, clock: FakeClock) -> None:
    order = live.client.start_auth(end_user_ip="192.0.2.10")
    clock.advance(30)
    result = live.client.collect(order.order_ref)
    assert (result.status, result.hint_code) == ("failed", "startFailed")


def test_an_open_order_expires_after_3_minutes(live: Live, clock: FakeClock) -> None:
    order = live.client.start_sign(end_user_ip="192.0.2.10", user_visible_data="Text")
    live.app("open", orderRef=order.order_ref)
    clock.advance(179)
    assert live.client.collect(order.order_ref).hint_code == "userSign"
    clock.advance(2)
    result = live.client.collect(order.order_ref)
    assert (result.status, result.hint_code) == ("failed", "expiredTransaction")


def test_a_second_order_for_the_same_person_ends_both(live: Live) -> None:
    first = live.client.start_auth(end_user_ip="192.0.2.10", personal_number=TOLVAN)
    with pytest.raises(AlreadyInProgress) as raised:
        live.client.start_sign(
            end_user_ip="192.0.2.10", user_visible_data="Text", personal_number=TOLVAN
        )
    assert raised.value.http_status == 400
    result = live.client.collect(first.order_ref)
    assert (result.status, result.hint_code) == ("failed", "cancelled")


def test_cancel_fails_the_order_and_only_once(live: Live) -> None:
    order = live.client.start_auth(end_user_ip="192.0.2.10")
    live.client.cancel(order.order_ref)
    result = live.client.collect(order.order_ref)
    assert (result.status, result.hint_code) == ("failed", "cancelled")
    with pytest.raises(InvalidParameters):
        live.client.cancel(order.order_ref)


def test_unknown_order_ref_is_invalid_parameters(live: Live) -> None:
    with pytest.raises(InvalidParameters, match="No such order"):
        live.client.collect("00000000-0000-4000-8000-000000000000")


@pytest.mark.parametrize(("personal_number", "hint_code"), sorted(RESERVED.items()))
def test_reserved_personal_numbers_fail_the_order(
    live: Live, personal_number: str, hint_code: str
) -> None:
    order = live.client.start_auth(end_user_ip="192.0.2.10")
    assert approve(live, order.order_ref, personal_number).status_code == 200
    result = live.client.collect(order.order_ref)
    assert (result.status, result.hint_code) == ("failed", hint_code)


def test_only_the_required_person_can_complete(live: Live) -> None:
    order = live.client.start_sign(
        end_user_ip="192.0.2.10", user_visible_data="Text", personal_number=TOLVAN
    )
    refused = approve(live, order.order_ref, ANNA)
    assert refused.status_code == 409
    assert TOLVAN in refused.json()["error"]
    assert live.client.collect(order.order_ref).status == "pending"
    assert approve(live, order.order_ref, TOLVAN).status_code == 200
    assert live.client.collect(order.order_ref).status == "complete"


def test_phone_order_is_confirmed_in_the_app(live: Live) -> None:
    order = live.client.phone_auth(personal_number=TOLVAN, call_initiator="RP")
    live.app("open", orderRef=order.order_ref)
    assert live.client.collect(order.order_ref).hint_code == "userCallConfirm"
    assert approve(live, order.order_ref, ANNA).status_code == 409
    approve(live, order.order_ref)
    assert live.client.collect(order.order_ref).status == "complete"


def test_phone_sign_needs_visible_data(live: Live) -> None:
    order = live.client.phone_sign(
        personal_number=TOLVAN, call_initiator="user", user_visible_data="Text"
    )
    assert live.client.collect(order.order_ref).status == "pending"


def test_collect_waits_2_s_per_order_and_orders_do_not_share_a_slot(
    live: Live, clock: FakeClock
) -> None:
    one = live.client.start_auth(end_user_ip="192.0.2.10")
    two = live.client.start_auth(end_user_ip="192.0.2.11")
    live.client.collect(one.order_ref)
    live.client.collect(two.order_ref)
    assert clock.sleeps == []
    clock.advance(0.5)
    live.client.collect(one.order_ref)
    assert clock.sleeps == [1.5]
    clock.advance(10)
    live.client.collect(one.order_ref)
    assert clock.sleeps == [1.5]


def test_personal_number_twice_must_agree() -> None:
    client = BankIDClient("http://127.0.0.1:9/", client_cert=None, ca_cert=True)
    with client, pytest.raises(ValueError, match="disagree"):
        client.start_auth(
            end_user_ip="192.0.2.10",
            personal_number=TOLVAN,
            requirement=Requirement(personal_number=ANNA),
        )


class Scripted:
    """A WSGI app that records each request and answers with the next scripted answer."""

    def __init__(self, *answers: tuple[int, Any]) -> None:
        self.answers = list(answers)
        self.requests: list[tuple[str, Any]] = []

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        self.requests.append((request.path, json.loads(request.get_data())))
        status, body = self.answers.pop(0)
        text = body if isinstance(body, str) else json.dumps(body)
        return Response(text, status=status, mimetype="application/json")(environ, start_response)


def scripted_client(serve: Serve, app: Scripted) -> BankIDClient:
    return BankIDClient(f"{serve(app)}/rp/v6.0", client_cert=None, ca_cert=True, timeout=5)


def test_every_v6_request_field_is_sent(serve: Serve) -> None:
    start = {"orderRef": "o", "autoStartToken": "a", "qrStartToken": "q", "qrStartSecret": "s"}
    app = Scripted((200, start), (200, start), (200, {"orderRef": "p"}), (200, {}))
    with scripted_client(serve, app) as client:
        client.start_auth(
            end_user_ip="192.0.2.10",
            user_visible_data="Logga in på Intyga",
            user_visible_data_format="simpleMarkdownV1",
            user_non_visible_data=b"\x00\x01",
            requirement=Requirement(
                pin_code=True,
                mrtd=False,
                card_reader="class2",
                certificate_policies=("1.2.752.78.1.5",),
            ),
            personal_number=TOLVAN,
            return_url="https://intyga.example/tillbaka",
            return_risk=True,
            web=WebContext(
                device_identifier="d", referring_domain="intyga.example", user_agent="UA"
            ),
        )
        client.start_sign(end_user_ip="192.0.2.10", user_visible_data="Å")
        client.phone_sign(personal_number=TOLVAN, call_initiator="RP", user_visible_data="Å")
        client.cancel("o")
    assert app.requests == [
        (
            "/rp/v6.0/auth",
            {
                "endUserIp": "192.0.2.10",
                "userVisibleData": base64.b64encode("Logga in på Intyga".encode()).decode(),
                "userVisibleDataFormat": "simpleMarkdownV1",
                "userNonVisibleData": "AAE=",
                "requirement": {
                    "pinCode": True,
                    "mrtd": False,
                    "cardReader": "class2",
                    "certificatePolicies": ["1.2.752.78.1.5"],
                    "personalNumber": TOLVAN,
                },
                "returnUrl": "https://intyga.example/tillbaka",
                "returnRisk": True,
                "web": {
                    "deviceIdentifier": "d",
                    "referringDomain": "intyga.example",
                    "userAgent": "UA",
                },
            },
        ),
        ("/rp/v6.0/sign", {"endUserIp": "192.0.2.10", "userVisibleData": "w4U="}),
        (
            "/rp/v6.0/phone/sign",
            {"personalNumber": TOLVAN, "callInitiator": "RP", "userVisibleData": "w4U="},
        ),
        ("/rp/v6.0/cancel", {"orderRef": "o"}),
    ]


@pytest.mark.parametrize(
    ("status", "code", "error_type"),
    [
        (400, "alreadyInProgress", AlreadyInProgress),
        (400, "invalidParameters", InvalidParameters),
        (401, "unauthorized", Unauthorized),
        (404, "notFound", NotFound),
        (408, "requestTimeout", RequestTimeout),
        (429, "tooManyRequests", TooManyRequests),
        (500, "internalError", InternalError),
        (503, "Maintenance", Maintenance),
        (400, "somethingNew", UnknownError),
    ],
)
def test_error_answers_become_typed_errors(
    serve: Serve, status: int, code: str, error_type: type[EidError]
) -> None:
    app = Scripted((status, {"errorCode": code, "details": "Some details"}))
    with scripted_client(serve, app) as client, pytest.raises(error_type) as raised:
        client.collect("o")
    assert (raised.value.http_status, raised.value.details) == (status, "Some details")
    assert raised.value.error_code.lower() == code.lower()


@pytest.mark.parametrize(
    ("answer", "received_code"),
    [
        ((502, "<html>Bad gateway</html>"), "http502"),
        ((200, "not json"), "invalidResponse"),
        ((200, ["a", "list"]), "invalidResponse"),
        ((200, {"orderRef": "o", "status": "paused"}), "invalidResponse"),
        ((200, {"orderRef": "o", "status": "complete", "completionData": {}}), "invalidResponse"),
    ],
)
def test_answers_we_cannot_understand_are_unknown_errors(
    serve: Serve, answer: tuple[int, Any], received_code: str
) -> None:
    with scripted_client(serve, Scripted(answer)) as client, pytest.raises(UnknownError) as raised:
        client.collect("o")
    assert raised.value.error_code == received_code


def test_a_start_answer_without_tokens_is_an_unknown_error(serve: Serve) -> None:
    client = scripted_client(serve, Scripted((200, {"orderRef": "o"})))
    with client, pytest.raises(UnknownError):
        client.start_auth(end_user_ip="192.0.2.10")


def test_server_down_is_a_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = BankIDClient(f"http://127.0.0.1:{port}/rp/v6.0/", client_cert=None, ca_cert=True)
    with client, pytest.raises(TransportError, match="BankID svarar inte"):
        client.start_auth(end_user_ip="192.0.2.10")


def test_a_slow_server_times_out_as_a_transport_error(serve: Serve) -> None:
    release = threading.Event()

    def slow(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        release.wait(5)
        return Response("{}", mimetype="application/json")(environ, start_response)

    client = BankIDClient(f"{serve(slow)}/rp/v6.0/", client_cert=None, ca_cert=True, timeout=0.2)
    try:
        with client, pytest.raises(TransportError, match=r"inget svar inom 0\.2 s"):
            client.collect("o")
    finally:
        release.set()


def test_the_client_is_an_eid_provider() -> None:
    with BankIDClient(TEST_URL, client_cert=None, ca_cert=True) as client:
        provider: EidProvider = client  # mypy checks the signatures against the Protocol
        assert callable(provider.collect)
