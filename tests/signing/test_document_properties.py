"""Any valid certificate of either variant, sealed as XML and read back, keeps every field: the
sealed document is the last of the formats a certificate travels through."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from lxml import etree

from signing.document import content_document, read_document
from tests.payroll_adapters.strategies import SETTINGS, certificates
from tests.signing.conftest_seal import make_document


@SETTINGS
@given(certificates())
def test_sealed_xml_round_trip(certificate: tuple[str, dict[str, Any]]) -> None:
    variant, content = certificate
    doc = make_document(content, variant=variant)
    assert read_document(etree.fromstring(content_document(doc))) == doc
