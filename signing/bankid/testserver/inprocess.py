"""The test server as an `EidProvider` in this process: no HTTP, the same orders and signatures.

Demo data and test factories need signatures that verify, but nobody to play the user's app and
no server to call. This runs the test server's own order store and completer directly: requests
are built and checked exactly as over the wire (`signing.bankid.wire`, `validation`), collect
answers are parsed by the client's parser, and `approve` plays the app. So an order signed here is
indistinguishable from one signed through `/bankid-test/`: same CA, same XML-DSig, same OCSP.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from signing.bankid.testserver.ca import CertificateAuthority
from signing.bankid.testserver.completion import (
    DEFAULT_SERVICE_DISPLAY_NAME,
    DEFAULT_SERVICE_NAME,
    Completer,
)
from signing.bankid.testserver.orders import ApiError, Approval, OrderStore
from signing.bankid.testserver.validation import parse_order
from signing.bankid.wire import Requirement, order_body, parse_collect, with_personal_number
from signing.eid import CollectResult, EidError, OrderStart, error_for_code


class InProcessBankID:
    """An `EidProvider` backed by the test server's CA; `approve` is the user's app."""

    def __init__(
        self,
        ca: CertificateAuthority,
        *,
        service_name: str = DEFAULT_SERVICE_NAME,
        service_display_name: str = DEFAULT_SERVICE_DISPLAY_NAME,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = OrderStore(
            clock=clock,
            start_timeout=30.0,
            order_lifetime=180.0,
            complete=Completer(
                ca, service_name=service_name, service_display_name=service_display_name
            ),
        )

    def start_auth(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str | None = None,
        user_non_visible_data: bytes | None = None,
        personal_number: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
    ) -> OrderStart:
        return self._start(
            "auth",
            end_user_ip=end_user_ip,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            personal_number=personal_number,
            user_visible_data_format=user_visible_data_format,
        )

    def start_sign(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str,
        user_non_visible_data: bytes | None = None,
        personal_number: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
    ) -> OrderStart:
        return self._start(
            "sign",
            end_user_ip=end_user_ip,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            personal_number=personal_number,
            user_visible_data_format=user_visible_data_format,
        )

    def collect(self, order_ref: str) -> CollectResult:
        try:
            return parse_collect(self._store.collect(order_ref))
        except ApiError as error:
            raise _eid_error(error) from error

    def cancel(self, order_ref: str) -> None:
        try:
            self._store.cancel(order_ref)
        except ApiError as error:
            raise _eid_error(error) from error

    def approve(
        self,
        order_ref: str,
        personal_number: str,
        *,
        given_name: str | None = None,
        surname: str | None = None,
        ip_address: str = "127.0.0.1",
    ) -> None:
        """The user opens the order in the app and approves it: it completes with a signature.
        Raises `orders.AppError` when the app would refuse (another person, an ended order)."""
        self._store.open(order_ref)
        self._store.approve(
            order_ref, Approval(personal_number, given_name, surname, ip_address=ip_address)
        )

    def _start(
        self,
        kind: Literal["auth", "sign"],
        *,
        end_user_ip: str,
        user_visible_data: str | None,
        user_non_visible_data: bytes | None,
        personal_number: str | None,
        user_visible_data_format: str | None,
    ) -> OrderStart:
        requirement: Requirement | None = with_personal_number(None, personal_number)
        body = order_body(
            end_user_ip=end_user_ip,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            user_visible_data_format=user_visible_data_format,
            requirement=requirement,
            return_url=None,
            return_risk=None,
            web=None,
        )
        try:
            order = parse_order(body, kind, phone=False, now=self._store.now())
            self._store.start(order)
        except ApiError as error:
            raise _eid_error(error) from error
        return OrderStart(
            order_ref=order.order_ref,
            auto_start_token=order.auto_start_token,
            qr_start_token=order.qr_start_token,
            qr_start_secret=order.qr_start_secret,
            started_at=datetime.fromtimestamp(order.started_at, UTC),
        )


def _eid_error(error: ApiError) -> EidError:
    return error_for_code(error.code, error.details, http_status=error.status)
