"""The officer sees every signature verified, on the document sealed at approval, and can
download it as XML and PDF: signed by the employer and approved by the employee with BankID."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from app.akassa.models import AkassaStaff
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from tests import factories as f
from tests import web
from tests.akassa import support
from tests.conftest import LiveBankID


def _signed_and_approved(
    client: FlaskClient, bankid: LiveBankID, session: Session, cert: Certificate
) -> None:
    """The employer signs and the employee approves to Unionens a-kassa, both with BankID."""
    employer = client.application.test_client()
    web.log_in(employer, bankid, f.CERTIFIER_PNR)
    web.sign_as_employer(employer, bankid, cert.id, f.CERTIFIER_PNR)

    session.refresh(cert)
    employee = client.application.test_client()
    web.log_in(employee, bankid, f.EMPLOYEE_PNR)
    page = f"/arbetstagare/intyg/{cert.id}"
    started = web.post(
        employee,
        f"{page}/godkann",
        form_page=page,
        akassa="unionens",
        confirm="y",
        version="1",
        lock_version=str(cert.lock_version),
    )
    assert started.status_code == 302, started.get_data(as_text=True)
    assert web.complete_order(employee, bankid, started.headers["Location"], f.EMPLOYEE_PNR)


def test_both_signatures_verified_and_the_files_downloadable(
    client: FlaskClient,
    runner: FlaskCliRunner,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
    tmp_path: Path,
) -> None:
    cert = certificates.create_draft(
        session, company=w.company, variant="full", content=support.content(), actor=w.by_certifier
    )
    session.flush()
    _signed_and_approved(client, bankid, session, cert)
    session.refresh(cert)
    assert cert.state == State.APPROVED

    support.log_in_officer(client, bankid)
    html = client.get(f"/akassa/intyg/{cert.id}").get_data(as_text=True)
    assert "Giltigt: intyget är oförändrat och underskrifterna stämmer." in html
    assert html.count("<strong>Giltig</strong>") == 2
    assert "Arbetsgivaren</th>" in html
    assert "Arbetstagaren</th>" in html
    assert "till Unionens a-kassa" in html
    assert "Det förseglade dokumentet med arbetstagarens underskrift saknas" not in html

    for kind, magic in (("xml", b"<"), ("pdf", b"%PDF")):
        response = client.get(f"/akassa/intyg/{cert.id}/intyg.{kind}")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.data.startswith(magic)
        path = tmp_path / f"intyg.{kind}"
        path.write_bytes(response.data)
        verified = runner.invoke(args=["verify", str(path)])
        assert verified.exit_code == 0, verified.output
        assert "signed by employer: " in verified.output
        assert "signed by employee: " in verified.output
        assert f"({f.EMPLOYEE_PNR}) at " in verified.output


def test_a_version_sealed_only_by_the_employer_is_checked_as_such(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    officer: AkassaStaff,
) -> None:
    """Approved without a new seal (as demo data is): the employer's sealed version is shown."""
    cert = certificates.create_draft(
        session, company=w.company, variant="full", content=support.content(), actor=w.by_certifier
    )
    session.flush()
    employer = client.application.test_client()
    web.log_in(employer, bankid, f.CERTIFIER_PNR)
    web.sign_as_employer(employer, bankid, cert.id, f.CERTIFIER_PNR)
    session.refresh(cert)
    certificates.approve(
        session,
        cert,
        employee=w.employee,
        akassa=officer.akassa,
        version_number=1,
        evidence=f.EVIDENCE,
    )
    session.flush()

    support.log_in_officer(client, bankid)
    html = client.get(f"/akassa/intyg/{cert.id}").get_data(as_text=True)
    assert "Det förseglade dokumentet med arbetstagarens underskrift saknas" in html
    assert html.count("<strong>Giltig</strong>") == 1
    assert client.get(f"/akassa/intyg/{cert.id}/intyg.xml").status_code == 200
