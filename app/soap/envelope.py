"""SOAP 1.1 envelopes we write: the ImportResponse and faults.

The response is written in the namespaces the request used (the operation's and the data
contract's), so a client generated from the original service's WSDL reads it as well as one
generated from ours.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, cast

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TARGET_NAMESPACE = "urn:intyga:soap:arbetsgivarintyg:1"
OPERATION = "SaveArbetsgivarintygService"
CONTENT_TYPE = "text/xml; charset=utf-8"


@dataclass(frozen=True)
class Namespaces:
    """Where the request put the operation element and the data (`ImportRequest` and below)."""

    operation: str | None = TARGET_NAMESPACE
    data: str | None = TARGET_NAMESPACE


@dataclass(frozen=True)
class Row:
    """One `ApiImportCertificateResult`."""

    certificate: str
    code: int
    message: str


def namespaces_of(data: bytes) -> Namespaces:
    """The request's namespaces, read only after the adapter accepted the document (no DTD).

    Stops at `ImportRequest`; a request that names none gets ours."""
    parser = etree.iterparse(
        io.BytesIO(data),
        events=("start",),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )
    operation: str | None = TARGET_NAMESPACE
    try:
        for _event, element in parser:
            name = etree.QName(element)
            if name.localname == OPERATION:
                operation = name.namespace
            elif name.localname == "ImportRequest":
                return Namespaces(operation, name.namespace)
    except etree.XMLSyntaxError:
        pass
    return Namespaces(operation, operation)


def _envelope() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"s": SOAP_ENV})
    return root, etree.SubElement(root, f"{{{SOAP_ENV}}}Body")


def _name(namespace: str | None, local: str) -> str:
    return f"{{{namespace}}}{local}" if namespace else local


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def import_response(namespaces: Namespaces, *, code: int, message: str, rows: list[Row]) -> bytes:
    root, body = _envelope()
    op, data = namespaces.operation, namespaces.data
    nsmap = cast(Any, {None: op}) if op else None
    response = etree.SubElement(body, _name(op, f"{OPERATION}Response"), nsmap=nsmap)
    result = etree.SubElement(response, _name(op, f"{OPERATION}Result"))
    answer = etree.SubElement(result, _name(data, "ImportResponse"))
    etree.SubElement(answer, _name(data, "ResultCode")).text = str(code)
    etree.SubElement(answer, _name(data, "ResultMessage")).text = message
    listed = etree.SubElement(answer, _name(data, "CertificateResults"))
    for row in rows:
        item = etree.SubElement(listed, _name(data, "ApiImportCertificateResult"))
        etree.SubElement(item, _name(data, "Certificate")).text = row.certificate
        etree.SubElement(item, _name(data, "Code")).text = str(row.code)
        etree.SubElement(item, _name(data, "Message")).text = row.message
    return _bytes(root)


def fault(code: str, message: str, *, detail: str, lang: str) -> bytes:
    """A SOAP 1.1 fault: `code` is "Client" (the request is at fault) or "Server"."""
    root, body = _envelope()
    element = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(element, "faultcode").text = f"s:{code}"
    reason = etree.SubElement(element, "faultstring")
    reason.text = message
    reason.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    details = etree.SubElement(element, "detail")
    problem = etree.SubElement(
        details, f"{{{TARGET_NAMESPACE}}}Problem", nsmap=cast(Any, {None: TARGET_NAMESPACE})
    )
    problem.text = detail
    return _bytes(root)
