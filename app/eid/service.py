"""Orders with an eID provider, independent of HTTP: start, follow, cancel and take the result.

An order belongs to the browser that started it (a hash of a secret kept in that browser's
session); anyone else asking about it gets NotFound. A completed order is taken once: a replayed
orderRef is a Conflict. What BankID returns is verified completely (XML signature, chain to the
configured root, OCSP, and that it signed exactly what we sent) before anyone is logged in or any
signature is accepted.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import delete_where, utcnow
from app.eid.models import EidOrder
from app.errors import Conflict, DomainError, NotFound
from app.people import service as people
from app.people.models import Person
from signing.bankid.messages import error_message, user_message
from signing.bankid.pki import CLOCK_SKEW
from signing.bankid.qr import qr_data, qr_time_at
from signing.bankid.verify import VerificationResult, verify_signature
from signing.eid import CollectResult, EidError, EidProvider, InvalidParameters, TransportError

Purpose = Literal["login", "sign"]
# BankID forgets an order within minutes; we keep ours a day for support questions.
ORDER_RETENTION = timedelta(days=1)
FUNC_ID: Mapping[str, Literal["Identification", "Signing"]] = {
    "login": "Identification",
    "sign": "Signing",
}


UNAVAILABLE = frozenset({"transport", "maintenance", "internalError", "requestTimeout"})


class EidFailed(DomainError):  # noqa: N818 - a domain error like the others
    """The provider refused or could not be reached; `message` is BankID's text for the user."""

    code = "eid_failed"

    def __init__(self, message: str, error_code: str) -> None:
        super().__init__(error_code=error_code)
        self.message = message
        self.unavailable = error_code in UNAVAILABLE


@dataclass(frozen=True)
class EidSettings:
    provider: EidProvider
    trusted_roots: Sequence[x509.Certificate]
    service_name: str | None = None
    collect_interval: timedelta = timedelta(seconds=2)


@dataclass(frozen=True)
class OrderStatus:
    status: str
    message: str
    qr: str | None = None
    hint_code: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def browser_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(
    session: Session,
    settings: EidSettings,
    *,
    purpose: Purpose,
    browser_secret: str,
    end_user_ip: str,
    visible_text: str | None = None,
    document_digest: str | None = None,
    signer: Person | None = None,
    subject: Mapping[str, Any] | None = None,
    locale: str = "sv",
    now: datetime | None = None,
) -> EidOrder:
    """Start an identification or a signature; a signer, when given, is the only one who can."""
    pnr = signer.personnummer if signer else None
    non_visible = document_digest.encode("ascii") if document_digest else None
    try:
        if purpose == "sign":
            started = settings.provider.start_sign(
                end_user_ip=end_user_ip,
                user_visible_data=visible_text or "",
                user_non_visible_data=non_visible,
                personal_number=pnr,
                user_visible_data_format="simpleMarkdownV1",
            )
        else:
            started = settings.provider.start_auth(
                end_user_ip=end_user_ip,
                user_visible_data=visible_text,
                user_non_visible_data=non_visible,
                personal_number=pnr,
            )
    except EidError as exc:
        raise EidFailed(error_message(exc.error_code, locale=locale), exc.error_code) from exc
    order = EidOrder(
        order_ref=started.order_ref,
        purpose=purpose,
        browser_key=browser_key(browser_secret),
        qr_start_token=started.qr_start_token,
        qr_start_secret=started.qr_start_secret,
        auto_start_token=started.auto_start_token,
        started_at=now or utcnow(),
        visible_data=visible_text,
        document_digest=document_digest,
        signer_id=signer.id if signer else None,
        subject=dict(subject or {}),
    )
    session.add(order)
    session.flush()
    return order


def get(session: Session, order_id: uuid.UUID, *, browser_secret: str) -> EidOrder:
    """The order, if this browser started it; everyone else is told it does not exist."""
    order = session.scalar(
        select(EidOrder).where(
            EidOrder.id == order_id, EidOrder.browser_key == browser_key(browser_secret)
        )
    )
    if order is None:
        raise NotFound("eid_order_not_found")
    return order


def follow(
    session: Session,
    settings: EidSettings,
    order: EidOrder,
    *,
    locale: str = "sv",
    now: datetime | None = None,
) -> OrderStatus:
    """Collect from the provider (at most once per interval) and say what the user should see."""
    now = now or utcnow()
    due = (
        order.last_collected_at is None
        or now - order.last_collected_at >= settings.collect_interval
    )
    if order.status == "pending" and due:
        order.last_collected_at = now
        try:
            _record(session, settings, order, settings.provider.collect(order.order_ref), now)
        except TransportError:
            session.flush()
            return OrderStatus(
                "pending", error_message("transport", locale=locale), _qr(order, now)
            )
        except InvalidParameters:
            _fail(order, "expiredTransaction", now)
        except EidError as exc:
            _fail(order, exc.error_code, now)
        session.flush()
    if order.status == "complete":
        return OrderStatus("complete", "", hint_code=None)
    if order.status == "failed":
        message = (
            error_message("internalError", locale=locale)
            if order.hint_code == "verificationFailed"
            else user_message("failed", order.hint_code, qr_shown=True, locale=locale)
        )
        return OrderStatus("failed", message, hint_code=order.hint_code)
    message = user_message("pending", order.hint_code, qr_shown=True, locale=locale)
    return OrderStatus("pending", message, _qr(order, now), order.hint_code)


