"""The content's fields as a tree of names, value kinds and SOAP element names.

Read from the schemas themselves (`schemas.xml_names` for the element names), so the SOAP and CSV
adapters follow every change to the certificate without a mapping of their own.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from marshmallow import Schema, fields

from schemas import XmlName, schema_for, xml_names
from schemas import fields as f

Kind = Literal["text", "choice", "flag", "date", "whole", "number", "block", "rows"]


@dataclass(frozen=True)
class Spec:
    """One content field: its English name, kind, SOAP name and, for blocks and rows, fields."""

    name: str
    kind: Kind
    xml: XmlName
    children: tuple["Spec", ...] = ()


def _kind(declared: fields.Field[object]) -> Kind | None:
    """The value kind of a declared field; None for a block the variant leaves out."""
    kinds: tuple[tuple[type[Any], Kind], ...] = (
        (f.NotInVariant, "text"),
        (f.Rows, "rows"),
        (f.Block, "block"),
        (f.Choice, "choice"),
        (f.Flag, "flag"),
        (f.Date, "date"),
        (f.Whole, "whole"),
        (f.Number, "number"),
    )
    for field_type, kind in kinds:
        if isinstance(declared, field_type):
            return None if field_type is f.NotInVariant else kind
    return "text"


def _specs(schema: Schema) -> tuple[Spec, ...]:
    names = xml_names(schema)
    found = []
    for name, declared in schema.fields.items():
        kind = _kind(declared)
        if kind is None:
            continue
        inner = declared.inner if isinstance(declared, fields.List) else declared
        children = _specs(inner.schema) if isinstance(inner, fields.Nested) else ()
        found.append(Spec(name, kind, names[name], children))
    return tuple(found)


@cache
def specs(variant: str) -> tuple[Spec, ...]:
    """The top-level fields of a variant, in the schema's order. Raises ValueError if unknown."""
    return _specs(schema_for(variant))
