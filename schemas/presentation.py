"""One presentation of certificate content: what every page, the change list and the PDF show.

Blocks and fields come in the order of the paper form (the order the schemas declare them),
labels come from `schemas.labels`, every value is formatted here once (`schemas.formats`), and
repeated rows are sorted (months by month, leaves by their start). The result is plain data
(frozen dataclasses of strings), so a web template and the PDF renderer in `signing/` take the
same thing. Knows nothing of Flask or `app/`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from marshmallow import Schema, fields

from schemas import formats
from schemas.base import PeriodSchema
from schemas.certificate import (
    CertificateSchema,
    FullCertificateSchema,
    Income2025CertificateSchema,
)
from schemas.fields import Choice, Date, Flag, Normalised, Number, Whole
from schemas.labels import FIELD_LABELS, code_label, field_label

YES_NO: Final = {"sv": ("Ja", "Nej"), "en": ("Yes", "No")}
MONTH_COLUMN: Final = {"sv": "Månad", "en": "Month"}
# Number fields in kronor; every other decimal is hours, days or a percentage.
_AMOUNTS: Final = ("amount", "_supplement")
_EMPTY: Final[tuple[Any, ...]] = (None, "", [], {})


@dataclass(frozen=True)
class Row:
    """One field: its label and its value as a person reads it. `path` is the content path."""

    path: str
    label: str
    value: str


@dataclass(frozen=True)
class Table:
    """Repeated rows (months, leaves, supplements); `numeric` marks right-aligned columns."""

    path: str
    label: str
    columns: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Block:
    """One lettered block of the form: "A" "Arbetstagare", shown as "A. Arbetstagare"."""

    key: str
    letter: str
    title: str
    rows: tuple[Row, ...]
    tables: tuple[Table, ...]

    @property
    def label(self) -> str:
        return f"{self.letter}. {self.title}" if self.letter else self.title


def blocks(
    content: Mapping[str, Any], locale: str = "sv", *, variant: str = "full", mask: bool = False
) -> list[Block]:
    """The filled-in blocks of `content` in the form's order; `mask` hides the personnummer's
    last four digits."""
    lang = formats.language(locale)
    schema = _schema(variant)
    laid_out = []
    for key, declared in _ordered_fields(schema, content):
        value = content.get(key)
        if value in _EMPTY:
            continue
        letter, _dot, title = field_label(key, lang).partition(". ")
        if not title:
            letter, title = "", letter
        rows: list[Row] = []
        tables: list[Table] = []
        if isinstance(value, Mapping) and isinstance(declared, fields.Nested):
            _fill(rows, tables, key, value, declared.schema, lang=lang, mask=mask)
        else:
            rows.append(Row(key, title, value_text(key, value, lang, mask=mask, declared=declared)))
        laid_out.append(Block(key, letter, title, tuple(rows), tuple(tables)))
    return laid_out


def value_text(
    path: str,
    value: Any,
    locale: str = "sv",
    *,
    mask: bool = False,
    declared: fields.Field[Any] | None = None,
) -> str:
    """One value as people read it; `declared` is found from `path` when not given."""
    lang = formats.language(locale)
    if declared is None:
        declared = field_at(path)
    if isinstance(value, Mapping):
        return formats.period(value.get("start"), value.get("end"), lang)
    if isinstance(value, bool) or isinstance(declared, Flag):
        yes, no = YES_NO[lang]
        return yes if value else no
    return _scalar(path.rsplit(".", 1)[-1], str(value), declared, lang, mask=mask)


def _scalar(name: str, text: str, declared: Any, lang: str, *, mask: bool) -> str:
    if isinstance(declared, Choice):
        return code_label(text, lang)
    if isinstance(declared, Date):
        return formats.date(text, lang)
    if isinstance(declared, Number) and name.endswith(_AMOUNTS):
        return formats.amount(text, lang)
    if isinstance(declared, Number) or (
        isinstance(declared, Whole) and name not in ("year", "month")
    ):
        return formats.hours(text, lang)
    if isinstance(declared, Normalised):
        return _identity(name, text, mask=mask)
    return text


def _identity(name: str, text: str, *, mask: bool) -> str:
    if name == "personnummer":
        return formats.masked_personnummer(text) if mask else formats.personnummer(text)
    if name == "organisation_number":
        return formats.organisation_number(text)
    if name == "postal_code" and len(text) == 5:
        return f"{text[:3]} {text[3:]}"
    return text


_CATALOGUE: Final = {path: index for index, path in enumerate(FIELD_LABELS)}
_SCHEMAS: Final = (FullCertificateSchema(), Income2025CertificateSchema())


def field_at(path: str) -> fields.Field[Any] | None:
    """The declared field of a content path in either variant (list indexes ignored)."""
    names = [part for part in path.split(".") if not part.isdigit()]
    for schema in _SCHEMAS:
        found = _walk(schema, names)
        if found is not None:
            return found
    return None


def child_order(path: str) -> list[str]:
    """The declared names under a content path ("" for the blocks), in the form's order."""
    declared = field_at(path) if path else None
    if declared is None and not path:
        return [name for name, _field in _ordered_fields(_SCHEMAS[0], {})]
    if isinstance(declared, fields.List):
        declared = declared.inner
    if isinstance(declared, fields.Nested) and isinstance(declared.schema, Schema):
        return list(declared.schema.fields)
    return []


