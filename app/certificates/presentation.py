"""Certificate content laid out for people, for the app's pages and the change list.

The layout itself is `schemas.presentation` (blocks in the paper form's order, sorted months,
formatted values), which `signing/` can use too without importing the app. This module adds what
only the app needs: labels of arbitrary content paths for forms and error lists.
"""

from __future__ import annotations

from schemas.labels import field_label
from schemas.presentation import YES_NO, Block, Row, Table, blocks, value_text

__all__ = ["YES_NO", "Block", "Row", "Table", "blocks", "label", "qualified_label", "value_text"]


def label(path: str, locale: str) -> str:
    """The label of any content path; a path the catalogue lacks is shown as it is."""
    try:
        return field_label(path, locale)
    except KeyError:
        return path


def qualified_label(path: str, locale: str) -> str:
    """A field's label with its group's: "Anställningstid: Till och med", not just "Till och med"
    (several blocks have a period, and a label must make sense on its own)."""
    parent = path.rpartition(".")[0]
    own = label(path, locale)
    if "." not in parent:
        return own
    return f"{label(parent, locale)}: {own}"
