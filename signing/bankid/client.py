"""A client for BankID's relying-party API v6.0: JSON over mutual TLS, errors mapped to types.

It implements `signing.eid.EidProvider`. Point `base_url` at BankID's production or test service,
or at our own test server (`signing.bankid.testserver`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import requests

from signing.bankid.wire import (
    PhoneOrderStart,
    Requirement,
    WebContext,
    WireError,
    order_body,
    parse_collect,
    parse_order_start,
    parse_phone_start,
    phone_body,
    with_personal_number,
)
from signing.eid import (
    CollectResult,
    EidError,
    OrderStart,
    TransportError,
    UnknownError,
    error_for_code,
)

T = TypeVar("T")

PRODUCTION_URL = "https://appapi2.bankid.com/rp/v6.0/"
TEST_URL = "https://appapi2.test.bankid.com/rp/v6.0/"

# BankID asks for collect every 2 s; faster polling gets an RP throttled.
COLLECT_INTERVAL = 2.0
# Throttle entries for orders nobody collects any more are dropped after this many seconds.
_THROTTLE_MEMORY = 600.0


class BankIDClient:
    """BankID RP API v6.0 over mutual TLS.

    `client_cert` is (certificate file, key file) of our RP certificate; `ca_cert` the path of the
    pinned BankID CA (True uses the system store, which is only right for a local test server).
    `clock` and `sleep` drive the collect throttle and are injectable for tests.
    """

    def __init__(
        self,
        base_url: str,
        *,
        client_cert: tuple[str, str] | None,
        ca_cert: str | bool,
        timeout: float = 10.0,
        collect_interval: float = COLLECT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._timeout = timeout
        self._collect_interval = collect_interval
        self._clock = clock
        self._sleep = sleep
        self._session = requests.Session()
        self._client_cert = client_cert
        self._ca_cert = ca_cert
        self._throttle_lock = threading.Lock()
        self._next_collect: dict[str, float] = {}

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> BankIDClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start_auth(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str | None = None,
        user_non_visible_data: bytes | None = None,
        personal_number: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
        requirement: Requirement | None = None,
        return_url: str | None = None,
        return_risk: bool | None = None,
        web: WebContext | None = None,
    ) -> OrderStart:
        """POST /auth. `user_visible_data` is plain text (sent base64), shown in the app."""
        body = order_body(
            end_user_ip=end_user_ip,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            user_visible_data_format=user_visible_data_format,
            requirement=with_personal_number(requirement, personal_number),
            return_url=return_url,
            return_risk=return_risk,
            web=web,
        )
        return self._start("auth", body)

    def start_sign(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str,
        user_non_visible_data: bytes | None = None,
        personal_number: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
        requirement: Requirement | None = None,
        return_url: str | None = None,
        return_risk: bool | None = None,
        web: WebContext | None = None,
    ) -> OrderStart:
        """POST /sign. The user signs `user_visible_data` (text) and `user_non_visible_data`."""
        body = order_body(
            end_user_ip=end_user_ip,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            user_visible_data_format=user_visible_data_format,
            requirement=with_personal_number(requirement, personal_number),
            return_url=return_url,
            return_risk=return_risk,
            web=web,
        )
        return self._start("sign", body)

    def phone_auth(
        self,
        *,
        personal_number: str,
        call_initiator: Literal["user", "RP"],
        user_visible_data: str | None = None,
        user_non_visible_data: bytes | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
        requirement: Requirement | None = None,
    ) -> PhoneOrderStart:
        """POST /phone/auth: identify someone we are talking to on the phone."""
        body = phone_body(
            personal_number=personal_number,
            call_initiator=call_initiator,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            user_visible_data_format=user_visible_data_format,
            requirement=requirement,
        )
        return self._start_phone("phone/auth", body)

    def phone_sign(
        self,
        *,
        personal_number: str,
        call_initiator: Literal["user", "RP"],
        user_visible_data: str,
        user_non_visible_data: bytes | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
        requirement: Requirement | None = None,
    ) -> PhoneOrderStart:
        """POST /phone/sign."""
        body = phone_body(
            personal_number=personal_number,
            call_initiator=call_initiator,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            user_visible_data_format=user_visible_data_format,
            requirement=requirement,
        )
        return self._start_phone("phone/sign", body)

    def collect(self, order_ref: str) -> CollectResult:
        """POST /collect, waiting first if this order was collected less than 2 s ago."""
        self._wait_for_collect_slot(order_ref)
        result = self._call("collect", {"orderRef": order_ref}, parse_collect)
        if result.status != "pending":
            with self._throttle_lock:
                self._next_collect.pop(order_ref, None)
        return result

    def cancel(self, order_ref: str) -> None:
        """POST /cancel; the order then fails with `cancelled`."""
        self._post("cancel", {"orderRef": order_ref})
        with self._throttle_lock:
            self._next_collect.pop(order_ref, None)

    def _start(self, endpoint: str, body: dict[str, Any]) -> OrderStart:
        started_at = datetime.now(UTC)
        return self._call(endpoint, body, lambda answer: parse_order_start(answer, started_at))

    def _start_phone(self, endpoint: str, body: dict[str, Any]) -> PhoneOrderStart:
        started_at = datetime.now(UTC)
        return self._call(endpoint, body, lambda answer: parse_phone_start(answer, started_at))

    def _call(self, endpoint: str, body: dict[str, Any], parse: Callable[[dict[str, Any]], T]) -> T:
        answer = self._post(endpoint, body)
        try:
            return parse(answer)
        except WireError as exc:
            raise UnknownError(
                f"unexpected {endpoint} answer: {exc!s}", received_code="invalidResponse"
            ) from exc

    def _wait_for_collect_slot(self, order_ref: str) -> None:
        # The slot is reserved under the lock before sleeping, so concurrent callers queue up.
        with self._throttle_lock:
            now = self._clock()
            for ref, slot in list(self._next_collect.items()):
                if now - slot > _THROTTLE_MEMORY:
                    del self._next_collect[ref]
            slot = max(now, self._next_collect.get(order_ref, now))
            self._next_collect[order_ref] = slot + self._collect_interval
        if slot > now:
            self._sleep(slot - now)

    def _post(self, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            # cert and verify per request: requests lets REQUESTS_CA_BUNDLE override a session's.
            response = self._session.post(
                self._base_url + endpoint,
                json=body,
                timeout=self._timeout,
                cert=self._client_cert,
                verify=self._ca_cert,
            )
        except requests.Timeout as exc:
            raise TransportError(f"BankID svarar inte (inget svar inom {self._timeout} s)") from exc
        except requests.RequestException as exc:
            raise TransportError(f"BankID svarar inte ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise _error_from_response(response)
        try:
            answer = response.json()
        except ValueError as exc:
            raise UnknownError(
                f"{endpoint} answered with something that is not JSON",
                received_code="invalidResponse",
                http_status=response.status_code,
            ) from exc
        if not isinstance(answer, dict):
            raise UnknownError(
                f"{endpoint} answered with JSON that is not an object",
                received_code="invalidResponse",
            )
        return answer


def _error_from_response(response: requests.Response) -> EidError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errorCode"), str):
        details = body.get("details")
        return error_for_code(
            body["errorCode"],
            details if isinstance(details, str) else "",
            http_status=response.status_code,
        )
    return UnknownError(
        f"HTTP {response.status_code} without an errorCode",
        received_code=f"http{response.status_code}",
        http_status=response.status_code,
    )
