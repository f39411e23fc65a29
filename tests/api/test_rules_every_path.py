"""Every rule of `schemas.rules` on every path that takes content: the REST API, the SOAP service,
the import formats (JSON, CSV) and the web form, and signing after them. A certificate that
breaks one rule is refused by each path with that rule's code, or (for rules that wait for the
full certificate) saved as a draft that cannot be signed; a warning travels with the draft."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import Certificate
from app.employer import certificate_form as cf
from app.employer.form_spec import Situation
from app.errors import InvalidContent
from payroll_adapters import Draft, content_to_xml, dump_json, to_csv
from payroll_adapters.validation import error_leaves
from schemas.messages import CATALOG
from tests import factories as f
from tests import web
from tests.api.conftest import Tenant
from tests.conftest import LiveBankID
from tests.payroll_adapters.support import drafts, envelope, problems, read
from tests.rule_cases import BREAKERS, Breaker, example

SETTINGS = settings(max_examples=3, deadline=None)
# Through HTTP each example costs a request (and the form a BankID login): fewer of them.
HTTP = settings(
    max_examples=1,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ERRORS = [pytest.param(b, id=b.code) for b in BREAKERS if b.severity == "error"]
DRAFT_ERRORS = [
    pytest.param(b, id=b.code) for b in BREAKERS if b.severity == "error" and b.in_drafts
]
LATER_ERRORS = [
    pytest.param(b, id=b.code) for b in BREAKERS if b.severity == "error" and not b.in_drafts
]
WARNINGS = [pytest.param(b, id=b.code) for b in BREAKERS if b.severity == "warning"]


def _case(data: st.DataObject, breaker: Breaker) -> tuple[str, dict[str, Any], str]:
    variant = data.draw(st.sampled_from(breaker.variants))
    content = example(variant)
    content["employee"]["personnummer"] = f.EMPLOYEE_PNR
    return variant, content, breaker.change(content, data.draw)


def _text(code: str) -> str:
    """The start of the rule's Swedish message, before any value is filled in."""
    return CATALOG[code]["sv"].split("{")[0][:40]


def _rowless(field: str | None) -> str:
    return re.sub(r"\.\d+\.", ".#.", field or "")


# --- the import formats: JSON (also the REST body), CSV and SOAP share the adapters ----------


# CSV has one column per month, so it cannot say a month twice.
CANNOT_CARRY = {"duplicate_month": {"csv"}}


def _read_all(code: str, variant: str, content: dict[str, Any]) -> dict[str, list[Any]]:
    documents = {
        "json": dump_json([{"variant": variant, **content}]),
        "csv": to_csv([(variant, content, [])]).encode(),
        "soap": envelope([content_to_xml(content, variant)]),
    }
    return {
        name: list(read(name, document))
        for name, document in documents.items()
        if name not in CANNOT_CARRY.get(code, set())
    }


@pytest.mark.parametrize("breaker", DRAFT_ERRORS)
@SETTINGS
@given(data=st.data())
def test_import_formats_refuse_the_record_with_the_code(breaker: Breaker, data: Any) -> None:
    variant, content, field = _case(data, breaker)
    for name, items in _read_all(breaker.code, variant, content).items():
        assert not drafts(items), name
        # A format may hold rows in its own order (CSV sorts the months): the row may differ.
        found = {(problem.code, _rowless(problem.field)) for problem in problems(items)}
        assert found == {(breaker.code, _rowless(field))}, name


@pytest.mark.parametrize("breaker", LATER_ERRORS)
@SETTINGS
@given(data=st.data())
def test_import_formats_keep_an_unfinished_draft(breaker: Breaker, data: Any) -> None:
    variant, content, _field = _case(data, breaker)
    for name, items in _read_all(breaker.code, variant, content).items():
        (draft,) = drafts(items)
        assert not draft.complete, name


