"""The JSON shapes of BankID's RP API v6.0: request bodies we send and answers we read.

Parsers raise `WireError` for an answer that does not have the documented shape; the client turns
that into an `UnknownError`, since BankID's answer, not our call, was at fault.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from signing.eid import (
    CollectResult,
    CollectStatus,
    CompletionData,
    Device,
    OrderStart,
    StepUp,
    User,
)


class WireError(ValueError):
    """An answer without the fields, or types, that the API documents."""


@dataclass(frozen=True)
class Requirement:
    """`requirement` of /auth and /sign; None fields are left out of the request."""

    pin_code: bool | None = None
    mrtd: bool | None = None
    card_reader: Literal["class1", "class2"] | None = None
    certificate_policies: tuple[str, ...] | None = None
    personal_number: str | None = None

    def to_json(self) -> dict[str, Any]:
        fields = {
            "pinCode": self.pin_code,
            "mrtd": self.mrtd,
            "cardReader": self.card_reader,
            "certificatePolicies": (
                list(self.certificate_policies) if self.certificate_policies is not None else None
            ),
            "personalNumber": self.personal_number,
        }
        return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class WebContext:
    """`web`: what BankID uses to judge the risk of a browser order."""

    device_identifier: str | None = None
    referring_domain: str | None = None
    user_agent: str | None = None

    def to_json(self) -> dict[str, str]:
        fields = {
            "deviceIdentifier": self.device_identifier,
            "referringDomain": self.referring_domain,
            "userAgent": self.user_agent,
        }
        return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class PhoneOrderStart:
    """/phone/auth and /phone/sign answer with an orderRef only: no QR code, no autostart."""

    order_ref: str
    started_at: datetime


def encode_text(text: str) -> str:
    """userVisibleData as BankID wants it and signs it: base64 of the UTF-8 text."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def encode_bytes(data: bytes) -> str:
    """userNonVisibleData as sent and signed: base64."""
    return base64.b64encode(data).decode("ascii")


def order_body(
    *,
    end_user_ip: str,
    user_visible_data: str | None,
    user_non_visible_data: bytes | None,
    user_visible_data_format: str | None,
    requirement: Requirement | None,
    return_url: str | None,
    return_risk: bool | None,
    web: WebContext | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"endUserIp": end_user_ip}
    body.update(
        _data_fields(
            user_visible_data, user_non_visible_data, user_visible_data_format, requirement
        )
    )
    if return_url is not None:
        body["returnUrl"] = return_url
    if return_risk is not None:
        body["returnRisk"] = return_risk
    if web is not None:
        body["web"] = web.to_json()
    return body


def phone_body(
    *,
    personal_number: str,
    call_initiator: str,
    user_visible_data: str | None,
    user_non_visible_data: bytes | None,
    user_visible_data_format: str | None,
    requirement: Requirement | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"personalNumber": personal_number, "callInitiator": call_initiator}
    body.update(
        _data_fields(
            user_visible_data, user_non_visible_data, user_visible_data_format, requirement
        )
    )
    return body


def _data_fields(
    user_visible_data: str | None,
    user_non_visible_data: bytes | None,
    user_visible_data_format: str | None,
    requirement: Requirement | None,
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if user_visible_data is not None:
        fields["userVisibleData"] = encode_text(user_visible_data)
    if user_visible_data_format is not None:
        fields["userVisibleDataFormat"] = user_visible_data_format
    if user_non_visible_data is not None:
        fields["userNonVisibleData"] = encode_bytes(user_non_visible_data)
    if requirement is not None and requirement.to_json():
        fields["requirement"] = requirement.to_json()
    return fields


def with_personal_number(
    requirement: Requirement | None, personal_number: str | None
) -> Requirement | None:
    if personal_number is None:
        return requirement
    if requirement is None:
        return Requirement(personal_number=personal_number)
    if requirement.personal_number not in (None, personal_number):
        raise ValueError("personal_number and requirement.personal_number disagree")
    return replace(requirement, personal_number=personal_number)


def parse_order_start(answer: dict[str, Any], started_at: datetime) -> OrderStart:
    try:
        return OrderStart(
            order_ref=_string(answer, "orderRef"),
            auto_start_token=_string(answer, "autoStartToken"),
            qr_start_token=_string(answer, "qrStartToken"),
            qr_start_secret=_string(answer, "qrStartSecret"),
            started_at=started_at,
        )
    except (KeyError, TypeError) as exc:
        raise WireError(f"start answer: {exc!r}") from exc


def parse_phone_start(answer: dict[str, Any], started_at: datetime) -> PhoneOrderStart:
    try:
        return PhoneOrderStart(order_ref=_string(answer, "orderRef"), started_at=started_at)
    except (KeyError, TypeError) as exc:
        raise WireError(f"phone start answer: {exc!r}") from exc


def parse_collect(answer: dict[str, Any]) -> CollectResult:
    try:
        return _parse_collect(answer)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WireError(f"collect answer: {exc!r}") from exc


def _string(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is not a string")
    return value


def _optional_string(data: dict[str, Any], key: str) -> str | None:
    return _string(data, key) if data.get(key) is not None else None


def _parse_collect(answer: dict[str, Any]) -> CollectResult:
    status = _status(_string(answer, "status"))
    completion = None
    if status == "complete":
        completion = _parse_completion(answer["completionData"])
    return CollectResult(
        order_ref=_string(answer, "orderRef"),
        status=status,
        hint_code=_optional_string(answer, "hintCode"),
        completion=completion,
        raw=answer,
    )


def _status(value: str) -> CollectStatus:
    if value == "pending":
        return "pending"
    if value == "failed":
        return "failed"
    if value == "complete":
        return "complete"
    raise ValueError(f"unknown status {value!r}")


def _parse_completion(data: dict[str, Any]) -> CompletionData:
    user = data["user"]
    device = data.get("device") or {}
    step_up = data.get("stepUp")
    return CompletionData(
        user=User(
            personal_number=_string(user, "personalNumber"),
            name=_string(user, "name"),
            given_name=_string(user, "givenName"),
            surname=_string(user, "surname"),
        ),
        device=Device(ip_address=_string(device, "ipAddress"), uhi=_optional_string(device, "uhi")),
        bankid_issue_date=_string(data, "bankIdIssueDate"),
        step_up=StepUp(mrtd=bool(step_up.get("mrtd"))) if isinstance(step_up, dict) else None,
        signature=_string(data, "signature"),
        ocsp_response=_string(data, "ocspResponse"),
        risk=_optional_string(data, "risk"),
    )
