"""A sealed PDF as the app hands it out: downloaded from the employer's page, it holds at PAdES
B-LTA offline in pyHanko's validator with the test root alone, and `flask verify` and /verifiera
name the level, the timestamp's time and its authority."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates.models import Certificate, SealedDocument, State
from signing.pdf import verify_pdf_seal
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID
from tests.support.pades import seal_status_from_dss
from tests.test_employer_signing import _signed


@pytest.fixture
def downloaded(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> tuple[Certificate, bytes]:
    draft = f.certificate_in(session, w, State.DRAFT)
    _signed(client, bankid, draft)
    response = client.get(f"/arbetsgivare/intyg/{draft.id}/version/1/intyg.pdf")
    assert response.status_code == 200
    return draft, response.data


def test_the_downloaded_pdf_holds_at_b_lta_offline(
    downloaded: tuple[Certificate, bytes], bankid: LiveBankID, session: Session
) -> None:
    _, pdf = downloaded
    root = bankid.pki.pki.root.certificate
    status = seal_status_from_dss(pdf, [root])
    assert status.bottom_line, status.trust_problem_indic
    checked = verify_pdf_seal(pdf, trusted=[root])
    assert checked.ok, checked.detail
    assert checked.evidence is not None
    assert checked.evidence.level == "B-LTA"
    stored = session.scalars(select(SealedDocument)).one()
    assert stored.archive_expires_at == bankid.pki.pki.tsa.certificate.not_valid_after_utc


def test_flask_verify_and_the_public_page_name_the_level(
    downloaded: tuple[Certificate, bytes],
    runner: FlaskCliRunner,
    client: FlaskClient,
    tmp_path: Path,
) -> None:
    _, pdf = downloaded
    path = tmp_path / "intyg.pdf"
    path.write_bytes(pdf)
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "\nB-LTA (Arkivnivå): " in result.output
    assert "Tidsstämplad 20" in result.output
    assert " av Intyga Test TSA" in result.output
    anonymous = client.application.test_client()
    token = web.csrf(anonymous, "/verifiera")
    page = anonymous.post(
        "/verifiera", data={"csrf_token": token, "file": (BytesIO(pdf), "intyg.pdf")}
    ).get_data(as_text=True)
    assert "Giltigt" in page
    assert "Bevisnivå: Arkivnivå (B-LTA)</strong>" in page
    assert " av Intyga Test TSA." in page
