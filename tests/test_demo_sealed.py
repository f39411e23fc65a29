"""Demo data and factory certificates carry real BankID signatures and seals that verify: what a
new user sees after `make run`, and what tests get with `certificate_in(..., sealed=bankid)`."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509 import ocsp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import seal
from app.certificates import sealing
from app.certificates.models import (
    Certificate,
    CertificateVersion,
    SealedDocument,
    Signature,
    State,
)
from app.demo import data as demo_data
from app.demo import signatures
from app.eid import service as eid
from app.eid.models import EidOrder
from app.eid.service import EidSettings
from signing.bankid.testserver.ca import CertificateAuthority
from signing.bankid.testserver.inprocess import InProcessBankID
from signing.bankid.testserver.orders import AppError
from signing.bankid.verify import verify_signature
from signing.document import evidence_document, read_document
from signing.eid import InvalidParameters
from signing.seal import parse_xml, seal_xml
from signing.sealed import SealedReport, verify_file
from tests import factories as f
from tests import web
from tests.conftest import AppFactory, LiveBankID

LINA = demo_data.EMPLOYEES[3][0]
# A time as `flask verify` and the pages show it: Swedish time with its zone.
SWEDISH_TIME = re.compile(r"at \d{4}-\d\d-\d\d \d\d:\d\d CES?T\b")


@pytest.fixture(scope="session")
def demo_ca(tmp_path_factory: pytest.TempPathFactory, bankid: LiveBankID) -> Path:
    """The live server's CA (its keys, so its trusted root) with test BankIDs of its own: the
    demo's carry its cast's names, which must not rename whom other tests sign as."""
    state = tmp_path_factory.mktemp("demo-bankid")
    (state / "ca.pem").write_bytes((bankid.roots.parent / "ca.pem").read_bytes())
    return state


@pytest.fixture
def demo_app(make_app: AppFactory, demo_ca: Path) -> Flask:
    """The app with a trusted test CA in BANKID_TEST_STATE, as `make run` has the mounted test
    server's: the demo signs with it."""
    return make_app(BANKID_TEST_STATE=str(demo_ca))


@pytest.fixture
def demo(demo_app: Flask, session: Session) -> list[Certificate]:
    result = demo_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return list(session.scalars(select(Certificate)))


def _verify(bankid: LiveBankID, data: bytes) -> SealedReport:
    return verify_file(
        data,
        trusted_seals=[f.issuer(bankid).seal.certificate, *f.issuer(bankid).seal.roots],
        bankid_roots=x509.load_pem_x509_certificates(bankid.roots.read_bytes()),
        max_bytes=50 * 1024 * 1024,
    )


def _sealed(session: Session, certificate: Certificate) -> dict[str, SealedDocument]:
    rows = session.scalars(
        select(SealedDocument)
        .join(CertificateVersion)
        .where(CertificateVersion.certificate_id == certificate.id)
    )
    return {row.stage: row for row in rows}


def _assert_sealed_as_its_state(
    session: Session, bankid: LiveBankID, certificate: Certificate
) -> None:
    """Sealed at signing if the employer signed, again at approval, and every file verifies."""
    signatures_made = session.scalars(
        select(Signature)
        .join(CertificateVersion)
        .where(CertificateVersion.certificate_id == certificate.id)
    ).all()
    expected = {"signed"} if signatures_made else set()
    if certificate.state == State.APPROVED:
        expected.add("approved")
    documents = _sealed(session, certificate)
    assert set(documents) == expected, certificate.state
    for stage, document in documents.items():
        for data in (document.xml, document.pdf):
            report = _verify(bankid, data)
            assert report.ok, (certificate.state, stage, report.failure)
            # Timestamped by the TSA, with every chain and OCSP answer inside (B-LT); the PDF
            # with a document timestamp over it all (B-LTA).
            assert report.level == ("B-LTA" if data is document.pdf else "B-LT")
            assert report.timestamp_authority == "Intyga Test TSA"
            roles = tuple(s.role for s in report.signers)
            assert roles == (("employer", "employee") if stage == "approved" else ("employer",))
            assert all(s.verified for s in report.signers)
    for signature in signatures_made:
        assert signature.evidence["provider"] == "bankid"
        assert signature.evidence["verification"]["complete"] is True
        assert signature.document_hash == signature.evidence["document_digest"]


