"""Warnings over HTTP as errors are: the REST answer gives each warning's stable code, its JSON
pointer and its text in the Accept-Language asked (Swedish unless English), and the SOAP answer
says the warnings in words beside what became of the certificate."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree

from payroll_adapters import content_to_xml
from schemas.examples import full_example
from tests.api.conftest import Tenant
from tests.payroll_adapters.support import envelope

SOAP = "/HR_SystemService/ArbetsgivarintygService.svc"
ACTION = '"urn:intyga:soap:arbetsgivarintyg:1/SaveArbetsgivarintygService"'

SAME_HOURS = {
    "sv": "Samma antal timmar i alla månader. Ange de faktiskt arbetade timmarna, inte ett "
    "genomsnitt.",
    "en": "The same hours in every month. Give the hours actually worked, not an average.",
}
CENTURY = {
    "sv": "Personnumret angavs med tio siffror, så födelseåret 1912 är antaget",
    "en": "The personal identity number had ten digits, so the birth year 1912 is assumed",
}


def _doubtful() -> dict[str, Any]:
    """Content that is valid but has two warnings: an assumed century, the same hours in every
    month."""
    content = full_example()
    content["employee"]["personnummer"] = "121212+1212"
    for month in content["worked_time"]["months"]:
        month["hours_worked"] = "160.00"
    return content


@pytest.mark.parametrize(
    ("accept", "language"), [(None, "sv"), ("sv-SE", "sv"), ("en-GB,en;q=0.9", "en")]
)
def test_rest_warnings_have_code_pointer_and_text(
    client: FlaskClient, mine: Tenant, accept: str | None, language: str
) -> None:
    headers = mine.headers | ({"Accept-Language": accept} if accept else {})
    response = client.post(
        "/api/v1/certificates", json={"variant": "full", **_doubtful()}, headers=headers
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    assert body is not None
    (made,) = body["certificates"]
    century, same = made["warnings"]
    assert century["code"] == "century_assumed"
    assert century["key"] == "century_assumed:1912"
    assert century["pointer"] == "/employee/personnummer"
    assert century["detail"].startswith(CENTURY[language])
    assert same == {
        "code": "identical_months",
        "key": "identical_months",
        "pointer": "/worked_time/months",
        "detail": SAME_HOURS[language],
    }


def test_a_certificate_without_warnings_has_none(client: FlaskClient, mine: Tenant) -> None:
    response = client.post(
        "/api/v1/certificates", json={"variant": "full", **full_example()}, headers=mine.headers
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    assert body is not None
    assert body["certificates"][0]["warnings"] == []


@pytest.mark.parametrize(("accept", "language"), [(None, "sv"), ("en", "en")])
def test_soap_says_the_warnings_in_words(
    client: FlaskClient, mine: Tenant, accept: str | None, language: str
) -> None:
    request = envelope([content_to_xml(_doubtful(), "full")])
    request = request.replace(b"key-123", mine.key.encode())
    request = request.replace(b"ftg4431", mine.company.employer_id.encode())
    headers = {"SOAPAction": ACTION} | ({"Accept-Language": accept} if accept else {})
    response = client.post(
        SOAP, data=request, content_type="text/xml; charset=utf-8", headers=headers
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    result = etree.fromstring(response.data).find(".//{*}ApiImportCertificateResult")
    assert result is not None
    assert result.findtext("{*}Code") == "0"
    lines = str(result.findtext("{*}Message")).splitlines()
    word = {"sv": "Varning", "en": "Warning"}[language]
    saved = {"sv": "Utkastet är sparat.", "en": "The draft is saved."}[language]
    assert lines[0] == saved
    assert lines[1].startswith(f"{word}: employee.personnummer: {CENTURY[language]}")
    assert lines[2] == f"{word}: worked_time.months: {SAME_HOURS[language]}"