def month_name(row: Mapping[str, Any], locale: str = "sv") -> str:
    """ "juni 2026" for a row with a year and a month; "" when it has neither."""
    try:
        return formats.month(int(row["year"]), int(row["month"]), locale)
    except (KeyError, TypeError, ValueError):
        return ""


def sorted_rows(path: str, rows: Sequence[Any]) -> list[Mapping[str, Any]]:
    """Rows in reading order: by month where they have one, leaves by their start."""
    mappings = [row for row in rows if isinstance(row, Mapping)]

    def key(row: Mapping[str, Any]) -> tuple[str, ...]:
        if "year" in row or "month" in row:
            return (f"{row.get('year', 0):0>4}", f"{row.get('month', 0):0>2}")
        period = row.get("period")
        if isinstance(period, Mapping):
            return (str(period.get("start") or ""),)
        return ()

    return sorted(mappings, key=key)


def _schema(variant: str) -> Schema:
    return _SCHEMAS[1] if variant == "income_2025" else _SCHEMAS[0]


def _ordered_fields(
    schema: Schema, values: Mapping[str, Any]
) -> list[tuple[str, fields.Field[Any] | None]]:
    """Declared fields in declaration order, then anything the schema does not know, in the
    catalogue's order (content of an older form version is still shown)."""
    declared: list[tuple[str, fields.Field[Any] | None]] = list(schema.fields.items())
    if isinstance(schema, CertificateSchema):
        # Blocks by their letter: the variants' schemas declare J–L after M.
        declared.sort(key=lambda item: _catalogue_index(item[0]))
    known = set(schema.fields)
    extra = sorted(
        (name for name in values if name not in known),
        key=lambda name: (_catalogue_index(name), name),
    )
    return declared + [(name, None) for name in extra]


def _catalogue_index(path: str) -> int:
    return _CATALOGUE.get(path, len(_CATALOGUE))


def _walk(schema: Schema, names: list[str]) -> fields.Field[Any] | None:
    declared = schema.fields.get(names[0])
    if declared is None or len(names) == 1:
        return declared
    if isinstance(declared, fields.List):
        declared = declared.inner
    if isinstance(declared, fields.Nested) and isinstance(declared.schema, Schema):
        return _walk(declared.schema, names[1:])
    return None


def _label(path: str, lang: str) -> str:
    try:
        return field_label(path, lang)
    except KeyError:
        return path.rsplit(".", 1)[-1]


def _fill(
    rows: list[Row],
    tables: list[Table],
    prefix: str,
    values: Mapping[str, Any],
    schema: Schema,
    *,
    lang: str,
    mask: bool,
) -> None:
    for name, declared in _ordered_fields(schema, values):
        value = values.get(name)
        path = f"{prefix}.{name}"
        if value in _EMPTY:
            continue
        if isinstance(value, list):
            inner = declared.inner if isinstance(declared, fields.List) else None
            row_schema = inner.schema if isinstance(inner, fields.Nested) else None
            tables.append(_table(path, value, row_schema, lang))
        elif (
            isinstance(value, Mapping)
            and isinstance(declared, fields.Nested)
            and not isinstance(declared.schema, PeriodSchema)
        ):
            _fill(rows, tables, path, value, declared.schema, lang=lang, mask=mask)
        else:
            text = value_text(path, value, lang, mask=mask, declared=declared)
            rows.append(Row(path, _label(path, lang), text))


def _table(path: str, rows: Sequence[Any], schema: Schema | None, lang: str) -> Table:
    """A list as a table; a year and a month become one "Månad" column (juni 2026)."""
    ordered = sorted_rows(path, rows)
    names = list(schema.fields) if schema is not None else []
    names += [n for row in ordered for n in row if n not in names]
    names = [n for n in dict.fromkeys(names) if any(row.get(n) not in _EMPTY for row in ordered)]
    by_month = "year" in names and "month" in names
    if by_month:
        names = [n for n in names if n not in ("year", "month")]
    declared = {n: (schema.fields.get(n) if schema is not None else None) for n in names}
    columns = ([MONTH_COLUMN[lang]] if by_month else []) + [
        _label(f"{path}.{n}", lang) for n in names
    ]
    numeric = ([False] if by_month else []) + [
        isinstance(declared[n], Number | Whole) for n in names
    ]
    body = []
    for row in ordered:
        cells = [month_name(row, lang)] if by_month else []
        for n in names:
            value = row.get(n)
            cells.append(
                ""
                if value in _EMPTY
                else value_text(f"{path}.{n}", value, lang, declared=declared[n])
            )
        body.append(tuple(cells))
    return Table(path, _label(path, lang), tuple(columns), tuple(numeric), tuple(body))
