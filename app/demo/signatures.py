"""BankID signatures for demo data and test factories, made in-process by the test server's CA.

Certificates are taken along the very path a person with BankID takes them: an order is started,
completed and verified by `app.eid.service`, then `sealing.finish_employer` / `finish_employee`
sign and seal with it. Only the user's app is played here, so every sealed document verifies
like one signed through `/bankid-test/`. The CA must be one the app trusts (the mounted test
server's in development, the `bankid` fixture's in tests): the app's own check refuses the rest.

The test CA runs on the signing's own date (`BankIDClock`): a version signed "ten days ago" has
a BankID certificate and an OCSP response from ten days ago, so the time the document states is
the one its evidence shows, as with a real signature.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from sqlalchemy.orm import Session

from app.akassa.models import Akassa
from app.certificates import sealing
from app.certificates import service as certificates
from app.certificates.models import Certificate, SealedDocument
from app.eid import service as eid
from app.eid.models import EidOrder
from app.people.models import Person
from signing.bankid.testserver.ca import CertificateAuthority
from signing.bankid.testserver.completion import DEFAULT_SERVICE_NAME
from signing.bankid.testserver.inprocess import InProcessBankID
from signing.seal import ServiceSeal

LOOPBACK = "127.0.0.1"


class UntrustedSignatureError(RuntimeError):
    """The app refused a signature of the test CA: its root is not among the trusted roots."""


@dataclass
class BankIDClock:
    """The in-process BankID's clock: the moment being signed at, or the real time."""

    at: datetime | None = None

    def __call__(self) -> float:
        return time.time() if self.at is None else self.at.timestamp()

    @contextmanager
    def set_to(self, moment: datetime) -> Iterator[None]:
        """BankID runs at `moment` inside the block, and on real time again after it."""
        self.at = moment
        try:
            yield
        finally:
            self.at = None


@dataclass(frozen=True)
class Issuer:
    """Signs as anyone, with a test CA the app trusts, and seals with the service's seal.

    With `own_names` a signer's test BankID carries the name we hold for them, as when one orders
    a test BankID in one's own name; without, the name the test server's app would give it. The
    CA remembers a name per personal number, so the choice outlives the signature.
    """

    provider: InProcessBankID
    settings: eid.EidSettings
    seal: ServiceSeal
    own_names: bool = True
    clock: BankIDClock = field(default_factory=BankIDClock)


def issuer(
    state_dir: Path,
    *,
    trusted_roots: Sequence[x509.Certificate],
    service_name: str | None,
    seal: ServiceSeal,
    own_names: bool = True,
) -> Issuer | None:
    """The test CA kept in `state_dir`, when there is one and its root is trusted; else None.
    Never creates a CA: one nobody trusts would only make signatures that fail."""
    if not (state_dir / "ca.pem").is_file():
        return None
    clock = BankIDClock()
    ca = CertificateAuthority(state_dir, clock=clock)
    if ca.root.certificate not in trusted_roots:
        return None
    provider = InProcessBankID(ca, service_name=service_name or DEFAULT_SERVICE_NAME, clock=clock)
    settings = eid.EidSettings(
        provider=provider,
        trusted_roots=tuple(trusted_roots),
        service_name=service_name,
        collect_interval=timedelta(0),
    )
    return Issuer(provider, settings, seal, own_names, clock)


def signed_order(
    session: Session,
    issuer: Issuer,
    signer: Person,
    request: sealing.SigningRequest,
    *,
    now: datetime,
) -> EidOrder:
    """A finished, complete and taken order: `signer` signed `request` with BankID at `now`.
    The completion is checked by `eid.follow` exactly as one collected from BankID."""
    with issuer.clock.set_to(now):
        order = eid.start(
            session,
            issuer.settings,
            purpose="sign",
            browser_secret=secrets.token_urlsafe(32),
            end_user_ip=LOOPBACK,
            visible_text=request.visible_text,
            document_digest=request.digest,
            signer=signer,
            subject=request.subject,
            now=now,
        )
        issuer.provider.approve(
            order.order_ref,
            signer.personnummer,
            given_name=signer.first_name if issuer.own_names else None,
            surname=signer.last_name if issuer.own_names else None,
        )
        status = eid.follow(session, issuer.settings, order, now=now)
        if status.status != "complete":
            failed = [
                c for c in (order.verification or {}).get("checks", []) if c["outcome"] != "ok"
            ]
            raise UntrustedSignatureError(f"order {status.status} ({status.hint_code}): {failed}")
    return eid.take(session, order, now=now)


def send(
    session: Session,
    issuer: Issuer,
    certificate: Certificate,
    signer: Person,
    *,
    now: datetime,
    deliver: bool = True,
) -> SealedDocument:
    """The employer signs with BankID: the version is signed, sealed and (unless `deliver` is
    false) delivered."""
    # The signer reads the warnings on the sign page and ticks the box that confirms them.
    shown = certificates.draft_warnings(session, certificate)
    request = sealing.employer_request(session, certificate, signer, confirmed_warnings=shown)
    order = signed_order(session, issuer, signer, request, now=now)
    return sealing.finish_employer(
        session, certificate, order, issuer.seal, now=now, deliver=deliver
    )


def approve(
    session: Session,
    issuer: Issuer,
    certificate: Certificate,
    employee: Person,
    akassa: Akassa,
    *,
    now: datetime,
) -> SealedDocument | None:
    """The employee approves the current version to `akassa` with BankID; sealed with both
    signatures when the employer's was sealed."""
    request = sealing.employee_request(
        session,
        certificate,
        employee,
        akassa,
        version_number=certificate.current_version,
        lock_version=certificate.lock_version,
        now=now,
    )
    order = signed_order(session, issuer, employee, request, now=now)
    return sealing.finish_employee(
        session, certificate, order, issuer.seal, employee=employee, now=now
    )
