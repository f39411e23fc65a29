"""The BankID pages shared by login and signing: the order page with its animated QR code,
its status for polling, cancelling and finishing. What finishing means is registered by the
capability that started the order (login, signing a certificate)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import segno
from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from app.eid import service
from app.eid.models import EidOrder
from app.eid.provider import TEST_SERVER_PATH, settings
from app.extensions import db
from app.i18n import current_locale
from app.people.models import Person

bp = Blueprint(
    "eid",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/eid",
)

Finisher = Callable[[EidOrder], Response]
_FINISHERS: dict[str, Finisher] = {}
_BROWSER_SECRET = "eid_browser_secret"  # noqa: S105 - a session key name, not a secret


def register_finisher(flow: str, finisher: Finisher) -> None:
    """What finishing an order of `flow` (its subject's "flow") does: log in, sign, approve."""
    _FINISHERS[flow] = finisher


def start_order(
    *,
    purpose: service.Purpose,
    visible_text: str,
    subject: Mapping[str, Any],
    document_digest: str | None = None,
    signer: Person | None = None,
) -> Response:
    """Start an order for this browser and show its page; provider errors become a page."""
    order = service.start(
        db.session,
        settings(),
        purpose=purpose,
        browser_secret=_browser_secret(),
        end_user_ip=request.remote_addr or "127.0.0.1",
        visible_text=visible_text,
        document_digest=document_digest,
        signer=signer,
        subject=subject,
        locale=current_locale(),
    )
    return redirect(url_for("eid.order_page", order_id=order.id))


@bp.get("/eid/<uuid:order_id>")
def order_page(order_id: uuid.UUID) -> str:
    order = _order(order_id)
    status = service.follow(db.session, settings(), order, locale=current_locale())
    return render_template(
        "eid/order.html",
        order=order,
        status=status,
        qr_svg=_qr_svg(status.qr),
        test_app=_test_app_url(),
    )


@bp.get("/eid/<uuid:order_id>/status")
def order_status(order_id: uuid.UUID) -> Response:
    order = _order(order_id)
    status = service.follow(db.session, settings(), order, locale=current_locale())
    return jsonify(
        status=status.status,
        message=status.message,
        hint_code=status.hint_code,
        qr=_qr_svg(status.qr),
    )


@bp.post("/eid/<uuid:order_id>/klar")
def finish(order_id: uuid.UUID) -> Response:
    order = service.take(db.session, _order(order_id))
    return _FINISHERS[order.subject["flow"]](order)


@bp.post("/eid/<uuid:order_id>/avbryt")
def cancel(order_id: uuid.UUID) -> Response:
    order = _order(order_id)
    service.cancel(db.session, settings(), order)
    return redirect(order.subject.get("back") or url_for("web.index"))


def _order(order_id: uuid.UUID) -> EidOrder:
    return service.get(db.session, order_id, browser_secret=_browser_secret())


def _browser_secret() -> str:
    """A random secret in this browser's session; orders are bound to its hash."""
    if _BROWSER_SECRET not in session:
        session[_BROWSER_SECRET] = secrets.token_urlsafe(32)
    return str(session[_BROWSER_SECRET])


def _qr_svg(data: str | None) -> str | None:
    if data is None:
        return None
    svg: str = segno.make(data, error="l").svg_inline(
        scale=5, border=2, title="BankID QR-kod", svgclass="eid-qr"
    )
    return svg


def _test_app_url() -> str | None:
    return f"{TEST_SERVER_PATH}/app" if current_app.config["BANKID_TEST_SERVER"] else None
