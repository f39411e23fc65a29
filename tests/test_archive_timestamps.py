"""The worker's archive-timestamp job, with the clock moved forward: a sealed PDF at PAdES B-LTA
gets its next document timestamp shortly before the certificate its last one rests on expires,
once (leased, compare-and-set, audited), and then holds past that expiry. The test PKI runs on
the same moved clock, and rotates its TSA key as a real TSA does."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID
from flask.testing import FlaskCliRunner
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.certificates import archive
from app.certificates.models import CertificateVersion, SealedDocument, State
from app.worker.archive import ArchiveRenewer
from signing.document import evidence_document
from signing.pades import archive_expiry
from signing.pdf import sealed_pdf, verify_pdf_seal
from signing.seal import seal_xml, verify_seal_xml
from signing.testpki import RunningPKI, serving
from signing.testpki import authority as testpki
from signing.testpki.tsa import TimeStampAuthority
from tests import factories as f
from tests.signing.conftest_seal import make_document

MARGIN = timedelta(days=90)


class MovingClock:
    """Epoch seconds that start now and move when told to, for the PKI and the job alike."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def at(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)

    def move_to(self, moment: datetime) -> None:
        self.now = moment.timestamp()


@dataclass
class Archive:
    pki: RunningPKI
    clock: MovingClock
    renewal: archive.Renewal
    document_id: object
    sealed_pdf: bytes
    sealed_xml: bytes

    def rotate_tsa(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A new TSA key and certificate from the root at the PKI's clock; OCSP goes on
        answering for the retired one."""
        pki = self.pki.pki
        retired = pki.tsa.certificate
        aia = x509.AuthorityInformationAccess(
            [
                x509.AccessDescription(
                    AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(pki.ocsp_url)
                )
            ]
        )
        pki.tsa = testpki._issue(
            testpki._name("Intyga Test TSA"),
            pki.root,
            pki.now(),
            years=10,
            signing=True,
            extra=[
                (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
                (
                    x509.CertificatePolicies(
                        [x509.PolicyInformation(testpki.TEST_TSA_POLICY, None)]
                    ),
                    False,
                ),
                (aia, False),
            ],
        )
        issued_by = pki._issued_by

        def with_retired(issuer: testpki.Credential) -> list[x509.Certificate]:
            found = list(issued_by(issuer))
            return [*found, retired] if issuer is pki.root else found

        monkeypatch.setattr(pki, "_issued_by", with_retired)
        self.pki.server.tsa = TimeStampAuthority(pki)

    def renewer(self, sessions: Callable[[], Session]) -> ArchiveRenewer:
        return ArchiveRenewer(sessions, self.renewal, clock=self.clock.at)


@pytest.fixture
def moving_pki() -> Iterator[tuple[RunningPKI, MovingClock]]:
    clock = MovingClock()
    with serving(None, clock=clock.time) as running:
        yield running, clock


@pytest.fixture
def sessions(connection: Connection) -> Callable[[], Session]:
    return lambda: Session(bind=connection, join_transaction_mode="create_savepoint")


@pytest.fixture
def sealed(session: Session, w: f.World, moving_pki: tuple[RunningPKI, MovingClock]) -> Archive:
    """A signed version sealed with the moving PKI: the XML at B-LT, the PDF at B-LTA."""
    running, clock = moving_pki
    root = running.pki.root.certificate
    seal = replace(running.pki.service_seal(), tsa_url=running.tsa_url, roots=(root,))
    from app.certificates.pdf import render_pdf

    xml = seal_xml(evidence_document(make_document()), seal)
    pdf = sealed_pdf(xml, seal, render_pdf)
    certificate = f.certificate_in(session, w, State.SIGNED)
    version = session.scalars(
        select(CertificateVersion).where(CertificateVersion.certificate_id == certificate.id)
    ).one()
    row = SealedDocument(
        version_id=version.id,
        version_number=version.number,
        stage="signed",
        xml=xml,
        pdf=pdf,
        archive_expires_at=archive_expiry(pdf),
    )
    session.add(row)
    session.flush()
    renewal = archive.Renewal(seal, (root,), margin=MARGIN)
    return Archive(running, clock, renewal, row.id, pdf, xml)


def _row(session: Session, found: Archive) -> SealedDocument:
    session.expire_all()
    return session.get_one(SealedDocument, found.document_id)


def _renewals(session: Session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == archive.ACTION)))


def test_due_shortly_before_the_timestamps_certificate_expires(
    session: Session, sealed: Archive
) -> None:
    expires = _row(session, sealed).archive_expires_at
    assert expires == sealed.pki.pki.tsa.certificate.not_valid_after_utc


def test_nothing_is_renewed_before_it_is_due(
    session: Session, sealed: Archive, sessions: Callable[[], Session]
) -> None:
    assert sealed.renewer(sessions).run() == {}
    assert _row(session, sealed).pdf == sealed.sealed_pdf
    assert _renewals(session) == []


def test_renewed_once_when_due_and_then_it_outlives_the_old_certificate(
    session: Session,
    sealed: Archive,
    sessions: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expires = _row(session, sealed).archive_expires_at
    assert expires is not None
    due = expires - MARGIN
    sealed.clock.move_to(due + timedelta(days=1))
    now = sealed.clock.at()
    sealed.rotate_tsa(monkeypatch)

    assert sealed.renewer(sessions).run() == {"archive_timestamps_added": 1}
    row = _row(session, sealed)
    assert row.pdf.startswith(sealed.sealed_pdf)
    xml = verify_seal_xml(row.xml, trusted=[*sealed.renewal.trusted], verification_time=now)
    assert xml.ok, xml.detail
    assert xml.evidence is not None
    assert xml.evidence.level == "B-LTA"
    assert row.archive_expires_at is not None
    assert row.archive_expires_at > sealed.clock.at() + timedelta(days=3000)
    (event,) = _renewals(session)
    assert event.data["xml_renewed"] is True
    assert event.data["sealed_document"] == str(sealed.document_id)
    assert event.data["archive_timestamps"] == 2
    assert event.actor_label == "system"

    # A second pass, or a second worker, finds nothing due: the renewal happened once.
    assert sealed.renewer(sessions).run() == {}
    assert len(_renewals(session)) == 1

    roots = list(sealed.renewal.trusted)
    old_expiry = sealed.pki.pki.root.certificate.not_valid_after_utc
    after_old_tsa = due + MARGIN + timedelta(days=30)
    assert after_old_tsa < old_expiry
    renewed = verify_pdf_seal(row.pdf, trusted=roots, verification_time=after_old_tsa)
    assert renewed.ok, renewed.detail
    assert renewed.evidence is not None
    assert renewed.evidence.level == "B-LTA"
    stale = verify_pdf_seal(sealed.sealed_pdf, trusted=roots, verification_time=after_old_tsa)
    assert not stale.ok


def test_a_tsa_that_did_not_rotate_its_key_is_not_asked_again_and_again(
    session: Session,
    sealed: Archive,
    sessions: Callable[[], Session],
) -> None:
    expires = _row(session, sealed).archive_expires_at
    assert expires is not None
    due = expires - MARGIN
    sealed.clock.move_to(due + timedelta(days=1))
    assert sealed.renewer(sessions).run() == {"archive_timestamps_failed": 1}
    row = _row(session, sealed)
    assert row.pdf == sealed.sealed_pdf
    assert row.xml == sealed.sealed_xml
    assert row.archive_expires_at == expires
    assert _renewals(session) == []


def test_the_cli_runs_the_job_once(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["archive-timestamps"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "nothing due"
