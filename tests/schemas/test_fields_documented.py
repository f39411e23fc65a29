"""docs/fields.md lists every field of both variants with its XML element, and nothing else."""

import re
from pathlib import Path
from typing import Any

from marshmallow import Schema, fields

from schemas import VARIANTS, schema_for
from schemas.fields import NotInVariant

DOC = Path(__file__).resolve().parents[2] / "docs" / "fields.md"


def _leaves(schema: Schema, path: str = "", element: str = "") -> dict[str, str]:
    """Every field's JSON pointer (rows as `{i}`) and its XML element path."""
    found: dict[str, str] = {}
    for name, declared in schema.fields.items():
        if isinstance(declared, NotInVariant):
            continue
        inner: Any = declared.inner if isinstance(declared, fields.List) else declared
        row = "/{i}" if isinstance(declared, fields.List) else ""
        item = declared.metadata.get("xml_item")
        xml = element + declared.metadata["xml"] + (f"/{item}" if item else "")
        pointer = f"{path}/{name}{row}"
        if isinstance(inner, fields.Nested):
            found |= _leaves(inner.schema, pointer, xml + "/")
        else:
            found[pointer] = xml
    return found


def test_every_field_is_documented_with_its_element() -> None:
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(
            r"^\| `(/[^`]+)` \| [^|]+ \| `([^`]+)` \|", DOC.read_text(encoding="utf-8"), re.M
        )
    }
    expected: dict[str, str] = {}
    for variant in VARIANTS:
        expected |= _leaves(schema_for(variant))
    assert rows == expected
