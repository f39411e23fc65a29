"""Reading a certificate: its blocks, the employer's verified signature, the changes since the
previous version, the message thread, and the sealed documents to download."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from signing.bankid.testserver.people import name_for
from tests import factories as f
from tests.employee.conftest import SignAsEmployer


def test_the_page_shows_every_block_and_the_verified_signature(
    employee: FlaskClient, sent: Certificate
) -> None:
    response = employee.get(f"/arbetstagare/intyg/{sent.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Arbetsgivarintyg från Testbolaget AB" in html
    assert 'id="block-employee"' in html
    assert 'id="block-employment"' in html
    assert "Snickare" in html
    assert "Arbetsgivaren:" in html
    assert " ".join(name_for(f.CERTIFIER_PNR)) in html  # as BankID names the signer
    assert "underskriften är kontrollerad" in html
    assert "oförändrat sedan det skrevs under med BankID" in html
    assert "Godkänn med BankID" in html
    assert "Be om komplettering" in html
    assert "Ändringar sedan version" not in html


def test_sealed_documents_download_and_verify(
    employee: FlaskClient, runner: FlaskCliRunner, sent: Certificate, tmp_path: Path
) -> None:
    for kind, start in (("pdf", b"%PDF"), ("xml", b"<")):
        response = employee.get(f"/arbetstagare/intyg/{sent.id}/dokument/1.{kind}")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.data.startswith(start)
        path = tmp_path / f"intyg.{kind}"
        path.write_bytes(response.data)
        checked = runner.invoke(args=["verify", str(path)])
        assert checked.exit_code == 0, checked.output
    assert employee.get(f"/arbetstagare/intyg/{sent.id}/dokument/2.pdf").status_code == 404


def test_a_revised_version_shows_what_changed_and_the_thread(
    employee: FlaskClient,
    session: Session,
    w: f.World,
    sent: Certificate,
    sign_as_employer: SignAsEmployer,
) -> None:
    certificates.request_completion(
        session, sent, employee=w.employee, message="Slutdatumet ska vara 31 juli."
    )
    certificates.revise(session, sent, actor=w.by_certifier)
    changed = f.content()
    changed["employment"]["period"]["end"] = "2025-07-31"
    changed["worked_time"]["period"]["end"] = "2025-07-31"  # the table reaches the new end
    certificates.edit_draft(session, sent, content=changed, actor=w.by_certifier)
    session.flush()
    assert employee.get(f"/arbetstagare/intyg/{sent.id}").status_code == 404  # a draft again
    sign_as_employer(sent)

    html = employee.get(f"/arbetstagare/intyg/{sent.id}").get_data(as_text=True)
    assert "Ändringar sedan version 1" in html
    assert "<li>Anställningstid, till och med ändrad från 2025-06-30 till 2025-07-31</li>" in html
    assert "Slutdatumet ska vara 31 juli." in html
    assert "underskriften är kontrollerad" in html
    for number in (1, 2):
        assert f"/dokument/{number}.pdf" in html


def test_an_answered_certificate_offers_no_answer(
    employee: FlaskClient, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.APPROVED)
    session.flush()
    html = employee.get(f"/arbetstagare/intyg/{cert.id}").get_data(as_text=True)
    assert "Godkänt" in html
    assert "Godkänn med BankID" not in html
    assert "Be om komplettering" not in html
    # Signed by the factories without eID: there is no seal to check, and the page says so.
    assert "inget förseglat dokument" in html
