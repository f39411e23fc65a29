"""The one small interface Intyga uses to talk to an eID provider (BankID first, Freja eID next).

Views and services depend on `EidProvider` and these value types only, so a provider can be swapped
(or replaced by the BankID test server) without touching the callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol

CollectStatus = Literal["pending", "failed", "complete"]


@dataclass(frozen=True)
class OrderStart:
    """What the provider answers when an order starts; the secret stays on the server (QR codes)."""

    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str
    started_at: datetime


@dataclass(frozen=True)
class User:
    personal_number: str
    name: str
    given_name: str
    surname: str


@dataclass(frozen=True)
class Device:
    ip_address: str
    uhi: str | None


@dataclass(frozen=True)
class StepUp:
    mrtd: bool


@dataclass(frozen=True)
class CompletionData:
    """The provider's evidence of a completed order; `signature` and `ocsp_response` are base64."""

    user: User
    device: Device
    bankid_issue_date: str
    step_up: StepUp | None
    signature: str
    ocsp_response: str
    risk: str | None


@dataclass(frozen=True)
class CollectResult:
    """One collect answer. `raw` is the JSON exactly as received, kept as evidence."""

    order_ref: str
    status: CollectStatus
    hint_code: str | None
    completion: CompletionData | None
    raw: dict[str, Any]


class EidProvider(Protocol):
    """Start an identification or a signature, follow it, and cancel it."""

    def start_auth(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str | None = None,
        user_non_visible_data: bytes | None = None,
        personal_number: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
    ) -> OrderStart: ...

    def start_sign(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str,
        user_non_visible_data: bytes | None = None,
        personal_number: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
    ) -> OrderStart: ...

    def collect(self, order_ref: str) -> CollectResult: ...

    def cancel(self, order_ref: str) -> None: ...


class EidError(Exception):
    """An error answer from the provider: `error_code` is its errorCode, `details` its text.

    `details` is for logs only: users are shown the recommended message for `error_code`.
    """

    code: ClassVar[str] = ""

    def __init__(self, details: str = "", *, http_status: int | None = None) -> None:
        super().__init__(f"{self.error_code}: {details}" if details else self.error_code)
        self.details = details
        self.http_status = http_status

    @property
    def error_code(self) -> str:
        return self.code


class AlreadyInProgress(EidError):  # noqa: N818 - named after its errorCode
    code = "alreadyInProgress"


class InvalidParameters(EidError):  # noqa: N818 - named after its errorCode
    code = "invalidParameters"


class Unauthorized(EidError):  # noqa: N818 - named after its errorCode
    code = "unauthorized"


class NotFound(EidError):  # noqa: N818 - named after its errorCode
    code = "notFound"


class RequestTimeout(EidError):  # noqa: N818 - named after its errorCode
    code = "requestTimeout"


class TooManyRequests(EidError):  # noqa: N818 - named after its errorCode
    code = "tooManyRequests"


class InternalError(EidError):
    code = "internalError"


class Maintenance(EidError):  # noqa: N818 - named after its errorCode
    code = "maintenance"


class UnknownError(EidError):
    """An errorCode we do not know (codes get added), or an answer we could not understand."""

    code = "unknown"

    def __init__(
        self, details: str = "", *, received_code: str = "unknown", http_status: int | None = None
    ) -> None:
        self.received_code = received_code
        super().__init__(details, http_status=http_status)

    @property
    def error_code(self) -> str:
        return self.received_code


class TransportError(EidError):
    """The provider could not be reached or did not answer in time: the order's fate is unknown."""

    code = "transport"


_ERRORS_BY_CODE: dict[str, type[EidError]] = {
    cls.code.lower(): cls
    for cls in (
        AlreadyInProgress,
        InvalidParameters,
        Unauthorized,
        NotFound,
        RequestTimeout,
        TooManyRequests,
        InternalError,
        Maintenance,
    )
}


def error_for_code(code: str, details: str = "", *, http_status: int | None = None) -> EidError:
    """The typed error for an errorCode, matched case-insensitively (BankID sends `Maintenance`)."""
    cls = _ERRORS_BY_CODE.get(code.lower())
    if cls is None:
        return UnknownError(details, received_code=code, http_status=http_status)
    return cls(details, http_status=http_status)