def test_every_signed_demo_version_is_sealed_and_verifies_and_a_rerun_signs_nothing_new(
    demo: list[Certificate], demo_app: Flask, session: Session, bankid: LiveBankID
) -> None:
    assert {c.state for c in demo} == {s.value for s in State}
    for certificate in demo:
        _assert_sealed_as_its_state(session, bankid, certificate)
    orders = session.scalars(select(EidOrder)).all()
    assert len(orders) == 7, "six employer signatures and one approval"
    assert all(o.status == "complete" and o.consumed_at is not None for o in orders)
    sealed = session.scalar(select(func.count()).select_from(SealedDocument))
    assert demo_app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert session.scalar(select(func.count()).select_from(SealedDocument)) == sealed
    assert session.scalar(select(func.count()).select_from(EidOrder)) == 7


def test_a_demo_certificate_exported_verifies_and_its_employee_sees_it_checked(
    demo: list[Certificate], demo_app: Flask, bankid: LiveBankID, tmp_path: Path
) -> None:
    approved = next(c for c in demo if c.state == State.APPROVED)
    client = demo_app.test_client()
    web.log_in(client, bankid, demo_data.CERTIFIER[0])
    runner = demo_app.test_cli_runner()
    for kind in ("xml", "pdf"):
        response = client.get(f"/arbetsgivare/intyg/{approved.id}/version/1/intyg.{kind}")
        assert response.status_code == 200
        path = tmp_path / f"intyg.{kind}"
        path.write_bytes(response.data)
        result = runner.invoke(args=["verify", str(path)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("VALID")
        assert "signed by employer: Carl Certifierare (198506129819)" in result.output
        assert f"signed by employee: Lina Lindqvist ({LINA})" in result.output
        assert len(SWEDISH_TIME.findall(result.output)) == 2, result.output
        assert "NOT verified" not in result.output
    client = demo_app.test_client()
    web.log_in(client, bankid, LINA)
    html = client.get(f"/arbetstagare/intyg/{approved.id}").get_data(as_text=True)
    assert html.count("underskriften är kontrollerad") == 2
    assert "Intyget är förseglat av Intyga och oförändrat" in html
    assert "Det finns inget förseglat dokument" not in html


def test_demo_signatures_are_dated_by_bankid_with_certificates_valid_then(
    demo: list[Certificate], session: Session, bankid: LiveBankID
) -> None:
    """The demo signs at past dates (50 days back at most) with test BankIDs issued for them:
    each recorded time is the OCSP response's producedAt, inside the signer's certificate."""
    roots = x509.load_pem_x509_certificates(bankid.roots.read_bytes())
    made = session.scalars(select(Signature)).all()
    for signature in made:
        evidence = signature.evidence
        completion = evidence["collect"]["completionData"]
        response = ocsp.load_der_ocsp_response(base64.b64decode(completion["ocspResponse"]))
        assert signature.signed_at == response.produced_at_utc
        checked = verify_signature(
            completion["signature"],
            visible_data=evidence["visible_data"],
            non_visible_data=evidence["document_digest"].encode("ascii"),
            func_id="Signing",
            ocsp_response=completion["ocspResponse"],
            trusted_roots=roots,
        )
        assert checked.ok, checked.failure
        assert checked.signer_validity is not None
        valid_from, valid_to = checked.signer_validity
        assert valid_from <= signature.signed_at <= valid_to
    oldest = min(s.signed_at for s in made)
    assert oldest < datetime.now(UTC) - timedelta(days=45), "the demo's oldest is 50 days back"
    versions = session.scalars(
        select(CertificateVersion).where(CertificateVersion.signed_at.is_not(None))
    )
    employer = {s.version_id: s.signed_at for s in made if s.role == "employer"}
    assert all(v.signed_at == employer[v.id] for v in versions)


def test_a_demo_file_restated_before_its_signers_bankid_is_refused_in_plain_words(
    demo: list[Certificate], demo_app: Flask, session: Session, tmp_path: Path
) -> None:
    """Resealed by the service itself, so only the stated time is wrong: `flask verify` and
    /verifiera both refuse it and say why, in Swedish or English."""
    approved = next(c for c in demo if c.state == State.APPROVED)
    root = parse_xml(sealing.sealed_document(session, approved, 1).xml)
    for enveloped in root.findall("{http://www.w3.org/2000/09/xmldsig#}Signature"):
        root.remove(enveloped)
    doc = read_document(root)
    employer, employee = doc.evidence
    backdated = replace(employer, signed_at=employer.signed_at - timedelta(days=3 * 365))
    with demo_app.app_context():
        data = seal_xml(
            evidence_document(replace(doc, evidence=[backdated, employee])), seal.current()
        )
    path = tmp_path / "bakdaterat.xml"
    path.write_bytes(data)
    runner = demo_app.test_cli_runner()
    swedish = runner.invoke(args=["verify", str(path)])
    assert swedish.exit_code == 1
    assert swedish.output.startswith("INVALID")
    assert (
        "En underskrift anges ha gjorts när undertecknarens BankID inte gällde." in swedish.output
    )
    assert "first failure: employer.signing_time: the stated signing time" in swedish.output
    assert "signed by employer: Carl Certifierare (198506129819)" in swedish.output
    assert len(SWEDISH_TIME.findall(swedish.output)) == 2
    english = runner.invoke(args=["verify", "--lang", "en", str(path)])
    assert "when the signer's BankID was not valid." in english.output
    client = demo_app.test_client()
    token = web.csrf(client, "/verifiera")
    page = client.post(
        "/verifiera", data={"csrf_token": token, "file": (BytesIO(data), "intyg.xml")}
    ).get_data(as_text=True)
    assert "Ogiltigt" in page
    assert (
        "<strong>En underskrift anges ha gjorts när undertecknarens BankID inte gällde.</strong>"
        in page
    )
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d CES?T", page)


def test_without_a_trusted_test_ca_the_demo_is_signed_without_eid(
    make_app: AppFactory, session: Session, tmp_path: Path
) -> None:
    CertificateAuthority(tmp_path)  # a CA of its own, whose root the app does not trust
    app = make_app(BANKID_TEST_STATE=str(tmp_path))
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert session.scalar(select(func.count()).select_from(Certificate)) == 7
    assert session.scalar(select(func.count()).select_from(SealedDocument)) == 0
    evidence = session.scalars(select(Signature.evidence)).all()
    assert evidence
    # The demo evidence; the employer's also holds the warnings confirmed (schemas.rules).
    assert all(
        {key: value for key, value in e.items() if key != "confirmed_warnings"}
        == demo_data.DEMO_EVIDENCE
        for e in evidence
    )


def test_no_issuer_without_a_ca_and_none_is_created(tmp_path: Path, bankid: LiveBankID) -> None:
    issuer = f.issuer(bankid)
    found = signatures.issuer(
        tmp_path, trusted_roots=issuer.settings.trusted_roots, service_name=None, seal=issuer.seal
    )
    assert found is None
    assert list(tmp_path.iterdir()) == []


def test_the_app_refuses_a_signature_it_does_not_trust(
    session: Session, bankid: LiveBankID, tmp_path: Path
) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.DRAFT)
    trusted = f.issuer(bankid)
    stranger = InProcessBankID(CertificateAuthority(tmp_path))
    untrusted = signatures.Issuer(
        stranger,
        EidSettings(
            provider=stranger,
            trusted_roots=trusted.settings.trusted_roots,
            service_name=trusted.settings.service_name,
        ),
        trusted.seal,
    )
    with pytest.raises(signatures.UntrustedSignatureError, match="verificationFailed"):
        signatures.send(session, untrusted, cert, w.certifier, now=f.NOW)
    assert cert.state == State.DRAFT
    assert session.scalar(select(func.count()).select_from(SealedDocument)) == 0


@pytest.mark.parametrize("state", list(State))
def test_a_sealed_factory_certificate_verifies_in_every_state(
    session: Session, bankid: LiveBankID, state: State
) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, state, sealed=bankid)
    assert cert.state == state
    _assert_sealed_as_its_state(session, bankid, cert)


