"""A `SaveArbetsgivarintygService` SOAP request, streamed certificate by certificate.

Yields the sender first (`SoapHeader`: ArbetsgivareId, ApiNyckel, SkickatTidpunkt, AGPVersion) so
the caller can authenticate before storing anything, then one Draft or its problems per
`ApiCertifikat`, a `SoftwareInfo` wherever the request has it, and a Summary. Clients generated
from the original WSDL may put `Autentisering` after the certificates (WCF orders members
alphabetically); certificates read before it are held back until it arrives. Without valid
authentication no draft is yielded at all.
"""

from collections.abc import Iterator
from typing import BinaryIO

from payroll_adapters.model import Item, Problem, SoapHeader, SoftwareInfo
from payroll_adapters.soap_content import CERTIFICATE_NAMES, VARIANT_ELEMENT, read_certificate
from payroll_adapters.summary import Skipped, summarised
from payroll_adapters.validation import draft_or_problems
from payroll_adapters.values import to_datetime
from payroll_adapters.xmlstream import Node, XmlStream, child, child_path, line_of, text
from schemas import VARIANTS

_AUTHENTICATION = "Autentisering"
_SOFTWARE = "SoftwareInfo"
_VERSION = "AGPVersion"


def read_soap(stream: BinaryIO, *, max_bytes: int) -> Iterator[Item]:
    """Header, drafts, problems and software info of one SOAP request, then a Summary."""
    return summarised("soap", _read(stream, max_bytes))


def _read(stream: BinaryIO, max_bytes: int) -> Iterator[Item | Skipped]:
    xml = XmlStream(
        stream,
        max_bytes=max_bytes,
        records={*CERTIFICATE_NAMES, _AUTHENTICATION, _SOFTWARE, _VERSION},
        repeated=CERTIFICATE_NAMES,
    )
    header: SoapHeader | None = None
    version: str | None = None
    held_back: list[Item] = []
    for node in xml:
        if node.name == _VERSION:
            version = text(child(node.element, "Version"))
        elif node.name == _AUTHENTICATION:
            header, problems = _header(node, version)
            if header is None:
                yield from problems
                return
            yield header
            yield from problems
            yield from held_back
            held_back.clear()
        elif node.name == _SOFTWARE:
            yield SoftwareInfo(
                supplier=text(child(node.element, "Supplier")),
                version=text(child(node.element, "Version")),
                build=text(child(node.element, "Build")),
            )
        elif header is None:
            held_back.extend(_certificate(node))
        else:
            yield from _certificate(node)
    if header is None:
        yield Problem("soap_missing", "", params=(_AUTHENTICATION,), fatal=True)


def _header(node: Node, version: str | None) -> tuple[SoapHeader | None, list[Problem]]:
    """The sender (None when it cannot be identified, with fatal problems saying why)."""
    values = {name: child(node.element, name) for name in ("ArbetsgivareId", "ApiNyckel")}
    missing = [
        Problem(
            "soap_missing",
            child_path(node.path, node.element, element) if element is not None else node.path,
            line=node.line,
            params=(name,),
            fatal=True,
        )
        for name, element in values.items()
        if text(element) is None
    ]
    if missing:
        return None, missing
    sent = child(node.element, "SkickatTidpunkt")
    sent_text = text(sent)
    sent_at = to_datetime(sent_text) if sent_text else None
    problems = []
    if sent is not None and sent_text and sent_at is None:
        where = child_path(node.path, node.element, sent)
        problems.append(Problem("soap_invalid_datetime", where, line=line_of(sent)))
    header = SoapHeader(
        employer_id=text(values["ArbetsgivareId"]) or "",
        api_key=text(values["ApiNyckel"]) or "",
        sent_at=sent_at,
        version=version,
        pointer=node.path,
        line=node.line,
    )
    return header, problems


def _certificate(node: Node) -> list[Item]:
    read = read_certificate(node.element, pointer=node.path, line=node.line)
    if read.variant not in VARIANTS:
        return [
            Problem(
                "invalid_choice",
                f"{node.path}/{VARIANT_ELEMENT}",
                line=node.line,
                params=(", ".join(VARIANTS),),
                field="variant",
            )
        ]
    result = draft_or_problems(
        format_name="soap",
        variant=read.variant,
        raw=read.content,
        origins=read.origins,
        warnings=read.warnings,
    )
    return [*result] if isinstance(result, list) else [result]
