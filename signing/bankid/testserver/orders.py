"""Orders on the test server and their life: BankID's states, hint codes and timing, without HTTP.

pending/outstandingTransaction -> (the app opens it) pending/userSign -> complete, or failed with a
hint code. Time comes from an injectable clock, so tests can jump past the 30 s start window and the
3 minute lifetime. One lock guards the whole store: it is small, and correctness matters more.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from signing.bankid.qr import qr_auth_code
from signing.bankid.testserver.people import RESERVED, is_valid_personal_number

COMPLETED_RETENTION: Final = 180.0
FAILED_RETENTION: Final = 300.0


class ApiError(Exception):
    """An RP API error answer: HTTP status and BankID's {errorCode, details}."""

    def __init__(self, code: str, details: str, status: int = 400) -> None:
        super().__init__(f"{code}: {details}")
        self.code = code
        self.details = details
        self.status = status


class AppError(Exception):
    """The simulated app refuses an action; the message is shown to whoever plays the user."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Approval:
    personal_number: str
    given_name: str | None
    surname: str | None
    ip_address: str


@dataclass
class Order:
    """One order as the RP started it; `user_visible_data` etc. stay base64 as sent."""

    kind: Literal["auth", "sign"]
    end_user_ip: str | None
    user_visible_data: str | None
    user_visible_data_format: str | None
    user_non_visible_data: str | None
    requirement: dict[str, Any]
    return_risk: bool
    started_at: float
    phone_personal_number: str | None = None
    order_ref: str = field(default_factory=lambda: str(uuid.uuid4()))
    auto_start_token: str = field(default_factory=lambda: str(uuid.uuid4()))
    qr_start_token: str = field(default_factory=lambda: str(uuid.uuid4()))
    qr_start_secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: Literal["pending", "failed", "complete"] = "pending"
    hint_code: str | None = "outstandingTransaction"
    finished_at: float | None = None
    completion_data: dict[str, Any] | None = None

    @property
    def required_personal_number(self) -> str | None:
        number = self.phone_personal_number or self.requirement.get("personalNumber")
        return number if isinstance(number, str) else None

    def collect_answer(self) -> dict[str, Any]:
        if self.status == "complete":
            return {
                "orderRef": self.order_ref,
                "status": "complete",
                "completionData": self.completion_data,
            }
        return {"orderRef": self.order_ref, "status": self.status, "hintCode": self.hint_code}


CompleteOrder = Callable[[Order, Approval], dict[str, Any]]


class OrderStore:
    """All orders, in memory. `complete` makes the completionData (signature, OCSP) for an order."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        start_timeout: float,
        order_lifetime: float,
        complete: CompleteOrder,
    ) -> None:
        self._clock = clock
        self._start_timeout = start_timeout
        self._order_lifetime = order_lifetime
        self._complete = complete
        self._lock = threading.Lock()
        self._orders: dict[str, Order] = {}

    def now(self) -> float:
        return self._clock()

    def start(self, order: Order) -> None:
        """Add `order`; a second order for the same person ends both (alreadyInProgress)."""
        with self._lock:
            self._tidy()
            number = order.required_personal_number
            clash = [
                o
                for o in self._orders.values()
                if number and o.status == "pending" and o.required_personal_number == number
            ]
            for other in clash:
                self._fail(other, "cancelled")
            if clash:
                raise ApiError("alreadyInProgress", "Order already in progress for pno")
            self._orders[order.order_ref] = order

    def collect(self, order_ref: str) -> dict[str, Any]:
        with self._lock:
            return self._get(order_ref).collect_answer()

    def cancel(self, order_ref: str) -> None:
        with self._lock:
            order = self._get(order_ref)
            if order.status != "pending":
                raise ApiError("invalidParameters", "Order already completed or failed")
            self._fail(order, "cancelled")

    def pending(self) -> list[Order]:
        with self._lock:
            self._tidy()
            return sorted(
                (o for o in self._orders.values() if o.status == "pending"),
                key=lambda o: o.started_at,
            )

    def find(
        self,
        *,
        order_ref: str | None = None,
        auto_start_token: str | None = None,
        qr_data: str | None = None,
    ) -> Order:
        """The order the app was pointed at, by orderRef, autostart token or scanned QR data."""
        with self._lock:
            self._tidy()
            for order in self._orders.values():
                if (
                    (order_ref and order.order_ref == order_ref)
                    or (auto_start_token and order.auto_start_token == auto_start_token)
                    or (qr_data and self._qr_matches(order, qr_data))
                ):
                    return order
        raise AppError("Ingen order matchar koden (den kan ha gått ut).", status=404)

    def open(self, order_ref: str) -> Order:
        """The app has the order on screen: collect now says userSign (userCallConfirm by phone)."""
        with self._lock:
            order = self._pending_for_app(order_ref)
            if order.hint_code == "outstandingTransaction":
                order.hint_code = "userCallConfirm" if order.phone_personal_number else "userSign"
            return order

    def approve(self, order_ref: str, approval: Approval) -> Order:
        """The user identifies or signs. Reserved personal numbers fail the order instead."""
        number = approval.personal_number
        if not is_valid_personal_number(number):
            raise AppError("Ogiltigt personnummer: ange 12 siffror med rätt kontrollsiffra.")
        with self._lock:
            order = self._pending_for_app(order_ref)
            required = order.required_personal_number
            if required and required != number:
                raise AppError(
                    f"Ordern kräver personnummer {required}; {number} kan inte godkänna den.",
                    status=409,
                )
            if number in RESERVED:
                self._fail(order, RESERVED[number])
            else:
                order.completion_data = self._complete(order, approval)
                order.status = "complete"
                order.hint_code = None
                order.finished_at = self._clock()
            return order

    def decline(self, order_ref: str) -> Order:
        """The user presses Cancel in the app."""
        with self._lock:
            order = self._pending_for_app(order_ref)
            self._fail(order, "userCancel")
            return order

    def _get(self, order_ref: str) -> Order:
        self._tidy()
        order = self._orders.get(order_ref)
        if order is None:
            raise ApiError("invalidParameters", "No such order")
        return order

    def _pending_for_app(self, order_ref: str) -> Order:
        self._tidy()
        order = self._orders.get(order_ref)
        if order is None:
            raise AppError("Ordern finns inte (längre).", status=404)
        if order.status != "pending":
            raise AppError(
                f"Ordern är inte längre aktiv ({order.status}/{order.hint_code}).", status=409
            )
        return order

    def _qr_matches(self, order: Order, qr_data: str) -> bool:
        parts = qr_data.strip().split(".")
        if len(parts) != 4 or parts[0] != "bankid" or parts[1] != order.qr_start_token:
            return False
        if not parts[2].isdigit() or int(parts[2]) > self._clock() - order.started_at + 2:
            return False
        return parts[3] == qr_auth_code(order.qr_start_secret, int(parts[2]))

    def _fail(self, order: Order, hint_code: str, at: float | None = None) -> None:
        order.status = "failed"
        order.hint_code = hint_code
        order.finished_at = self._clock() if at is None else at

    def _tidy(self) -> None:
        """Apply the timeouts, then forget orders past their collect window."""
        now = self._clock()
        for order in list(self._orders.values()):
            if order.status == "pending":
                if (
                    order.hint_code == "outstandingTransaction"
                    and now >= order.started_at + self._start_timeout
                ):
                    self._fail(order, "startFailed", order.started_at + self._start_timeout)
                elif now >= order.started_at + self._order_lifetime:
                    self._fail(order, "expiredTransaction", order.started_at + self._order_lifetime)
            retention = COMPLETED_RETENTION if order.status == "complete" else FAILED_RETENTION
            if order.finished_at is not None and now > order.finished_at + retention:
                del self._orders[order.order_ref]
