"""Check RP API request bodies as strictly as BankID does, so client bugs show up in tests.

Unknown fields are refused too: a misspelt field would otherwise be silently ignored.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from typing import Any, Final, Literal

from signing.bankid.testserver.orders import ApiError, Order
from signing.bankid.testserver.people import is_valid_personal_number

MAX_VISIBLE_DATA: Final = 40_000
MAX_NON_VISIBLE_DATA: Final = 200_000

_COMMON: Final = {"userVisibleData", "userVisibleDataFormat", "userNonVisibleData", "requirement"}
_ORDER_FIELDS: Final = _COMMON | {"endUserIp", "returnUrl", "returnRisk", "web"}
_PHONE_FIELDS: Final = _COMMON | {"personalNumber", "callInitiator"}
_REQUIREMENT_FIELDS: Final = {
    "pinCode",
    "mrtd",
    "cardReader",
    "certificatePolicies",
    "personalNumber",
}
_WEB_FIELDS: Final = {"deviceIdentifier", "referringDomain", "userAgent"}


def parse_order(body: object, kind: Literal["auth", "sign"], *, phone: bool, now: float) -> Order:
    """An Order from an /auth, /sign, /phone/auth or /phone/sign body; else invalidParameters."""
    if not isinstance(body, dict):
        raise _invalid("Body must be a JSON object")
    _only(body, _PHONE_FIELDS if phone else _ORDER_FIELDS, "")
    visible = _base64(body, "userVisibleData", MAX_VISIBLE_DATA, required=kind == "sign")
    visible_format = body.get("userVisibleDataFormat")
    if visible_format is not None and (visible_format != "simpleMarkdownV1" or visible is None):
        raise _invalid("Invalid userVisibleDataFormat")
    order = Order(
        kind=kind,
        end_user_ip=None,
        user_visible_data=visible,
        user_visible_data_format=visible_format,
        user_non_visible_data=_base64(body, "userNonVisibleData", MAX_NON_VISIBLE_DATA),
        requirement=_requirement(body.get("requirement")),
        return_risk=False,
        started_at=now,
    )
    if phone:
        order.phone_personal_number = _personal_number(body.get("personalNumber"))
        if body.get("callInitiator") not in ("user", "RP"):
            raise _invalid("Invalid callInitiator")
        return order
    order.end_user_ip = _ip(body.get("endUserIp"))
    _optional(body, "returnUrl", str)
    order.return_risk = bool(_optional(body, "returnRisk", bool))
    web = body.get("web")
    if web is not None:
        if not isinstance(web, dict):
            raise _invalid("Invalid web")
        _only(web, _WEB_FIELDS, "web.")
        for name in web:
            _optional(web, name, str, prefix="web.")
    return order


def order_ref(body: object) -> str:
    """The orderRef of a /collect or /cancel body."""
    if (
        not isinstance(body, dict)
        or set(body) != {"orderRef"}
        or not isinstance(body["orderRef"], str)
    ):
        raise _invalid("Invalid orderRef")
    return body["orderRef"]


def _invalid(details: str) -> ApiError:
    return ApiError("invalidParameters", details)


def _only(body: dict[str, Any], allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise _invalid(f"Unknown parameter {prefix}{unknown[0]}")


def _optional(body: dict[str, Any], name: str, kind: type, *, prefix: str = "") -> Any:
    value = body.get(name)
    if value is not None and not isinstance(value, kind):
        raise _invalid(f"Invalid {prefix}{name}")
    return value


def _base64(body: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise _invalid(f"Missing {name}")
        return None
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise _invalid(f"Invalid {name}")
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid(f"Invalid {name}: not base64") from exc
    return value


def _ip(value: object) -> str:
    if not isinstance(value, str):
        raise _invalid("Missing endUserIp")
    try:
        ipaddress.ip_address(value)
    except ValueError as exc:
        raise _invalid("Invalid endUserIp") from exc
    return value


def _personal_number(value: object) -> str:
    if not isinstance(value, str) or not is_valid_personal_number(value):
        raise _invalid("Invalid personalNumber")
    return value


def _requirement(value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _invalid("Invalid requirement")
    _only(value, _REQUIREMENT_FIELDS, "requirement.")
    for name in ("pinCode", "mrtd"):
        _optional(value, name, bool, prefix="requirement.")
    if value.get("cardReader") not in (None, "class1", "class2"):
        raise _invalid("Invalid requirement.cardReader")
    policies = value.get("certificatePolicies")
    if policies is not None and (
        not isinstance(policies, list)
        or not policies
        or not all(isinstance(p, str) and p for p in policies)
    ):
        raise _invalid("Invalid requirement.certificatePolicies")
    if "personalNumber" in value:
        _personal_number(value["personalNumber"])
    return value
