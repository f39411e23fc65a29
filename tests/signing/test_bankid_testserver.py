"""The test server through its WSGI interface: timing, validation, the app pages, its CA."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client
from werkzeug.wrappers import Response

from signing.bankid.qr import qr_data
from signing.bankid.testserver import RESERVED, BankIDTestServer, create_test_server
from signing.bankid.testserver import __main__ as runner
from signing.bankid.testserver.ca import CertificateAuthority
from signing.bankid.testserver.people import is_valid_personal_number, name_for, split_name
from tests.signing.conftest import FakeClock, json_of

TOLVAN = "191212121212"


def start(wsgi: Client, kind: str = "auth", **body: Any) -> dict[str, Any]:
    answer = wsgi.post(f"/rp/v6.0/{kind}", json={"endUserIp": "192.0.2.1", **body})
    assert answer.status_code == 200, json_of(answer)
    return json_of(answer)


def collect(wsgi: Client, order_ref: str) -> dict[str, Any]:
    return json_of(wsgi.post("/rp/v6.0/collect", json={"orderRef": order_ref}))


def approve(wsgi: Client, order_ref: str, personal_number: str = TOLVAN, **extra: Any) -> Any:
    body = {"orderRef": order_ref, "personalNumber": personal_number, "action": "approve"}
    return wsgi.post("/app/complete", json=body | extra)


def test_orders_answer_with_four_distinct_tokens(wsgi: Client) -> None:
    order = start(wsgi)
    assert set(order) == {"orderRef", "autoStartToken", "qrStartToken", "qrStartSecret"}
    assert len(set(order.values())) == 4


def test_start_failed_at_30_s_then_forgotten_after_5_minutes(
    wsgi: Client, clock: FakeClock
) -> None:
    order_ref = start(wsgi)["orderRef"]
    clock.advance(29.9)
    assert collect(wsgi, order_ref)["hintCode"] == "outstandingTransaction"
    clock.advance(0.1)
    assert collect(wsgi, order_ref) == {
        "orderRef": order_ref,
        "status": "failed",
        "hintCode": "startFailed",
    }
    clock.advance(300)
    assert collect(wsgi, order_ref)["status"] == "failed"
    clock.advance(1)
    answer = wsgi.post("/rp/v6.0/collect", json={"orderRef": order_ref})
    assert (answer.status_code, json_of(answer)["errorCode"]) == (400, "invalidParameters")


def test_completed_orders_can_be_collected_for_3_minutes(wsgi: Client, clock: FakeClock) -> None:
    order_ref = start(wsgi)["orderRef"]
    approve(wsgi, order_ref)
    clock.advance(180)
    assert collect(wsgi, order_ref)["status"] == "complete"
    clock.advance(1)
    assert collect(wsgi, order_ref)["errorCode"] == "invalidParameters"


def test_a_started_app_keeps_the_order_until_its_lifetime(wsgi: Client, clock: FakeClock) -> None:
    order_ref = start(wsgi)["orderRef"]
    wsgi.post("/app/open", json={"orderRef": order_ref})
    clock.advance(100)
    assert collect(wsgi, order_ref)["hintCode"] == "userSign"
    clock.advance(80)
    assert collect(wsgi, order_ref)["hintCode"] == "expiredTransaction"
    assert approve(wsgi, order_ref).status_code == 409


def test_the_timings_are_configurable(ca_dir: Path, clock: FakeClock) -> None:
    wsgi = Client(create_test_server(ca_dir, start_timeout=5, order_lifetime=10, clock=clock.time))
    order_ref = start(wsgi)["orderRef"]
    clock.advance(5)
    assert collect(wsgi, order_ref)["hintCode"] == "startFailed"


def test_qr_codes_must_be_genuine_and_current(wsgi: Client, clock: FakeClock) -> None:
    order = start(wsgi)
    token, secret = order["qrStartToken"], order["qrStartSecret"]
    future = wsgi.post("/app/open", json={"qrData": qr_data(token, secret, 10)})
    assert future.status_code == 404
    forged = wsgi.post("/app/open", json={"qrData": qr_data(token, "wrong secret", 0)})
    assert forged.status_code == 404
    clock.advance(3)
    assert wsgi.post("/app/open", json={"qrData": qr_data(token, secret, 3)}).status_code == 200


def test_the_app_refuses_unclear_requests(wsgi: Client) -> None:
    order_ref = start(wsgi)["orderRef"]
    cases = [
        ({"orderRef": order_ref, "personalNumber": TOLVAN}, 400, "action"),
        ({"orderRef": order_ref, "action": "approve"}, 400, "personnummer"),
        ({"orderRef": order_ref, "action": "approve", "personalNumber": "191212121213"}, 400, ""),
        (
            {"orderRef": order_ref, "action": "approve", "personalNumber": TOLVAN, "name": "Cher"},
            400,
            "efternamn",
        ),
        ({"orderRef": 42, "action": "cancel"}, 400, "text"),
        ({"action": "cancel"}, 400, "orderRef"),
        ({"orderRef": "unknown", "action": "cancel"}, 404, "Ingen order"),
    ]
    for body, status, message in cases:
        answer = wsgi.post("/app/complete", json=body)
        assert answer.status_code == status, body
        assert message in json_of(answer)["error"]
    assert collect(wsgi, order_ref)["status"] == "pending"


@pytest.mark.parametrize(
    ("path", "body", "details"),
    [
        ("auth", {}, "Missing endUserIp"),
        ("auth", {"endUserIp": "localhost"}, "Invalid endUserIp"),
        ("sign", {"endUserIp": "192.0.2.1"}, "Missing userVisibleData"),
        ("sign", {"endUserIp": "192.0.2.1", "userVisibleData": "not base64!"}, "not base64"),
        ("sign", {"endUserIp": "192.0.2.1", "userVisibleData": "QQ==" * 10001}, "Invalid"),
        ("auth", {"endUserIp": "192.0.2.1", "userVisibleDataFormat": "simpleMarkdownV1"}, "Format"),
        ("auth", {"endUserIp": "192.0.2.1", "personalNumber": TOLVAN}, "Unknown parameter"),
        ("auth", {"endUserIp": "192.0.2.1", "requirement": {"pinCode": "yes"}}, "pinCode"),
        ("auth", {"endUserIp": "192.0.2.1", "requirement": {"cardReader": "x"}}, "cardReader"),
        ("auth", {"endUserIp": "192.0.2.1", "requirement": {"certificatePolicies": []}}, "Pol"),
        ("auth", {"endUserIp": "192.0.2.1", "requirement": {"personalNumber": "1"}}, "personal"),
        ("auth", {"endUserIp": "192.0.2.1", "requirement": {"age": 18}}, "requirement.age"),
        ("auth", {"endUserIp": "192.0.2.1", "web": {"userAgent": 5}}, "web.userAgent"),
        ("auth", {"endUserIp": "192.0.2.1", "web": {"colour": "red"}}, "web.colour"),
        ("auth", {"endUserIp": "192.0.2.1", "returnRisk": "yes"}, "returnRisk"),
        ("auth", [], "JSON object"),
        ("phone/auth", {"personalNumber": TOLVAN, "callInitiator": "bot"}, "callInitiator"),
        ("phone/auth", {"personalNumber": "x", "callInitiator": "RP"}, "personalNumber"),
        ("collect", {"orderRef": 1}, "orderRef"),
        ("cancel", {"orderRef": "a", "extra": 1}, "orderRef"),
    ],
)
def test_bad_bodies_are_invalid_parameters(
    wsgi: Client, path: str, body: object, details: str
) -> None:
    answer = wsgi.post(f"/rp/v6.0/{path}", json=body)
    assert answer.status_code == 400
    assert json_of(answer)["errorCode"] == "invalidParameters"
    assert details in json_of(answer)["details"]


def test_the_api_speaks_json_only(wsgi: Client) -> None:
    not_json = wsgi.post("/rp/v6.0/auth", data="endUserIp=1", content_type="text/plain")
    assert json_of(not_json) == {
        "errorCode": "invalidParameters",
        "details": "Content-Type must be application/json",
    }
    broken = wsgi.post("/rp/v6.0/auth", data="{", content_type="application/json")
    assert json_of(broken)["details"] == "Body is not valid JSON"
    huge = wsgi.post("/rp/v6.0/auth", data="x" * 2_000_000, content_type="application/json")
    assert huge.status_code == 413
    missing = wsgi.post("/rp/v6.0/payment", json={})
    assert (missing.status_code, json_of(missing)["errorCode"]) == (404, "notFound")
    wrong_method = wsgi.get("/rp/v6.0/auth")
    assert wrong_method.status_code == 405
    assert json_of(wrong_method)["errorCode"] == "invalidParameters"


def test_phone_orders_answer_with_an_order_ref_only(wsgi: Client) -> None:
    answer = wsgi.post(
        "/rp/v6.0/phone/sign",
        json={"personalNumber": TOLVAN, "callInitiator": "user", "userVisibleData": "VGV4dA=="},
    )
    assert set(json_of(answer)) == {"orderRef"}


@pytest.fixture
def mounted(server: BankIDTestServer) -> Client:
    """The server as the Flask app will mount it: under /bankid-test with DispatcherMiddleware."""
    outer = Response("the Flask app")
    return Client(DispatcherMiddleware(outer, {"/bankid-test": server}))


def test_the_app_pages_work_under_a_prefix(mounted: Client) -> None:
    visible = base64.b64encode(b"<b>Hej</b>").decode()
    order = json_of(
        mounted.post(
            "/bankid-test/rp/v6.0/sign", json={"endUserIp": "192.0.2.1", "userVisibleData": visible}
        )
    )
    listing = mounted.get("/bankid-test/app").text
    assert 'action="/bankid-test/app/open"' in listing
    assert order["orderRef"] in listing
    assert "&lt;b&gt;Hej&lt;/b&gt;" in listing

    opened = mounted.post("/bankid-test/app/open", data={"code": order["autoStartToken"]})
    assert opened.status_code == 200
    assert 'action="/bankid-test/app/complete"' in opened.text
    assert '<label for="personalNumber">' in opened.text
    assert ">Skriv under</button>" in opened.text

    done = mounted.post(
        "/bankid-test/app/complete",
        data={
            "orderRef": order["orderRef"],
            "personalNumber": "19121212-1212",
            "action": "approve",
        },
    )
    assert "Klart" in done.text
    answer = mounted.post("/bankid-test/rp/v6.0/collect", json={"orderRef": order["orderRef"]})
    assert json_of(answer)["status"] == "complete"
    assert mounted.get("/bankid-test/").text.count('href="/bankid-test/') >= 2
    assert mounted.get("/").text == "the Flask app"


def test_the_app_form_cancels_and_shows_errors(wsgi: Client) -> None:
    order = start(wsgi)
    refused = wsgi.post(
        "/app/complete",
        data={"orderRef": order["orderRef"], "personalNumber": "12", "action": "approve"},
    )
    assert refused.status_code == 400
    assert 'role="alert"' in refused.text
    cancelled = wsgi.post("/app/complete", data={"orderRef": order["orderRef"], "action": "cancel"})
    assert "Avbrutet" in cancelled.text
    assert collect(wsgi, order["orderRef"])["hintCode"] == "userCancel"
    assert "Inga väntande ordrar" in wsgi.get("/app").text


def test_a_reserved_number_fails_the_order_from_the_form(wsgi: Client) -> None:
    order_ref = start(wsgi)["orderRef"]
    failed = wsgi.post(
        "/app/complete",
        data={"orderRef": order_ref, "personalNumber": "190001010024", "action": "approve"},
    )
    assert "certificateErr" in failed.text
    assert "Misslyckades" in failed.text


def test_the_root_is_published_and_survives_restarts(
    ca_dir: Path, server: BankIDTestServer, wsgi: Client
) -> None:
    answer = wsgi.get("/ca.pem")
    assert x509.load_pem_x509_certificate(answer.data) == server.root_certificate
    again = create_test_server(ca_dir)
    assert again.root_certificate == server.root_certificate
    first = server.ca.user(TOLVAN, "Tolvan", "Tolvansson").certificate
    assert again.ca.user(TOLVAN, "Tolvan", "Tolvansson").certificate == first


def test_without_a_state_dir_the_ca_lives_in_memory(ca_dir: Path) -> None:
    assert CertificateAuthority(None).root != CertificateAuthority(ca_dir).root


def test_a_foreign_file_in_the_state_dir_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_bytes(b"")
    with pytest.raises(ValueError, match="not a test credential file"):
        CertificateAuthority(tmp_path)


def test_user_certificates_carry_the_personal_number_and_name(server: BankIDTestServer) -> None:
    subject = server.ca.user(TOLVAN, "Tolvan", "Tolvansson").certificate.subject
    assert subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)[0].value == TOLVAN
    assert subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "Tolvan Tolvansson"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (TOLVAN, True),
        ("199001011007", True),
        ("199001611004", True),  # coordination number: day 1 + 60
        ("199001611007", False),  # the same with the checksum of 199001011007
        ("199002301007", False),  # 30 February
        ("191212121213", False),
        ("19121212121", False),
        ("1912121212a2", False),
        ("191213321212", False),
        ("１９１２１２１２１２１２", False),
    ],
)
def test_personal_number_checks(number: str, valid: bool) -> None:
    assert is_valid_personal_number(number) is valid


def test_reserved_numbers_are_valid_and_unlikely() -> None:
    assert all(is_valid_personal_number(n) and n.startswith("19000101") for n in RESERVED)
    assert set(RESERVED.values()) == {
        "userCancel",
        "certificateErr",
        "startFailed",
        "expiredTransaction",
    }


def test_test_names_are_plausible_and_stable() -> None:
    assert name_for(TOLVAN) == ("Tolvan", "Tolvansson")
    assert name_for("199001011007") == name_for("199001011007")
    assert name_for("199001011007")[0] in {
        "Anna",
        "Maria",
        "Eva",
        "Karin",
        "Kristina",
        "Lena",
        "Sara",
        "Emma",
    }
    assert split_name(" Anna  Maria Svensson ") == ("Anna Maria", "Svensson")
    with pytest.raises(ValueError, match="surname"):
        split_name("Anna")


def test_the_runnable_module_serves_the_test_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[tuple[Any, ...]] = []
    monkeypatch.setattr(runner, "run_simple", lambda *args, **kwargs: served.append(args))
    runner.main(["--port", "5099", "--state-dir", str(tmp_path)])
    host, port, app = served[0]
    assert (host, port, isinstance(app, BankIDTestServer)) == ("127.0.0.1", 5099, True)
    assert (tmp_path / "ca.pem").is_file()
    assert "http://127.0.0.1:5099/rp/v6.0/" in capsys.readouterr().out


def test_an_expired_test_bankid_is_renewed(ca_dir: Path, tmp_path: Path, clock: FakeClock) -> None:
    (tmp_path / "ca.pem").write_bytes((ca_dir / "ca.pem").read_bytes())  # a private copy
    ca = CertificateAuthority(tmp_path, clock=clock.time)
    first = ca.user(TOLVAN, "Tolvan", "Tolvansson").certificate
    clock.advance(3 * 365 * 24 * 3600)
    renewed = CertificateAuthority(tmp_path, clock=clock.time).user(TOLVAN, "Tolvan", "Tolvansson")
    assert renewed.certificate.not_valid_after_utc > first.not_valid_after_utc
    assert ca.user(TOLVAN, "Tolvan", "Tolvansson").certificate != first


def test_a_person_keeps_the_name_on_their_test_bankid(ca_dir: Path) -> None:
    """Once issued (typed in the app, or ordered for a demo), the name sticks to the number."""
    ca = CertificateAuthority(ca_dir)
    assert ca.known_name("199003159820") is None
    ca.user("199003159820", "Eva", "Exempelsson")
    assert CertificateAuthority(ca_dir).known_name("199003159820") == ("Eva", "Exempelsson")
    assert ca.known_name("19900315982") is None