def cancel(session: Session, settings: EidSettings, order: EidOrder) -> None:
    if order.status != "pending":
        return
    with contextlib.suppress(EidError):  # the order ends either way; BankID forgets it in time
        settings.provider.cancel(order.order_ref)
    _fail(order, "cancelled", utcnow())
    session.flush()


def take(session: Session, order: EidOrder, *, now: datetime | None = None) -> EidOrder:
    """Use a completed order's result, once."""
    if order.consumed_at is not None:
        raise Conflict("eid_order_used")
    if order.status != "complete":
        raise DomainError("eid_order_not_complete")
    order.consumed_at = now or utcnow()
    session.flush()
    return order


def purge(
    session: Session, *, older_than: timedelta = ORDER_RETENTION, now: datetime | None = None
) -> int:
    """Delete orders started before `older_than`: what a signature needs was copied into its
    evidence when it was taken, and a login needs nothing afterwards."""
    cutoff = (now or utcnow()) - older_than
    return delete_where(session, EidOrder, EidOrder.started_at < cutoff)


def signing_time(order: EidOrder) -> datetime:
    """When the order was signed, by BankID's clock: the producedAt of the OCSP response BankID
    fetched while the user signed, which the verifier checked and every later verifier compares
    the stated time with. Our own clock (`finished_at`) only says when we collected it."""
    found = (order.verification or {}).get("signing_time")
    if order.status != "complete" or not found:
        raise DomainError("eid_order_not_complete")
    return datetime.fromisoformat(found)


def evidence(order: EidOrder) -> dict[str, Any]:
    """What a signature keeps as evidence: the order, the final collect answer and its check."""
    return {
        "provider": "bankid",
        "order_ref": order.order_ref,
        "collect": order.completion,
        "verification": order.verification,
        "visible_data": order.visible_data,
        "document_digest": order.document_digest,
        "completed_at": order.finished_at.isoformat() if order.finished_at else None,
    }


def _record(
    session: Session, settings: EidSettings, order: EidOrder, result: CollectResult, now: datetime
) -> None:
    if result.status == "pending":
        order.hint_code = result.hint_code
        return
    if result.status == "failed" or result.completion is None:
        _fail(order, result.hint_code or "unknown", now)
        return
    checked = verify_signature(
        result.completion.signature,
        visible_data=order.visible_data,
        non_visible_data=order.document_digest.encode("ascii") if order.document_digest else None,
        func_id=FUNC_ID[order.purpose],
        ocsp_response=result.completion.ocsp_response,
        service_name=settings.service_name,
        trusted_roots=settings.trusted_roots,
    )
    order.verification = _summary(checked)
    during = _during_order(checked, order, now)
    order.verification["checks"].append(during)
    order.completion = result.raw
    user = result.completion.user
    if during["outcome"] != "ok" or not _accepted(checked, user.personal_number, order, session):
        _fail(order, "verificationFailed", now)
        return
    person = people.find_or_create_person(
        session, user.personal_number, first_name=user.given_name, last_name=user.surname
    )
    people.record_eid_name(person, user.given_name, user.surname)
    order.person_id = person.id
    order.status, order.hint_code, order.finished_at = "complete", None, now


def _during_order(checked: VerificationResult, order: EidOrder, now: datetime) -> dict[str, Any]:
    """BankID's time of the signature (the OCSP producedAt, which we record as the signing time)
    falls between the order's start and its collection, give or take the clocks' skew."""
    produced = checked.signing_time
    if produced is None:
        return {"name": "signing_time", "outcome": "failed", "detail": "no OCSP time"}
    earliest, latest = order.started_at - CLOCK_SKEW, now + CLOCK_SKEW
    if not earliest <= produced <= latest:
        detail = (
            f"BankID's time {produced.isoformat()} is outside the order's life "
            f"({order.started_at.isoformat()} to {now.isoformat()}, give or take {CLOCK_SKEW})"
        )
        return {"name": "signing_time", "outcome": "failed", "detail": detail}
    return {"name": "signing_time", "outcome": "ok", "detail": produced.isoformat()}


def _accepted(checked: VerificationResult, pnr: str, order: EidOrder, session: Session) -> bool:
    if not checked.complete or checked.personal_number != pnr:
        return False
    if order.signer_id is None:
        return True
    signer = session.get(Person, order.signer_id)
    return signer is not None and signer.personnummer == pnr


def _summary(checked: VerificationResult) -> dict[str, Any]:
    return {
        "complete": checked.complete,
        "checks": [
            {"name": c.name, "outcome": c.outcome.value, "detail": c.detail} for c in checked.checks
        ],
        "signing_time": checked.signing_time.isoformat() if checked.signing_time else None,
        "func_id": checked.func_id,
    }


def _fail(order: EidOrder, hint_code: str, now: datetime) -> None:
    order.status, order.hint_code, order.finished_at = "failed", hint_code, now


def _qr(order: EidOrder, now: datetime) -> str | None:
    if order.status != "pending" or order.hint_code not in (None, "outstandingTransaction"):
        return None
    return qr_data(order.qr_start_token, order.qr_start_secret, qr_time_at(order.started_at, now))