@pytest.mark.parametrize("breaker", WARNINGS)
@SETTINGS
@given(data=st.data())
def test_import_formats_carry_the_warning(breaker: Breaker, data: Any) -> None:
    variant, content, _field = _case(data, breaker)
    for name, items in _read_all(breaker.code, variant, content).items():
        (draft,) = drafts(items)
        assert isinstance(draft, Draft)
        assert [key.split(":")[0] for key in draft.warnings] == [breaker.code], name


# --- REST --------------------------------------------------------------------------------


@pytest.mark.parametrize("breaker", ERRORS + WARNINGS)
@HTTP
@given(data=st.data())
def test_rest_api(
    client: FlaskClient, session: Session, w: f.World, mine: Tenant, breaker: Breaker, data: Any
) -> None:
    variant, content, field = _case(data, breaker)
    response = client.post(
        "/api/v1/certificates",
        json={"variant": variant, **content},
        headers=mine.headers,
    )
    if breaker.severity == "error" and breaker.in_drafts:
        assert response.status_code == 422, response.get_data(as_text=True)
        body = response.json
        assert body is not None
        pointer = "/" + field.replace(".", "/")
        assert [(e["code"], e["pointer"]) for e in body["errors"]] == [(breaker.code, pointer)]
        return
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    assert body is not None
    (made,) = body["certificates"]
    if breaker.severity == "warning":
        pointer = "/" + field.replace(".", "/")
        assert [(w["code"], w["pointer"]) for w in made["warnings"]] == [(breaker.code, pointer)]
        assert made["warnings"][0]["detail"].startswith(_text(breaker.code))
        return
    assert made["complete"] is False
    certificate = session.get(Certificate, uuid.UUID(made["id"]))
    assert certificate is not None
    with pytest.raises(InvalidContent) as refused:
        certificates.ready_to_sign(session, certificate, w.certifier)
    codes = {key.split(":")[0] for _path, key in error_leaves(refused.value.errors)}
    assert codes == {breaker.code}


# --- SOAP over HTTP -------------------------------------------------------------------------


@pytest.mark.parametrize("breaker", DRAFT_ERRORS)
@HTTP
@given(data=st.data())
def test_soap_service(client: FlaskClient, mine: Tenant, breaker: Breaker, data: Any) -> None:
    variant, content, _field = _case(data, breaker)
    request = envelope([content_to_xml(content, variant)])
    request = request.replace(b"key-123", mine.key.encode())
    request = request.replace(b"ftg4431", mine.company.employer_id.encode())
    response = client.post(
        "/HR_SystemService/ArbetsgivarintygService.svc",
        data=request,
        content_type="text/xml; charset=utf-8",
        headers={"SOAPAction": '"urn:intyga:soap:arbetsgivarintyg:1/SaveArbetsgivarintygService"'},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    result = etree.fromstring(response.data).find(".//{*}ApiImportCertificateResult")
    assert result is not None
    assert result.findtext("{*}Code") == "1"
    assert _text(breaker.code) in str(result.findtext("{*}Message"))


# --- the web form ---------------------------------------------------------------------------


@pytest.mark.parametrize("breaker", DRAFT_ERRORS)
@HTTP
@given(data=st.data())
def test_web_form(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    breaker: Breaker,
    data: Any,
) -> None:
    variant, content, field = _case(data, breaker)
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    values, counts = cf.from_content(content)
    form = values | {cf.row_count_name(table): str(n) for table, n in counts.items()}
    before = len(session.scalars(select(Certificate)).all())
    new = "/arbetsgivare/intyg/nytt"
    response = web.post(client, new, form_page=new, variant=variant, action="save", **form)
    if field not in cf.field_paths(Situation.of(variant, values), counts):
        # The form does not even show the field here (offer details without an offer): it
        # cannot say the contradiction, and what it saves has none.
        assert response.status_code == 302
        return
    assert response.status_code == 422
    assert _text(breaker.code) in response.get_data(as_text=True)
    assert len(session.scalars(select(Certificate)).all()) == before
