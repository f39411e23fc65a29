"""What changed between two versions of a certificate, field by field, labelled for people.

Shown to the employer before signing a revised version, so they see exactly what the new version
says differently from the one the employee asked to have completed, and to the employee reading
the new version. Knows nothing of Flask.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app.certificates.presentation import YES_NO, qualified_label
from schemas.labels import code_label, field_label

# Months are unique in the worked-time table, so its rows are named by month, not position.
MONTHLY = "worked_time.months"
CODED = ("type", "reason", "salary_type", "supplement_type", "working_time_type")


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any], locale: str = "sv"
) -> list[Change]:
    """Every field whose value differs, in the order of the paper form."""
    lang = "en" if locale.startswith("en") else "sv"
    old, new = dict(_leaves(before, "", lang)), dict(_leaves(after, "", lang))
    found = []
    for key in _ordered(set(old) | set(new), list(new) + list(old)):
        if old.get(key) != new.get(key):
            label, _value = old.get(key) or new[key]
            found.append(Change(label, _shown(old.get(key)), _shown(new.get(key))))
    return found


def _ordered(keys: set[tuple[str, ...]], seen: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    order: dict[tuple[str, ...], None] = {}
    for key in seen:
        if key in keys:
            order.setdefault(key, None)
    return list(order)


def _shown(entry: tuple[str, str] | None) -> str:
    return entry[1] if entry else ""


def _leaves(node: Any, path: str, lang: str) -> Iterator[tuple[tuple[str, ...], tuple[str, str]]]:
    """(key, (label, formatted value)) for every filled-in value; rows keyed by their month."""
    if isinstance(node, Mapping):
        for name, value in node.items():
            yield from _leaves(value, f"{path}.{name}" if path else name, lang)
    elif isinstance(node, list):
        for index, row in enumerate(node):
            row_key = _row_key(path, index, row)
            for key, (_label, value) in _leaves(row, path, lang):
                cell = field_label(key[0], lang)
                yield (path, row_key, *key), (f"{field_label(path, lang)} {row_key}: {cell}", value)
    elif node not in (None, ""):
        yield (path,), (qualified_label(path, lang), _format(path, node, lang))


def _row_key(path: str, index: int, row: Any) -> str:
    if path == MONTHLY and isinstance(row, Mapping) and "year" in row and "month" in row:
        return f"{row['year']}-{int(row['month']):02d}"
    return f"#{index + 1}"


def _format(path: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        yes, no = YES_NO[lang]
        return yes if value else no
    if path.rsplit(".", 1)[-1] in CODED:
        return code_label(str(value), lang)
    return str(value)