def test_the_factory_seals_nothing_unless_asked(session: Session) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.APPROVED)
    assert cert.state == State.APPROVED
    assert session.scalar(select(func.count()).select_from(SealedDocument)) == 0
    assert session.scalar(select(func.count()).select_from(EidOrder)) == 0
    assert {s.evidence["provider"] for s in session.scalars(select(Signature))} == {"test"}


def test_a_sealed_factory_approval_reads_as_verified_for_the_employee(
    client: FlaskClient, session: Session, bankid: LiveBankID
) -> None:
    w = f.world(session)
    cert = f.certificate_in(session, w, State.APPROVED, sealed=bankid)
    session.flush()
    assert sealing.sealed_document(session, cert, 1).stage == "approved"
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    html = client.get(f"/arbetstagare/intyg/{cert.id}").get_data(as_text=True)
    assert html.count("underskriften är kontrollerad") == 2


def test_a_completion_dated_outside_its_order_is_refused(
    session: Session, bankid: LiveBankID
) -> None:
    """BankID's time of a signature, which is recorded as the signing time, lies within the
    order's life: an OCSP response dated an hour before the order started is refused."""
    trusted = f.issuer(bankid)
    issuer = signatures.issuer(
        bankid.roots.parent,
        trusted_roots=trusted.settings.trusted_roots,
        service_name=trusted.settings.service_name,
        seal=trusted.seal,
        own_names=False,
    )
    assert issuer is not None
    person = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
    with issuer.clock.set_to(f.NOW - timedelta(hours=1)):  # BankID's clock an hour behind ours
        order = eid.start(
            session,
            issuer.settings,
            purpose="login",
            browser_secret="browser",
            end_user_ip="192.0.2.1",
            signer=person,
            now=f.NOW,
        )
        issuer.provider.approve(order.order_ref, f.OUTSIDER_PNR)
        status = eid.follow(session, issuer.settings, order, now=f.NOW)
    assert (status.status, status.hint_code) == ("failed", "verificationFailed")
    assert order.person_id is None
    assert order.verification is not None
    checks = {c["name"]: c for c in order.verification["checks"]}
    assert checks["ocsp"]["outcome"] == "ok", "the evidence itself holds"
    assert checks["signing_time"]["outcome"] == "failed"
    assert "outside the order's life" in checks["signing_time"]["detail"]


def test_in_process_orders_behave_as_over_the_wire(session: Session, bankid: LiveBankID) -> None:
    """A login through `eid` completes and verifies too; unknown orders are BankID's errors."""
    issuer = f.issuer(bankid)
    person = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
    order = eid.start(
        session,
        issuer.settings,
        purpose="login",
        browser_secret="browser",
        end_user_ip="192.0.2.1",
        signer=person,
    )
    with pytest.raises(AppError):
        issuer.provider.approve(order.order_ref, f.ADMIN_PNR)
    issuer.provider.approve(order.order_ref, f.OUTSIDER_PNR)
    assert eid.follow(session, issuer.settings, order).status == "complete"
    assert order.person_id == person.id
    assert order.verification is not None
    assert order.verification["func_id"] == "Identification"
    assert {c["name"]: c["outcome"] for c in order.verification["checks"]}["signing_time"] == "ok"
    with pytest.raises(InvalidParameters):
        issuer.provider.collect("no-such-order")
    with pytest.raises(InvalidParameters):
        issuer.provider.cancel(order.order_ref)
