"""Our WSDL for the SOAP endpoint, made from the certificate schemas.

The original service's WSDL is not public, so we publish our own, in our own target namespace
(`envelope.TARGET_NAMESPACE`). The `ApiCertificate` type is generated from the same field specs
the adapter reads by (`payroll_adapters.fieldspec`), so the WSDL follows every schema change.
Elements within a block are an `xs:all`: the service matches them by local name, in any order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from app.soap.envelope import OPERATION, TARGET_NAMESPACE
from payroll_adapters.fieldspec import Spec, specs
from schemas import VARIANTS

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
TNS = TARGET_NAMESPACE
SOAP_ACTION = f"{TNS}/{OPERATION}"
XS_TYPES = {
    "text": "xs:string",
    "choice": "xs:string",
    "flag": "xs:boolean",
    "date": "xs:dateTime",
    "whole": "xs:int",
    "number": "xs:decimal",
}
DOCUMENTATION = f"""\
Intyga's SaveArbetsgivarintygService, compatible with the payroll integration of
Arbetsgivarintyg.nu. Target namespace {TNS}; requests are matched by local name, so a client
generated from the original WSDL works too, and the answer uses the request's namespaces.
Authentication: Autentisering/ArbetsgivareId (the company's employer id) and ApiNyckel (one of
its API keys). ImportResponse/ResultCode: 0 = every certificate is stored as a draft;
1 = some certificates were refused or left alone (see CertificateResults); 2 = ArbetsgivareId
and ApiNyckel do not match a live API key, nothing was stored. One ApiImportCertificateResult
per ApiCertifikat, in the order sent: Code 0 = its draft holds what was sent (Certificate = its
id; Message says whether it was created, updated, or already held it unchanged), 1 = refused,
or sent again with other content after it was signed and left as it is (Message says why).
A certificate sent again (the same employment, or the same content) is matched to its draft.
A request that is not well-formed XML, holds a DTD or entities, is too large or lacks
Autentisering is answered with a SOAP fault and nothing is stored. ApiCertificate/Variant
(Intyga's extension): full (default) or income_2025."""

Tree = dict[str, Any]


def _merge(tree: Tree, fields: Iterable[Spec]) -> None:
    """Insert specs by their element paths ("A/B" nests B in A); variants share blocks."""
    for spec in fields:
        *wrappers, last = spec.xml.element.split("/")
        node = tree
        for wrapper in wrappers:
            node = node.setdefault(wrapper, {"children": {}})["children"]
        entry = node.setdefault(last, {"kind": spec.kind, "item": spec.xml.item, "children": {}})
        _merge(entry["children"], spec.children)


def _elements(parent: etree._Element, tree: Tree) -> None:
    group = etree.SubElement(parent, f"{{{XS}}}all")
    for name, entry in tree.items():
        element = etree.SubElement(
            group, f"{{{XS}}}element", name=name, minOccurs="0", nillable="true"
        )
        kind = entry.get("kind", "block")
        if kind == "rows":
            rows = etree.SubElement(
                etree.SubElement(element, f"{{{XS}}}complexType"), f"{{{XS}}}sequence"
            )
            item = etree.SubElement(
                rows, f"{{{XS}}}element", name=entry["item"], minOccurs="0", maxOccurs="unbounded"
            )
            _elements(etree.SubElement(item, f"{{{XS}}}complexType"), entry["children"])
        elif kind == "block":
            _elements(etree.SubElement(element, f"{{{XS}}}complexType"), entry["children"])
        else:
            element.set("type", XS_TYPES[kind])


def _complex(
    schema: etree._Element, name: str, members: list[tuple[str, str, dict[str, str]]]
) -> None:
    kind = etree.SubElement(schema, f"{{{XS}}}complexType", name=name)
    sequence = etree.SubElement(kind, f"{{{XS}}}sequence")
    for member, type_, extra in members:
        attributes = {"name": member, "type": type_, "minOccurs": "0", **extra}
        etree.SubElement(sequence, f"{{{XS}}}element", attrib=attributes)


def _types(definitions: etree._Element) -> None:
    schema = etree.SubElement(
        etree.SubElement(definitions, f"{{{WSDL}}}types"),
        f"{{{XS}}}schema",
        targetNamespace=TNS,
        elementFormDefault="qualified",
    )
    for element, member, type_ in (
        (OPERATION, "request", "tns:ArbetsgivarintygServiceRequest"),
        (f"{OPERATION}Response", f"{OPERATION}Result", "tns:ArbetsgivarintygServiceResponse"),
    ):
        wrapper = etree.SubElement(schema, f"{{{XS}}}element", name=element)
        sequence = etree.SubElement(
            etree.SubElement(wrapper, f"{{{XS}}}complexType"), f"{{{XS}}}sequence"
        )
        etree.SubElement(sequence, f"{{{XS}}}element", name=member, type=type_, minOccurs="0")
    unbounded = {"maxOccurs": "unbounded"}
    _complex(schema, "ArbetsgivarintygServiceRequest", [("ImportRequest", "tns:ImportRequest", {})])
    _complex(
        schema,
        "ImportRequest",
        [
            ("AGPVersion", "tns:AGPVersion", {}),
            ("Arbetsgivarintyg", "tns:ArrayOfApiCertificate", {}),
            ("Autentisering", "tns:Autentisering", {}),
            ("SoftwareInfo", "tns:SoftwareInfo", {}),
        ],
    )
    _complex(schema, "AGPVersion", [("Version", "xs:string", {})])
    _complex(
        schema,
        "Autentisering",
        [
            ("ApiNyckel", "xs:string", {}),
            ("ArbetsgivareId", "xs:string", {}),
            ("SkickatTidpunkt", "xs:dateTime", {}),
        ],
    )
    _complex(schema, "ArrayOfApiCertificate", [("ApiCertifikat", "tns:ApiCertificate", unbounded)])
    _complex(
        schema,
        "SoftwareInfo",
        [("Build", "xs:string", {}), ("Supplier", "xs:string", {}), ("Version", "xs:string", {})],
    )
    certificate = etree.SubElement(schema, f"{{{XS}}}complexType", name="ApiCertificate")
    tree: Tree = {"Variant": {"kind": "choice", "children": {}}}
    for variant in VARIANTS:
        _merge(tree, specs(variant))
    _elements(certificate, tree)
    _complex(
        schema, "ArbetsgivarintygServiceResponse", [("ImportResponse", "tns:ImportResponse", {})]
    )
    _complex(
        schema,
        "ImportResponse",
        [
            ("ResultCode", "xs:int", {}),
            ("ResultMessage", "xs:string", {}),
            ("CertificateResults", "tns:ArrayOfApiImportCertificateResult", {}),
        ],
    )
    _complex(
        schema,
        "ArrayOfApiImportCertificateResult",
        [("ApiImportCertificateResult", "tns:ApiImportCertificateResult", unbounded)],
    )
    _complex(
        schema,
        "ApiImportCertificateResult",
        [("Certificate", "xs:string", {}), ("Code", "xs:int", {}), ("Message", "xs:string", {})],
    )


def wsdl(location: str) -> bytes:
    """The WSDL 1.1 document, with the endpoint at `location`."""
    definitions = etree.Element(
        f"{{{WSDL}}}definitions",
        nsmap={"wsdl": WSDL, "soap": WSDL_SOAP, "xs": XS, "tns": TNS},
        name="ArbetsgivarintygService",
        targetNamespace=TNS,
    )
    etree.SubElement(definitions, f"{{{WSDL}}}documentation").text = DOCUMENTATION
    _types(definitions)
    for message, element in (("Request", OPERATION), ("Response", f"{OPERATION}Response")):
        etree.SubElement(
            etree.SubElement(definitions, f"{{{WSDL}}}message", name=f"{OPERATION}{message}"),
            f"{{{WSDL}}}part",
            name="parameters",
            element=f"tns:{element}",
        )
    port_type = etree.SubElement(
        definitions, f"{{{WSDL}}}portType", name="IArbetsgivarintygService"
    )
    operation = etree.SubElement(port_type, f"{{{WSDL}}}operation", name=OPERATION)
    etree.SubElement(operation, f"{{{WSDL}}}input", message=f"tns:{OPERATION}Request")
    etree.SubElement(operation, f"{{{WSDL}}}output", message=f"tns:{OPERATION}Response")
    binding = etree.SubElement(
        definitions,
        f"{{{WSDL}}}binding",
        name="BasicHttpBinding_IArbetsgivarintygService",
        type="tns:IArbetsgivarintygService",
    )
    etree.SubElement(
        binding, f"{{{WSDL_SOAP}}}binding", transport="http://schemas.xmlsoap.org/soap/http"
    )
    bound = etree.SubElement(binding, f"{{{WSDL}}}operation", name=OPERATION)
    etree.SubElement(bound, f"{{{WSDL_SOAP}}}operation", soapAction=SOAP_ACTION, style="document")
    for direction in ("input", "output"):
        etree.SubElement(
            etree.SubElement(bound, f"{{{WSDL}}}{direction}"), f"{{{WSDL_SOAP}}}body", use="literal"
        )
    service = etree.SubElement(definitions, f"{{{WSDL}}}service", name="ArbetsgivarintygService")
    port = etree.SubElement(
        service,
        f"{{{WSDL}}}port",
        name="BasicHttpBinding_IArbetsgivarintygService",
        binding="tns:BasicHttpBinding_IArbetsgivarintygService",
    )
    etree.SubElement(port, f"{{{WSDL_SOAP}}}address", location=location)
    return bytes(
        etree.tostring(definitions, xml_declaration=True, encoding="utf-8", pretty_print=True)
    )
