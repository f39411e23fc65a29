"""Identity through HTTP: the REST API, the SOAP service and the web form assume a century by
Skatteverket's rule and say so, accept a samordningsnummer, and refuse a person with neither
number with the message that says what is needed."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from lxml import etree

from app.employer import certificate_form as cf
from payroll_adapters import content_to_xml
from schemas.examples import full_example
from tests import factories as f
from tests import web
from tests.api.conftest import Tenant
from tests.conftest import LiveBankID
from tests.payroll_adapters.support import envelope

SOAP = "/HR_SystemService/ArbetsgivarintygService.svc"
ACTION = '"urn:intyga:soap:arbetsgivarintyg:1/SaveArbetsgivarintygService"'


def _post(client: FlaskClient, mine: Tenant, content: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/certificates", json={"variant": "full", **content}, headers=mine.headers
    )


def _soap(client: FlaskClient, mine: Tenant, content: dict[str, Any]) -> etree._Element:
    request = envelope([content_to_xml(content, "full")])
    request = request.replace(b"key-123", mine.key.encode())
    request = request.replace(b"ftg4431", mine.company.employer_id.encode())
    response = client.post(
        SOAP, data=request, content_type="text/xml; charset=utf-8", headers={"SOAPAction": ACTION}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    result = etree.fromstring(response.data).find(".//{*}ApiImportCertificateResult")
    assert result is not None
    return result


def test_rest_assumes_the_century_and_says_so(client: FlaskClient, mine: Tenant) -> None:
    content = full_example()
    content["employee"]["personnummer"] = "121212+1212"
    response = _post(client, mine, content)
    assert response.status_code == 201, response.get_data(as_text=True)
    (made,) = response.json["certificates"]
    assert {"code": "century_assumed", "key": "century_assumed:1912"}.items() <= made["warnings"][
        0
    ].items()
    assert made["warnings"][0]["pointer"] == "/employee/personnummer"


def test_rest_refuses_a_person_without_a_number(client: FlaskClient, mine: Tenant) -> None:
    content = full_example()
    del content["employee"]["personnummer"]
    response = _post(client, mine, content)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert [(e["code"], e["pointer"]) for e in errors] == [
        ("personnummer_required", "/employee/personnummer")
    ]
    assert "Skatteverket" in errors[0]["detail"] or "Tax Agency" in errors[0]["detail"]


def test_soap_takes_a_samordningsnummer_and_refuses_none(client: FlaskClient, mine: Tenant) -> None:
    content = full_example()
    content["employee"]["personnummer"] = "197010632391"
    assert _soap(client, mine, content).findtext("{*}Code") == "0"
    del content["employee"]["personnummer"]
    refused = _soap(client, mine, content)
    assert refused.findtext("{*}Code") == "1"
    assert "samordningsnummer" in str(refused.findtext("{*}Message"))


def test_web_form_says_the_century_was_assumed(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    content = full_example()
    content["employee"]["personnummer"] = "121212+1212"
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    values, counts = cf.from_content(content)
    form = values | {cf.row_count_name(table): str(n) for table, n in counts.items()}
    new = "/arbetsgivare/intyg/nytt"
    response = web.post(client, new, form_page=new, variant="full", action="save", **form)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "födelseåret 1912 är antaget" in page
