"""The user's BankID app, played in a browser (/app) or by a script (the same URLs with JSON).

GET /app lists pending orders and takes pasted QR data or an autostart token; POST /app/open puts an
order "on the phone's screen" (collect then says userSign); POST /app/complete approves or cancels.
Plain HTML forms with Swedish labels: no JavaScript needed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from html import escape
from typing import Any

from werkzeug.wrappers import Request, Response

from signing.bankid.testserver.orders import AppError, Approval, Order, OrderStore
from signing.bankid.testserver.people import RESERVED, split_name
from signing.bankid.testserver.web import html_page, json_response

_KIND = {"auth": "Identifiering", "sign": "Underskrift"}
_APPROVE = {"auth": "Identifiera", "sign": "Skriv under"}


def app_page(store: OrderStore, request: Request) -> Response:
    root = escape(request.script_root)
    orders = store.pending()
    items = "".join(_order_item(order, store.now(), root) for order in orders)
    reserved = "".join(
        f"<tr><td>{number}</td><td>{hint}</td></tr>" for number, hint in RESERVED.items()
    )
    body = (
        f'<form method="post" action="{root}/app/open">'
        '<label for="code">QR-data eller autoStartToken</label>'
        '<input id="code" name="code" required autocomplete="off" aria-describedby="code-help">'
        '<p id="code-help">Klistra in texten i QR-koden (bankid.…) eller autostart-token.</p>'
        '<button type="submit">Öppna</button></form>'
        "<h2>Väntande ordrar</h2>"
        + (f"<ul>{items}</ul>" if items else "<p>Inga väntande ordrar.</p>")
        + "<h2>Reserverade personnummer</h2>"
        "<table><caption>Dessa nummer ger ett fel i stället för en underskrift.</caption>"
        f'<tr><th scope="col">Personnummer</th><th scope="col">Resultat</th></tr>{reserved}</table>'
    )
    return html_page(request, "BankID-testapp", body)


def app_open(store: OrderStore, request: Request) -> Response:
    try:
        order = store.open(_target(store, _input(request)).order_ref)
    except AppError as error:
        return _error(request, error)
    if request.is_json:
        return json_response(_summary(order))
    return html_page(request, _KIND[order.kind], _order_form(order, escape(request.script_root)))


def app_complete(store: OrderStore, request: Request) -> Response:
    data = _input(request)
    try:
        order = _target(store, data)
        action = data.get("action")
        if action == "cancel":
            order = store.decline(order.order_ref)
        elif action == "approve":
            order = store.approve(order.order_ref, _approval(data, request))
        else:
            raise AppError("action måste vara approve eller cancel.")
    except AppError as error:
        return _error(request, error)
    if request.is_json:
        return json_response(_summary(order))
    if order.status == "complete":
        title, message = "Klart", "Klart. Gå tillbaka till tjänsten."
    elif order.hint_code == "userCancel":
        title, message = "Avbrutet", "Du avbröt. Gå tillbaka till tjänsten."
    else:
        title, message = "Misslyckades", f"Ordern misslyckades ({order.hint_code})."
    return html_page(request, title, f'<p role="status">{escape(message)}</p>')


def _input(request: Request) -> Mapping[str, Any]:
    if request.is_json:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}
    return request.form


def _target(store: OrderStore, data: Mapping[str, Any]) -> Order:
    fields = {name: data.get(name) for name in ("qrData", "autoStartToken", "orderRef", "code")}
    if any(value is not None and not isinstance(value, str) for value in fields.values()):
        raise AppError("qrData, autoStartToken, orderRef och code ska vara text.")
    code = (fields["code"] or "").strip()
    if code.startswith("bankid."):
        return store.find(qr_data=code)
    if code:
        return store.find(auto_start_token=code, order_ref=code)
    if not any(fields.values()):
        raise AppError("Ange qrData, autoStartToken eller orderRef.")
    return store.find(
        qr_data=fields["qrData"],
        auto_start_token=fields["autoStartToken"],
        order_ref=fields["orderRef"],
    )


def _approval(data: Mapping[str, Any], request: Request) -> Approval:
    number, name = data.get("personalNumber"), data.get("name") or ""
    if not isinstance(number, str) or not isinstance(name, str) or not number.strip():
        raise AppError("Ange personnummer (12 siffror).")
    given_name = surname = None
    if name.strip():
        try:
            given_name, surname = split_name(name)
        except ValueError as exc:
            raise AppError("Ange både förnamn och efternamn, eller inget namn.") from exc
    return Approval(
        personal_number=number.replace("-", "").strip(),
        given_name=given_name,
        surname=surname,
        ip_address=request.remote_addr or "127.0.0.1",
    )


def _visible_text(order: Order) -> str | None:
    if order.user_visible_data is None:
        return None
    try:
        return base64.b64decode(order.user_visible_data).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None


def _summary(order: Order) -> dict[str, Any]:
    return {
        "orderRef": order.order_ref,
        "kind": order.kind,
        "status": order.status,
        "hintCode": order.hint_code,
        "requiredPersonalNumber": order.required_personal_number,
        "userVisibleData": _visible_text(order),
    }


def _order_item(order: Order, now: float, root: str) -> str:
    ref = escape(order.order_ref)
    text = _visible_text(order)
    excerpt = f": {escape(text[:80])}" if text else ""
    required = order.required_personal_number
    limit = f", endast för {required}" if required else ""
    return (
        f'<li><form method="post" action="{root}/app/open">'
        f'<input type="hidden" name="orderRef" value="{ref}">'
        f'<p id="order-{ref}"><strong>{_KIND[order.kind]}</strong>, startad för '
        f"{int(now - order.started_at)} s sedan{limit}{excerpt}</p>"
        f'<button type="submit" aria-describedby="order-{ref}">Öppna</button></form></li>'
    )


def _order_form(order: Order, root: str) -> str:
    text = _visible_text(order)
    required = order.required_personal_number or ""
    return (
        '<h2>Text från tjänsten</h2><div class="text">'
        f"{escape(text) if text else '(ingen text)'}</div>"
        f'<form method="post" action="{root}/app/complete">'
        f'<input type="hidden" name="orderRef" value="{escape(order.order_ref)}">'
        '<label for="personalNumber">Personnummer (12 siffror)</label>'
        '<input id="personalNumber" name="personalNumber" inputmode="numeric" autocomplete="off"'
        f' value="{escape(required)}" aria-describedby="pnr-help">'
        '<p id="pnr-help">Reserverade nummer ger fel; se listan på startsidan.</p>'
        '<label for="name">Namn (valfritt)</label>'
        '<input id="name" name="name" autocomplete="off" aria-describedby="name-help">'
        '<p id="name-help">Förnamn och efternamn. Tomt ger ett testnamn.</p>'
        f'<button type="submit" name="action" value="approve">{_APPROVE[order.kind]}</button>'
        '<button type="submit" name="action" value="cancel">Avbryt</button></form>'
    )


def _error(request: Request, error: AppError) -> Response:
    if request.is_json:
        return json_response({"error": error.message}, status=error.status)
    body = f'<p class="error" role="alert">{escape(error.message)}</p>'
    return html_page(request, "Det gick inte", body, status=error.status)
