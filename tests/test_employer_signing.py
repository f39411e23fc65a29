"""An employer signs a draft with BankID; it is sealed, delivered, downloadable and verifiable."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import Certificate, SealedDocument, Signature, State
from tests import factories as f
from tests import web
from tests.conftest import AppFactory, LiveBankID


@pytest.fixture
def draft(session: Session, w: f.World) -> Certificate:
    return f.certificate_in(session, w, State.DRAFT)


def _sign(client: FlaskClient, cert: Certificate) -> str:
    page = f"/arbetsgivare/intyg/{cert.id}"
    started = web.post(client, f"{page}/skriv-under", form_page=page)
    assert started.status_code == 302, started.get_data(as_text=True)
    return started.headers["Location"]


def _signed(client: FlaskClient, bankid: LiveBankID, cert: Certificate) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    order_page = _sign(client, cert)
    finished = web.complete_order(client, bankid, order_page, f.CERTIFIER_PNR)
    assert finished.status_code == 302
    assert finished.headers["Location"] == f"/arbetsgivare/intyg/{cert.id}"


def test_sign_seal_deliver_download_and_verify(
    client: FlaskClient,
    runner: FlaskCliRunner,
    bankid: LiveBankID,
    session: Session,
    draft: Certificate,
    tmp_path: Path,
) -> None:
    _signed(client, bankid, draft)
    session.refresh(draft)
    assert draft.state == State.SENT
    signature = session.scalars(select(Signature)).one()
    assert signature.evidence["order_ref"]
    assert signature.evidence["verification"]["complete"] is True
    assert signature.evidence["collect"]["status"] == "complete"
    assert signature.document_hash == signature.evidence["document_digest"]
    page = client.get(f"/arbetsgivare/intyg/{draft.id}").get_data(as_text=True)
    assert "Skickat" in page
    files = {}
    for kind in ("xml", "pdf"):
        response = client.get(f"/arbetsgivare/intyg/{draft.id}/version/1/intyg.{kind}")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        files[kind] = tmp_path / f"intyg.{kind}"
        files[kind].write_bytes(response.data)
    assert files["pdf"].read_bytes().startswith(b"%PDF")
    for path in files.values():
        result = runner.invoke(args=["verify", str(path)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("VALID")
        assert "signed by employer: " in result.output
        assert f"({f.CERTIFIER_PNR}) at " in result.output
        assert "- verified" in result.output
        if path.suffix == ".xml":
            # The seal says what it proves, and when a TSA saw it, in Swedish time.
            assert "B-LT (Långtidsvaliderbar): Tidsstämplad, och filen bär" in result.output
            assert re.search(
                r"^Tidsstämplad \d{4}-\d\d-\d\d \d\d:\d\d CES?T av Intyga Test TSA$",
                result.output,
                re.MULTILINE,
            ), result.output
            english = runner.invoke(args=["verify", "--lang", "en", str(path)]).output
            assert "B-LT (Long-term): Timestamped, and the file itself carries" in english
            assert re.search(r"^Timestamped .+ CES?T by Intyga Test TSA$", english, re.MULTILINE)
        data = bytearray(path.read_bytes())
        # In the XML, a digit of the issue date: a change no parser notices.
        xml = path.suffix == ".xml"
        data[data.index(b"<Utfardat>") + 12 if xml else len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
        broken = runner.invoke(args=["verify", str(path)])
        assert broken.exit_code == 1
        assert broken.output.startswith("INVALID")
        assert broken.output.splitlines()[1] == "Filen har ändrats efter att den förseglades.", (
            broken.output
        )
        assert "first failure:" in broken.output
        english = runner.invoke(args=["verify", "--lang", "en", str(path)])
        assert english.output.splitlines()[1] == "The file was changed after it was sealed."


def test_the_public_page_checks_an_uploaded_file(
    client: FlaskClient, bankid: LiveBankID, draft: Certificate
) -> None:
    _signed(client, bankid, draft)
    xml = client.get(f"/arbetsgivare/intyg/{draft.id}/version/1/intyg.xml").data
    anonymous = client.application.test_client()
    token = web.csrf(anonymous, "/verifiera")
    good = anonymous.post(
        "/verifiera",
        data={"csrf_token": token, "file": (__import__("io").BytesIO(xml), "intyg.xml")},
    )
    assert good.status_code == 200
    page = good.get_data(as_text=True)
    assert "Giltigt" in page
    assert "<strong>Bevisnivå: Långtidsvaliderbar (B-LT)</strong>" in page
    assert re.search(r"Tidsstämplad \d{4}-\d\d-\d\d \d\d:\d\d CES?T av Intyga Test TSA", page)
    bad = anonymous.post(
        "/verifiera",
        data={
            "csrf_token": token,
            "file": (BytesIO(xml.replace(b"Snickare", b"Snickarx")), "x.xml"),
        },
    )
    bad_page = bad.get_data(as_text=True)
    assert "Ogiltigt" in bad_page
    assert "<strong>Filen har ändrats efter att den förseglades.</strong>" in bad_page
    assert "<summary>Teknisk information</summary>" in bad_page
    stranger = anonymous.post(
        "/verifiera",
        data={"csrf_token": token, "file": (BytesIO(b"Hej, jag heter Tolvan."), "brev.txt")},
    )
    assert "<strong>Filen är inte ett intyg från Intyga.</strong>" in stranger.get_data(
        as_text=True
    )
    unsealed = anonymous.post(
        "/verifiera",
        data={"csrf_token": token, "file": (BytesIO(b"<Intyg>hej</Intyg>"), "intyg.xml")},
    )
    assert "<strong>Filen är inte ett intyg från Intyga.</strong>" in unsealed.get_data(
        as_text=True
    )
    nothing = anonymous.post("/verifiera", data={"csrf_token": token})
    assert nothing.status_code == 400
    assert "Välj en fil att kontrollera" in nothing.get_data(as_text=True)
    empty = anonymous.post(
        "/verifiera", data={"csrf_token": token, "file": (BytesIO(b""), "tom.xml")}
    )
    assert empty.status_code == 400
    assert "Filen är tom." in empty.get_data(as_text=True)
    anonymous.application.config["VERIFY_MAX_UPLOAD"] = 1024
    try:
        huge = anonymous.post(
            "/verifiera", data={"csrf_token": token, "file": (BytesIO(b"<" * 1025), "x.xml")}
        )
    finally:
        anonymous.application.config["VERIFY_MAX_UPLOAD"] = 5 * 1024 * 1024
    assert huge.status_code == 413


def test_only_the_signer_can_complete_the_order(
    client: FlaskClient, bankid: LiveBankID, session: Session, draft: Certificate
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    order_page = _sign(client, draft)
    token = web.AUTOSTART.search(client.get(order_page).get_data(as_text=True))
    assert token
    refused = bankid.approve(token.group(1), f.ADMIN_PNR)
    assert refused.get("status") != "complete"
    assert (client.get(f"{order_page}/status").json or {})["status"] == "pending"
    web.post(client, f"{order_page}/avbryt", form_page=order_page)
    session.refresh(draft)
    assert draft.state == State.DRAFT
    assert session.scalar(select(func.count()).select_from(Signature)) == 0


def test_an_edit_while_bankid_is_open_signs_nothing(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, draft: Certificate
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    order_page = _sign(client, draft)
    changed = f.content() | {"other_information": "Ändrat under tiden."}
    certificates.edit_draft(session, draft, content=changed, actor=w.by_certifier)
    session.flush()
    response = web.complete_order(client, bankid, order_page, f.CERTIFIER_PNR)
    assert response.status_code == 409
    session.refresh(draft)
    assert draft.state == State.DRAFT
    assert session.scalar(select(func.count()).select_from(Signature)) == 0
    assert session.scalar(select(func.count()).select_from(SealedDocument)) == 0


def test_an_incomplete_draft_is_refused_before_bankid_opens(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    partial = {"employee": f.content()["employee"]}
    cert = certificates.create_draft(
        session, company=w.company, variant="full", content=partial, actor=w.by_certifier
    )
    session.flush()
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    page = f"/arbetsgivare/intyg/{cert.id}"
    response = web.post(client, f"{page}/skriv-under", form_page=page)
    assert response.status_code == 422


@pytest.mark.parametrize("who", ["outsider", "other_company"])
def test_nobody_outside_the_company_can_see_or_sign(
    client: FlaskClient, bankid: LiveBankID, session: Session, draft: Certificate, who: str
) -> None:
    if who == "other_company":
        other = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
        f.company(session, other, orgnr="5569999997", name="Annat AB")
        session.flush()
    web.log_in(client, bankid, f.OUTSIDER_PNR)
    page = f"/arbetsgivare/intyg/{draft.id}"
    assert client.get(page).status_code == 404
    csrf = web.csrf(client, "/logga-in")
    assert client.post(f"{page}/skriv-under", data={"csrf_token": csrf}).status_code == 404
    assert client.get(f"{page}/version/1/intyg.xml").status_code == 404


@pytest.fixture
def flaky_bankid(make_app: AppFactory) -> Flask:
    return make_app(BANKID_URL="http://127.0.0.1:9/rp/v6.0/")


def test_bankid_down_while_signing_leaves_the_draft_as_it_was(
    client: FlaskClient,
    flaky_bankid: Flask,
    bankid: LiveBankID,
    session: Session,
    draft: Certificate,
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    cookie = client.get_cookie("session")
    assert cookie is not None
    flaky = flaky_bankid.test_client()
    flaky.set_cookie("session", cookie.value)  # the same browser, now with BankID unreachable
    page = f"/arbetsgivare/intyg/{draft.id}"
    response = web.post(flaky, f"{page}/skriv-under", form_page=page)
    assert response.status_code == 503
    assert "Försök igen" in response.get_data(as_text=True)
    session.refresh(draft)
    assert draft.state == State.DRAFT
    assert session.scalar(select(func.count()).select_from(Signature)) == 0
