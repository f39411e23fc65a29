"""One `ApiCertifikat` (type `ApiCertificate`) element to certificate content and back.

Element names come from `schemas.xml_names` (through `fieldspec`), never from a list of our own.
Elements are matched by local name in any namespace. What the service writes is read as the
schemas expect it: xs:dateTime becomes a date, "true"/"false"/"1"/"0" booleans, and the
placeholder codes "Ingen"/"Inget" mean that nothing was chosen.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from lxml import etree

from payroll_adapters.fieldspec import Spec, specs
from payroll_adapters.validation import Location, Origins, Path
from payroll_adapters.values import date_part, to_flag
from payroll_adapters.xmlstream import child, child_path, elements, line_of, local, named, text
from schemas import VARIANTS

CERTIFICATE_NAMES = ("ApiCertifikat", "ApiCertificate")
# Intyga's extension naming the variant; the original service knows only `full`.
VARIANT_ELEMENT = "Variant"
DEFAULT_VARIANT = "full"
_NOT_GIVEN = ("Ingen", "Inget")


@dataclass(frozen=True)
class SoapCertificate:
    """Raw content read from one element, with where each value was and what was not read."""

    variant: str
    content: dict[str, Any]
    origins: Origins
    warnings: tuple[str, ...]


def variant_of(element: etree._Element) -> str:
    """The variant an ApiCertificate declares; `full` when it declares none."""
    return text(child(element, VARIANT_ELEMENT)) or DEFAULT_VARIANT


def content_from_xml(element: etree._Element) -> dict[str, Any]:
    """Raw, unvalidated content (English names) of one ApiCertifikat/ApiCertificate element."""
    return read_certificate(element).content


def read_certificate(
    element: etree._Element, *, pointer: str = "", line: int | None = None
) -> SoapCertificate:
    """Read one certificate element; `pointer` is its path in the document."""
    variant = variant_of(element)
    origins = Origins(Location(pointer, line if line is not None else line_of(element)))
    warnings: list[str] = []
    known_variant = variant if variant in VARIANTS else DEFAULT_VARIANT
    content = _block(
        element,
        specs(known_variant),
        path=(),
        pointer=pointer,
        origins=origins,
        warnings=warnings,
    )
    return SoapCertificate(variant, content, origins, tuple(dict.fromkeys(warnings)))


def _find(
    parent: etree._Element, element_path: str, pointer: str
) -> tuple[etree._Element, etree._Element, str] | None:
    """(top child used, deepest element, its pointer) for a short path like "A/B"."""
    first, *rest = element_path.split("/")
    top = child(parent, first)
    if top is None:
        return None
    node, pointer = top, child_path(pointer, parent, top)
    for segment in rest:
        found = child(node, segment)
        if found is None:
            return None
        node, pointer = found, child_path(pointer, node, found)
    return top, node, pointer


def _block(
    element: etree._Element,
    fields: Sequence[Spec],
    *,
    path: Path,
    pointer: str,
    origins: Origins,
    warnings: list[str],
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    # The elements themselves, not their ids: lxml's proxies only keep their identity alive.
    used = {found for found in elements(element) if local(found) == VARIANT_ELEMENT}
    for spec in fields:
        found = _find(element, spec.xml.element, pointer)
        if found is None:
            continue
        top, node, where = found
        used.add(top)
        here = (*path, spec.name)
        origins.add(here, Location(where, line_of(node)))
        value = _value(spec, node, path=here, pointer=where, origins=origins, warnings=warnings)
        if value is not None:
            result[spec.name] = value
    for extra in elements(element):
        if extra not in used:
            where = "/".join([*map(str, path), local(extra)])
            warnings.append(f"soap_unknown_element:{where}")
    return result


def _value(
    spec: Spec,
    node: etree._Element,
    *,
    path: Path,
    pointer: str,
    origins: Origins,
    warnings: list[str],
) -> Any:
    if spec.kind == "block":
        block = _block(
            node, spec.children, path=path, pointer=pointer, origins=origins, warnings=warnings
        )
        return block or None
    if spec.kind == "rows":
        rows = []
        for index, (item, where) in enumerate(named(pointer, node, str(spec.xml.item))):
            origins.add((*path, index), Location(where, line_of(item)))
            rows.append(
                _block(
                    item,
                    spec.children,
                    path=(*path, index),
                    pointer=where,
                    origins=origins,
                    warnings=warnings,
                )
            )
        return rows or None
    return _scalar(spec, text(node))


def _scalar(spec: Spec, value: str | None) -> Any:
    """A leaf value as the schemas read it; None when not given."""
    if value is None or (spec.kind == "choice" and value in _NOT_GIVEN):
        return None
    if spec.kind == "flag":
        return to_flag(value)
    if spec.kind == "date":
        return date_part(value) or value
    return value


def content_to_xml(
    content: Mapping[str, Any],
    variant: str = DEFAULT_VARIANT,
    *,
    tag: str = CERTIFICATE_NAMES[0],
    namespace: str | None = None,
) -> etree._Element:
    """Loaded content as an ApiCertifikat element, the inverse of `content_from_xml`.

    Dates are written as xs:dateTime at midnight, as the service does; the variant element is
    written only for variants other than `full`.
    """

    def name(local_name: str) -> str:
        return f"{{{namespace}}}{local_name}" if namespace else local_name

    root = etree.Element(name(tag), nsmap=cast(Any, {None: namespace}) if namespace else None)
    if variant != DEFAULT_VARIANT:
        etree.SubElement(root, name(VARIANT_ELEMENT)).text = variant

    def write(parent: etree._Element, fields: Sequence[Spec], data: Mapping[str, Any]) -> None:
        for spec in fields:
            if data.get(spec.name) is None:
                continue
            value = data[spec.name]
            target = parent
            for segment in spec.xml.element.split("/"):
                target = etree.SubElement(target, name(segment))
            if spec.kind == "block":
                write(target, spec.children, value)
            elif spec.kind == "rows":
                for row in value:
                    write(etree.SubElement(target, name(str(spec.xml.item))), spec.children, row)
            else:
                target.text = _lexical(spec, value)

    write(root, specs(variant), content)
    return root


def _lexical(spec: Spec, value: Any) -> str:
    if spec.kind == "flag":
        return "true" if value else "false"
    if spec.kind == "date":
        return f"{value}T00:00:00"
    return str(value)
