"""The certificate as one XML document: canonical bytes, every field under its Swedish name."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from schemas import XmlName, schema_for, xml_names
from schemas.examples import full_example, income_2025_example
from signing.document import (
    NAMESPACE,
    Akassa,
    DocumentError,
    EidEvidence,
    content_document,
    document_digest,
    evidence_document,
    read_document,
)
from tests.signing.conftest_seal import ISSUED, make_document

NS = {"i": NAMESPACE}
DIGEST = "a" * 64


def evidence(**changes: Any) -> EidEvidence:
    values: dict[str, Any] = {
        "role": "employer",
        "personal_number": "198001011231",
        "name": "Erik Andersson",
        "signed_at": datetime(2025, 7, 1, 9, tzinfo=UTC),
        "order_ref": "131daac9-16c6-4618-beb0-365768f37288",
        "visible_data": "SGVq",
        "document_digest": DIGEST,
        "signature": "PHNpZ25hdHVyZS8+",
        "ocsp_response": "MAA=",
    } | changes
    return EidEvidence(**values)


def elements(root: etree._Element, path: str) -> list[etree._Element]:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [element for element in found if isinstance(element, etree._Element)]


def leaves(data: Any, names: dict[str, XmlName], path: str) -> list[tuple[str, str]]:
    """(XPath, expected text) of every value in `data`, through the schema's XML names."""
    found = []
    for key, value in data.items():
        name = names[key]
        step = path + "".join(f"/i:{part}" for part in name.element.split("/"))
        if isinstance(value, dict):
            found += leaves(value, dict(name.children), step)
        elif isinstance(value, list):
            for index, row in enumerate(value, start=1):
                found += leaves(row, dict(name.children), f"{step}/i:{name.item}[{index}]")
        else:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            found.append((step, text))
    return found


@pytest.mark.parametrize(
    ("variant", "example"), [("full", full_example), ("income_2025", income_2025_example)]
)
def test_every_field_appears_under_its_swedish_name(variant: str, example: Any) -> None:
    content = example()
    root = etree.fromstring(content_document(make_document(content, variant=variant)))
    expected = leaves(content, xml_names(schema_for(variant)), "/i:Arbetsgivarintyg/i:Innehall")
    assert len(expected) > 30
    for xpath, text in expected:
        assert root.xpath(f"string({xpath})", namespaces=NS) == text, xpath
    # Nothing else: as many leaf elements as values.
    assert len(elements(root, "//i:Innehall//*[not(*)]")) == len(expected)


def test_lists_are_repeated_item_elements() -> None:
    root = etree.fromstring(content_document(make_document()))
    months = elements(root, "//i:ArbetadTidManader/i:ArbetadTidManad")
    assert len(months) == 12
    assert [m.findtext("i:Manad", namespaces=NS) for m in months[:2]] == ["7", "8"]
    assert root.xpath("string(//i:ArbetadTidManad[10]/i:ArbetadeTimmar)", namespaces=NS) == "158.50"
    rows = elements(root, "//i:AndraLonetillaggLista/i:AndraLonetillaggRad")
    assert len(rows) == 2


def test_the_header_names_version_variant_time_and_employer() -> None:
    root = etree.fromstring(content_document(make_document(version=3)))
    assert root.tag == f"{{{NAMESPACE}}}Arbetsgivarintyg"
    assert sorted(root.items()) == [
        ("id", "7f0c2d0e-5b1a-4e0e-9a57-3c1f2b6d9e41"),
        ("variant", "full"),
        ("version", "3"),
    ]
    assert root.findtext("i:Utfardat", namespaces=NS) == "2025-07-01T08:30:00+00:00"
    issuer = [(e.tag.split("}")[1], e.text) for e in elements(root, "i:Utfardare/*")]
    assert issuer == [
        ("Namn", "Byggbolaget Demo AB"),
        ("Organisationsnummer", "5599999991"),
        ("ArbetsgivarId", "company-42"),
    ]


def test_income_2025_leaves_out_blocks_j_to_l() -> None:
    data = content_document(make_document(income_2025_example(), variant="income_2025"))
    assert b"<SistaDagMedHeltidsarbete>2025-06-30<" in data
    assert b"ArbetadTid" not in data
    assert b"<Lon>" not in data


def test_the_same_input_gives_the_same_bytes_in_canonical_form() -> None:
    content = full_example()
    shuffled = {key: content[key] for key in reversed(list(content))}
    stockholm = ISSUED.astimezone(timezone(timedelta(hours=2)))
    first = content_document(make_document(content))
    assert content_document(make_document(shuffled)) == first
    assert content_document(replace(make_document(), issued_at=stockholm)) == first
    assert b"\n" not in first  # never pretty-printed
    assert etree.tostring(etree.fromstring(first), method="c14n", exclusive=True) == first
    assert "Byggvägen".encode() in first  # UTF-8, no character references


