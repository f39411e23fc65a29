"""The SOAP service as payroll systems call it: several certificates per request, each with its
own result; the sender authenticated from the body; faults for what is not a usable request."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.apikeys import service as apikeys
from app.audit.service import Actor
from app.certificates.models import Certificate, CertificateVersion
from tests.api.conftest import Tenant
from tests.conftest import AppFactory

URL = "/HR_SystemService/ArbetsgivarintygService.svc"
FIXTURES = Path(__file__).resolve().parents[1] / "payroll_adapters" / "fixtures"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
DATA_CONTRACT = "http://schemas.datacontract.org/2004/07/Arbetsgivarintyg.Api"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
XS = "http://www.w3.org/2001/XMLSchema"


def request_for(tenant: Tenant, *, key: str | None = None, employer_id: str | None = None) -> bytes:
    """The fixture request (three certificates, the second one broken) sent by `tenant`."""
    data = (FIXTURES / "soap_request.xml").read_bytes()
    data = data.replace(b"3f9c1e2a-demo-key", (key or tenant.key).encode())
    return data.replace(b"ftg4431", (employer_id or tenant.company.employer_id).encode())


def _post(client: FlaskClient, data: bytes, **headers: str) -> TestResponse:
    return client.post(
        URL,
        data=data,
        content_type="text/xml; charset=utf-8",
        headers={"SOAPAction": '"urn:intyga:soap:arbetsgivarintyg:1/SaveArbetsgivarintygService"'}
        | headers,
    )


def _answer(response: TestResponse) -> etree._Element:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/xml"
    root = etree.fromstring(response.data)
    answer = root.find(f".//{{{DATA_CONTRACT}}}ImportResponse")
    assert answer is not None, response.get_data(as_text=True)
    return answer


def _fault(response: TestResponse) -> tuple[str, str, str]:
    assert response.status_code == 500
    assert response.mimetype == "text/xml"
    fault = etree.fromstring(response.data).find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None
    return (
        str(fault.findtext("faultcode")),
        str(fault.findtext("faultstring")),
        str(fault.findtext("detail/{urn:intyga:soap:arbetsgivarintyg:1}Problem")),
    )


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Certificate)) or 0


def _d(name: str) -> str:
    return f"{{{DATA_CONTRACT}}}{name}"


def test_each_certificate_gets_its_result_and_the_good_ones_are_drafts(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    answer = _answer(_post(client, request_for(mine)))
    assert answer.findtext(_d("ResultCode")) == "1"
    assert answer.findtext(_d("ResultMessage")) == "3 intyg – skapade: 2, avvisade: 1."
    results = answer.findall(f"{_d('CertificateResults')}/{_d('ApiImportCertificateResult')}")
    assert [r.findtext(_d("Code")) for r in results] == ["0", "1", "0"]
    refused = str(results[1].findtext(_d("Message")))
    assert "ApiCertifikat[2]/Arbetstagare/Personnummer" in refused
    assert "Kontrollera personnumret" in refused
    assert results[1].findtext(_d("Certificate")) == ""
    created = {uuid.UUID(str(results[i].findtext(_d("Certificate")))) for i in (0, 2)}
    stored = session.scalars(select(Certificate)).all()
    assert {c.id for c in stored} == created
    assert {c.company_id for c in stored} == {mine.company.id}
    assert {c.variant for c in stored} == {"full", "income_2025"}
    labels = session.scalars(select(CertificateVersion.created_by_label)).all()
    assert set(labels) == {"api:Lönesystemet"}


def test_all_good_is_result_code_zero_in_english(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    data = request_for(mine).replace(
        b"<a:Personnummer>191212121213</a:Personnummer>",
        b"<a:Personnummer>191212121212</a:Personnummer><a:Efternamn>Person</a:Efternamn>",
    )
    data = data.replace(b"<a:Ar>2023</a:Ar>", b"<a:Ar>2024</a:Ar>")
    answer = _answer(_post(client, data, **{"Accept-Language": "en"}))
    assert answer.findtext(_d("ResultCode")) == "0"
    assert _count(session) == 3


def test_the_answer_uses_the_namespaces_of_the_request(client: FlaskClient, mine: Tenant) -> None:
    root = etree.fromstring(_post(client, request_for(mine)).data)
    response = root.find(
        f"{{{SOAP}}}Body/{{http://tempuri.org/}}SaveArbetsgivarintygServiceResponse"
    )
    assert response is not None
    assert response.find("{http://tempuri.org/}SaveArbetsgivarintygServiceResult") is not None


@pytest.mark.parametrize(
    "who", ["wrong key", "revoked key", "other company's key", "wrong employer"]
)
def test_a_sender_that_does_not_authenticate_stores_nothing(
    client: FlaskClient, session: Session, mine: Tenant, theirs: Tenant, who: str
) -> None:
    if who == "revoked key":
        apikeys.revoke(session, company_id=mine.company.id, key_id=mine.key_id, actor=Actor("t"))
        session.flush()
    data = {
        "wrong key": lambda: request_for(mine, key="intyga_" + "0" * 51),
        "revoked key": lambda: request_for(mine),
        "other company's key": lambda: request_for(mine, key=theirs.key),
        "wrong employer": lambda: request_for(mine, employer_id=theirs.company.employer_id),
    }[who]()
    answer = _answer(_post(client, data))
    assert answer.findtext(_d("ResultCode")) == "2"
    assert answer.find(_d("CertificateResults")) is not None
    assert not answer.findall(f".//{_d('ApiImportCertificateResult')}")
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            b"<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>",
            "xml_malformed",
        ),
        (b"this is not xml", "xml_malformed"),
        (b"", "empty_file"),
    ],
)
def test_malformed_envelopes_are_faults(
    client: FlaskClient, session: Session, data: bytes, problem: str
) -> None:
    code, message, detail = _fault(_post(client, data))
    assert code == "s:Client"
    assert detail == problem
    assert message
    assert _count(session) == 0


def test_a_request_without_autentisering_is_a_fault(
    client: FlaskClient, session: Session, mine: Tenant
) -> None:
    data = request_for(mine).replace(b"Autentisering>", b"Annat>")
    code, message, detail = _fault(_post(client, data))
    assert (code, detail) == ("s:Client", "soap_missing")
    assert "Autentisering" in message
    assert _count(session) == 0


@pytest.mark.parametrize("fixture", ["xxe.xml", "billion_laughs.xml"])
def test_dtds_and_entities_are_refused_and_nothing_is_stored(
    client: FlaskClient, session: Session, mine: Tenant, fixture: str
) -> None:
    hostile = (FIXTURES / fixture).read_bytes()
    code, message, detail = _fault(_post(client, hostile))
    assert (code, detail) == ("s:Client", "doctype_refused")
    assert "DTD" in message
    # The same DTD in front of an otherwise valid, authenticated request.
    body = request_for(mine).split(b"?>", 1)[1]
    doctype = b'<!DOCTYPE s:Envelope [<!ENTITY x "y">]>'
    _, _, detail = _fault(_post(client, b'<?xml version="1.0"?>' + doctype + body))
    assert detail == "doctype_refused"
    assert _count(session) == 0


def test_requests_over_the_size_limit_are_faults(
    make_app: AppFactory, session: Session, mine: Tenant
) -> None:
    client = make_app(SOAP_MAX_BYTES=2000).test_client()
    code, message, detail = _fault(_post(client, request_for(mine)))
    assert (code, detail) == ("s:Client", "too_large")
    assert "2000" in message
    assert _count(session) == 0


def test_the_wsdl_describes_the_service(client: FlaskClient) -> None:
    response = client.get(f"{URL}?wsdl")
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    assert root.tag == f"{{{WSDL}}}definitions"
    assert root.get("targetNamespace") == "urn:intyga:soap:arbetsgivarintyg:1"
    schema = root.find(f"{{{WSDL}}}types/{{{XS}}}schema")
    assert schema is not None
    etree.XMLSchema(etree.fromstring(etree.tostring(schema)))  # the types are valid XSD
    certificate = schema.find(f"{{{XS}}}complexType[@name='ApiCertificate']")
    assert certificate is not None
    names = {e.get("name") for e in certificate.iter(f"{{{XS}}}element")}
    assert {"Arbetstagare", "Personnummer", "ArbetadTidManad", "SistaDagMedHeltidsarbete"} <= names
    address = root.find(f".//{{{WSDL}}}port/{{http://schemas.xmlsoap.org/wsdl/soap/}}address")
    assert address is not None
    assert address.get("location") == f"http://localhost{URL}"


def test_without_wsdl_a_get_is_a_fault(client: FlaskClient) -> None:
    assert _fault(client.get(URL))[2] == "wsdl_only"


def test_the_service_needs_no_csrf_token_and_sets_no_cookie(
    client: FlaskClient, mine: Tenant
) -> None:
    response = _post(client, request_for(mine))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
