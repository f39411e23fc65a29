"""The one mapping between our English content names and the SOAP service's element names."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from marshmallow import Schema, fields


@dataclass(frozen=True)
class XmlName:
    """How one content field appears in XML.

    `element` may be a short path ("OvrigUpplysning/OvrigUpplysning") where the service wraps a
    value; `item` names the row element of a list; `extension` marks what Intyga adds.
    """

    element: str
    item: str | None = None
    extension: bool = False
    children: Mapping[str, "XmlName"] = field(default_factory=dict)


def xml_names(schema: Schema | type[Schema]) -> dict[str, XmlName]:
    """Map every field of `schema`, nested blocks and rows included, to its XML name."""
    instance = schema() if isinstance(schema, type) else schema
    names = {}
    for name, declared in instance.fields.items():
        inner = declared.inner if isinstance(declared, fields.List) else declared
        children = xml_names(inner.schema) if isinstance(inner, fields.Nested) else {}
        names[name] = XmlName(
            element=declared.metadata["xml"],
            item=declared.metadata.get("xml_item"),
            extension=bool(declared.metadata.get("extension")),
            children=children,
        )
    return names
