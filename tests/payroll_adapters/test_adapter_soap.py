"""The SOAP request: sender first, certificates by local name, values as the service writes them."""

import pytest
from lxml import etree

from payroll_adapters import SoapHeader, SoftwareInfo, content_from_xml, content_to_xml
from payroll_adapters.xmlstream import local
from schemas import load_content, schema_for, xml_names
from schemas.examples import full_example, income_2025_example
from tests.payroll_adapters.support import (
    drafts,
    envelope,
    fixture,
    only,
    problems,
    read,
    summary,
)

CERTIFICATES = "/Envelope/Body/SaveArbetsgivarintygService/request/ImportRequest/Arbetsgivarintyg"


def _line_of(text: str) -> int:
    """The fixture line holding `text`."""
    lines = fixture("soap_request.xml").decode().splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_the_sender_comes_first_even_when_the_client_sends_it_last() -> None:
    items = read("soap", fixture("soap_request.xml"))
    header = items[0]
    assert isinstance(header, SoapHeader)
    assert (header.employer_id, header.api_key, header.version) == (
        "ftg4431",
        "3f9c1e2a-demo-key",
        "1",
    )
    assert header.sent_at is not None
    assert header.sent_at.isoformat() == "2025-07-01T09:30:00+02:00"
    assert header.line == _line_of("<a:Autentisering>")
    assert "3f9c1e2a" not in repr(header)
    assert only(items, SoftwareInfo) == [SoftwareInfo("Demolön AB", "5.2", "1234")]
    assert summary(items).drafts == 2


def test_values_are_read_as_the_service_writes_them() -> None:
    first = drafts(read("soap", fixture("soap_request.xml")))[0]
    content = first.content
    assert first.pointer == f"{CERTIFICATES}/ApiCertifikat[1]"
    assert first.complete
    assert first.variant == "full"
    assert content["employment"]["period"] == {"start": "2019-03-01", "end": "2025-06-30"}
    assert content["employment"]["still_employed"] is False  # "0"
    assert content["worked_time"]["sick_pay"] is True  # "1"
    assert content["employee"]["personnummer"] == "191212121212"
    assert content["employee"]["phone"] == "0701234567"
    assert content["employer"]["organisation_number"] == "5599999991"
    assert content["employer"]["address"]["postal_code"] == "12345"
    assert content["continued_work_offer"] == {"offer_exists": False}  # "Ingen" is no choice
    assert "leaves" not in content["employment"]  # xsi:nil
    assert [row["hours_worked"] for row in content["worked_time"]["months"]] == [
        "158.50",
        "152.00",
        "160.00",
    ]
    assert content["other_information"] == "Uppsagd på grund av arbetsbrist."
    assert "soap_unknown_element:Utskriftsdatum" in first.warnings


def test_a_bad_certificate_is_reported_at_its_elements_and_the_rest_imported() -> None:
    items = read("soap", fixture("soap_request.xml"))
    found = {(problem.pointer, problem.line, problem.field) for problem in problems(items)}
    second = f"{CERTIFICATES}/ApiCertifikat[2]"
    assert found == {
        (
            f"{second}/Arbetstagare/Personnummer",
            _line_of("191212121213"),
            "employee.personnummer",
        ),
        (
            f"{second}/ArbetadTid/ArbetadTidManader/ArbetadTidManad/Manad",
            _line_of("<a:Manad>12</a:Manad>"),
            "worked_time.months.0.month",
        ),
    }
    third = drafts(items)[1]
    assert third.pointer == f"{CERTIFICATES}/ApiCertifikat[3]"
    assert third.variant == "income_2025"
    assert third.content["employment"]["period"] == {"start": "2022-08-15"}
    assert third.content["employment"]["last_full_time_day"] == "2025-09-30"


@pytest.mark.parametrize("missing", ["ApiNyckel", "ArbetsgivareId"])
def test_without_credentials_nothing_is_imported(missing: str) -> None:
    data = (
        fixture("soap_request.xml")
        .replace(f"<a:{missing}>".encode(), b"<a:X>")
        .replace(f"</a:{missing}>".encode(), b"</a:X>")
    )
    items = read("soap", data)
    assert not drafts(items)
    assert not only(items, SoapHeader)
    (problem,) = problems(items)
    assert (problem.code, problem.params, problem.fatal) == ("soap_missing", (missing,), True)


def test_without_authentication_nothing_is_imported() -> None:
    certificate = content_to_xml(load_content(full_example(), "full"))
    data = envelope([certificate]).replace(b"Autentisering", b"Annat")
    items = read("soap", data)
    assert not drafts(items)
    assert [problem.params for problem in problems(items)] == [("Autentisering",)]


def test_a_malformed_send_time_is_reported_without_blocking() -> None:
    data = fixture("soap_request.xml").replace(b"2025-07-01T09:30:00+02:00", b"yesterday")
    items = read("soap", data)
    assert only(items, SoapHeader)[0].sent_at is None
    assert next(problem.code for problem in problems(items)) == "soap_invalid_datetime"
    assert len(drafts(items)) == 2


def test_an_unknown_variant_is_named() -> None:
    certificate = content_to_xml(load_content(full_example(), "full"))
    etree.SubElement(certificate, "Variant").text = "2026"
    (problem,) = problems(read("soap", envelope([certificate])))
    assert (problem.code, problem.field) == ("invalid_choice", "variant")
    assert problem.pointer.endswith("ApiCertifikat[1]/Variant")


@pytest.mark.parametrize("namespace", [None, "urn:intyga:soap", "http://tempuri.org/"])
@pytest.mark.parametrize("tag", ["ApiCertifikat", "ApiCertificate"])
def test_elements_match_by_local_name_in_any_namespace(namespace: str | None, tag: str) -> None:
    content = load_content(full_example(), "full")
    element = content_to_xml(content, tag=tag, namespace=namespace)
    assert load_content(content_from_xml(element), "full") == content
    (draft,) = drafts(read("soap", envelope([element])))
    assert draft.content == content


def test_the_authentication_position_does_not_change_the_drafts() -> None:
    elements = [
        content_to_xml(load_content(full_example(), "full")),
        content_to_xml(load_content(income_2025_example(), "income_2025"), "income_2025"),
    ]
    first = read("soap", envelope(elements, authentication_first=True))
    last = read("soap", envelope(elements, authentication_first=False))
    assert drafts(first) == drafts(last)
    assert isinstance(last[0], SoapHeader)


def test_the_inverse_writes_the_service_names_from_the_schemas() -> None:
    content = load_content(full_example(), "full")
    element = content_to_xml(content)
    names = xml_names(schema_for("full"))
    months = names["worked_time"].children["months"]
    rows = element.find(f"{names['worked_time'].element}/{months.element}")
    assert rows is not None
    assert [local(row) for row in rows] == [str(months.item)] * 12
    assert element.findtext("Anstallning/AnstallningstidPeriod/Start") == "2019-03-01T00:00:00"
    assert element.findtext("OvrigUpplysning/OvrigUpplysning") == content["other_information"]
    assert element.findtext("Arbetstagare/SkickaSMS") == "true"
    assert element.find("Variant") is None