def test_the_digest_is_sha256_hex_and_moves_with_every_change() -> None:
    doc = make_document()
    digest = document_digest(content_document(doc))
    assert digest == hashlib.sha256(content_document(doc)).hexdigest()
    content = full_example()
    content["worked_time"]["months"][3]["hours_worked"] = "184.01"
    assert document_digest(content_document(make_document(content))) != digest
    assert document_digest(content_document(make_document(version=2))) != digest


def test_the_evidence_document_adds_signatures_and_leaves_the_content_alone() -> None:
    employee = evidence(role="employee", akassa=Akassa("Byggnads a-kassa", "BYGG"))
    doc = replace(make_document(), evidence=[evidence(), employee])
    assert content_document(doc) == content_document(make_document())
    root = etree.fromstring(evidence_document(doc))
    signatures = root.findall("i:Underskrifter/i:Underskrift", namespaces=NS)
    assert [s.findtext("i:Roll", namespaces=NS) for s in signatures] == ["employer", "employee"]
    assert [child.tag.split("}")[1] for child in signatures[1]] == [
        "Roll",
        "Personnummer",
        "Namn",
        "Undertecknat",
        "OrderRef",
        "SynligText",
        "DokumentSammandrag",
        "Signatur",
        "OcspSvar",
        "Akassa",
    ]
    assert signatures[1].findtext("i:Akassa/i:Kod", namespaces=NS) == "BYGG"
    assert signatures[0].find("i:Akassa", namespaces=NS) is None


@pytest.mark.parametrize("with_evidence", [False, True])
def test_reading_gives_the_document_back(with_evidence: bool) -> None:
    doc = replace(make_document(), evidence=[evidence()] if with_evidence else [])
    data = evidence_document(doc) if with_evidence else content_document(doc)
    assert read_document(etree.fromstring(data)) == doc


@pytest.mark.parametrize(
    ("find", "replacement"),
    [
        (b"<Befattning>", b"<Extra/><Befattning>"),  # an element no schema names
        (b'version="1"', b'version="1" extra="x"'),  # an attribute we never write
        (b"<SkickaSMS>true", b"<SkickaSMS>yes"),  # not a boolean
        (b"<Manad>7<", b"<Manad>seven<"),  # not a whole number
        (b'variant="full"', b'variant="other"'),
        (b"<Utfardat>2025-07-01T08:30:00+00:00", b"<Utfardat>2025-07-01 08:30:00+00:00"),
        (b"Arbetsgivarintyg", b"Intyg"),  # another root element
    ],
)
def test_reading_refuses_anything_outside_the_shape(find: bytes, replacement: bytes) -> None:
    data = content_document(make_document())
    assert find in data
    with pytest.raises(DocumentError):
        read_document(etree.fromstring(data.replace(find, replacement)))


def test_content_must_be_what_the_schemas_produce() -> None:
    content = full_example()
    content["employee"]["nickname"] = "Tolle"
    with pytest.raises(ValueError, match="nickname"):
        content_document(make_document(content))
    content = full_example()
    content["salary"]["amount"] = 34500.0
    with pytest.raises(TypeError):
        content_document(make_document(content))


@pytest.mark.parametrize(
    "bad",
    [
        {"signed_at": datetime(2025, 7, 1, 9)},  # noqa: DTZ001 - naive on purpose
        {"document_digest": "A" * 64},
        {"role": "auditor"},
        {"akassa": Akassa("Byggnads a-kassa", "BYGG")},  # only the employee names an a-kassa
        {"role": "employee"},  # ... and the employee must
    ],
)
def test_evidence_is_checked_when_made(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        evidence(**bad)


def test_documents_need_a_known_variant_and_an_aware_time() -> None:
    with pytest.raises(ValueError, match="variant"):
        make_document(variant="short")
    with pytest.raises(ValueError, match="aware"):
        replace(make_document(), issued_at=datetime(2025, 7, 1))  # noqa: DTZ001


xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n\r"),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(position=xml_text, other=xml_text, certificate_id=xml_text)
def test_any_text_round_trips_byte_for_byte(position: str, other: str, certificate_id: str) -> None:
    content = full_example()
    content["employment"]["position"] = position
    content["other_information"] = other
    doc = replace(make_document(content), certificate_id=certificate_id)
    data = content_document(doc)
    assert read_document(etree.fromstring(data)) == doc
    assert content_document(read_document(etree.fromstring(data))) == data
