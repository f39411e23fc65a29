"""Certificate content laid out for people: blocks in the order of the paper form, labelled and
formatted in the reader's language. Used by the web pages (and anything else that shows one)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemas import mask_personnummer
from schemas.labels import FIELD_LABELS, code_label, field_label

YES_NO = {"sv": ("Ja", "Nej"), "en": ("Yes", "No")}


@dataclass(frozen=True)
class Table:
    label: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Block:
    key: str
    label: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


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


def blocks(content: Mapping[str, Any], locale: str = "sv", *, mask: bool = False) -> list[Block]:
    """The filled-in blocks of `content`; `mask` hides the personnummer's last four digits."""
    lang = "en" if locale.startswith("en") else "sv"
    laid_out = []
    for key in (k for k in FIELD_LABELS if "." not in k):
        value = content.get(key)
        if value in (None, "", {}, []):
            continue
        block = Block(key, field_label(key, lang))
        if isinstance(value, Mapping):
            _fill(block, key, value, lang, mask)
        else:
            block.rows.append((field_label(key, lang), _format(key, value, lang, mask)))
        laid_out.append(block)
    return laid_out


def _fill(block: Block, prefix: str, values: Mapping[str, Any], lang: str, mask: bool) -> None:
    for name, value in values.items():
        path = f"{prefix}.{name}"
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            block.tables.append(_table(path, value, lang))
        elif isinstance(value, Mapping) and {"start", "end"} >= set(value):
            period = f"{value.get('start', '')} – {value.get('end', '')}"
            block.rows.append((field_label(path, lang), period))
        elif isinstance(value, Mapping):
            _fill(block, path, value, lang, mask)
        else:
            block.rows.append((field_label(path, lang), _format(path, value, lang, mask)))


def _table(path: str, rows: Sequence[Mapping[str, Any]], lang: str) -> Table:
    columns = [name for name in _column_order(path) if any(name in row for row in rows)]
    return Table(
        label=field_label(path, lang),
        columns=[field_label(f"{path}.{name}", lang) for name in columns],
        rows=[[_cell(f"{path}.{name}", row.get(name), lang) for name in columns] for row in rows],
    )


def _column_order(path: str) -> list[str]:
    prefix = path + "."
    return [
        k.removeprefix(prefix)
        for k in FIELD_LABELS
        if k.startswith(prefix) and "." not in k.removeprefix(prefix)
    ]


def _cell(path: str, value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        return f"{value.get('start', '')} – {value.get('end', '')}"
    return "" if value is None else _format(path, value, lang, mask=False)


def _format(path: str, value: Any, lang: str, mask: bool) -> str:
    if isinstance(value, bool):
        yes, no = YES_NO[lang]
        return yes if value else no
    if path.endswith("personnummer") and mask:
        return mask_personnummer(str(value))
    text = str(value)
    if path.endswith(("type", "reason", "salary_type", "supplement_type", "working_time_type")):
        return code_label(text, lang)
    if lang == "sv" and _is_decimal(text):
        return text.replace(".", ",")
    return text


def _is_decimal(text: str) -> bool:
    whole, dot, fraction = text.partition(".")
    return bool(dot) and whole.lstrip("-").isdigit() and fraction.isdigit()
