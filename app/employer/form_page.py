"""The certificate form laid out for its template: labels, values, errors and totals per field.

Everything the template needs is worked out here, so the template only draws it. Knows nothing
of Flask; `locale` is "sv" or "en".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.certificates.presentation import label, qualified_label
from app.employer import certificate_form as cf
from app.employer import form_spec as spec
from schemas import formats
from schemas.labels import code_label


@dataclass(frozen=True)
class Input:
    id: str
    name: str
    label: str
    kind: str
    value: str
    errors: list[str]
    choices: list[tuple[str, str]]
    controls: bool = False


@dataclass(frozen=True)
class Rows:
    path: str
    id: str
    label: str
    columns: list[str]
    rows: list[list[Input]]
    totals: list[str] | None
    errors: list[str]


@dataclass
class Part:
    key: str
    id: str
    label: str
    items: list[Input | Rows] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    controls: bool = False


@dataclass(frozen=True)
class Problem:
    anchor: str
    label: str
    message: str


@dataclass(frozen=True)
class FormPage:
    parts: list[Part]
    problems: list[Problem]
    counts: dict[str, int]


def build(
    variant: str,
    values: Mapping[str, str],
    counts: Mapping[str, int],
    errors: Mapping[str, list[str]],
    locale: str,
    *,
    sections: list[spec.Section] | None = None,
) -> FormPage:
    """The form's parts: every section that applies, or only `sections` (one step's)."""
    situation = spec.Situation.of(variant, values)
    shown = cf.field_paths(situation, counts)
    parts: list[Part] = []
    problems: list[Problem] = []
    for section in spec.layout(situation) if sections is None else sections:
        part = Part(section.key, f"s-{section.key}", label(section.key, locale))
        for item in section.items:
            if isinstance(item, spec.Field):
                part.items.append(_input(item, values, errors, locale))
                part.controls = part.controls or item.controls
            else:
                part.items.append(_rows(item, values, counts, errors, locale))
        for path, messages in errors.items():
            if path in shown or path in spec.TABLES:
                continue
            if path == section.key or path.startswith(section.key + "."):
                anchor = _table_anchor(path) or part.id
                where = label(path, locale) if path != section.key else ""
                part.errors.extend(f"{where}: {m}" if where else m for m in messages)
                problems.extend(Problem(anchor, where or part.label, m) for m in messages)
        for shown_item in part.items:
            problems.extend(_problems(shown_item))
        parts.append(part)
    return FormPage(parts, problems, dict(counts))


def _input(
    item: spec.Field, values: Mapping[str, str], errors: Mapping[str, list[str]], locale: str
) -> Input:
    own = qualified_label(item.path, locale)
    if "." not in item.path:
        # A block that is one field (M) is named with its letter in the legend above; the field
        # takes the title alone, as the certificate's pages show it.
        own = own.partition(". ")[2] or own
    return Input(
        id=item.id,
        name=item.path,
        label=own,
        kind=item.kind,
        value=_shown(item, values.get(item.path, ""), locale),
        errors=list(errors.get(item.path, [])),
        choices=[(code, code_label(code, locale)) for code in item.choices],
        controls=item.controls,
    )


def _shown(item: spec.Field, value: str, locale: str) -> str:
    """A stored value as a person types it (158,5 and 556036-0793, not 158.50 and 5560360793);
    posted text that is not in such a form stays as it was typed."""
    if item.kind in ("number", "whole"):
        return formats.typed(value, locale)
    if item.path.endswith("organisation_number"):
        return formats.organisation_number(value)
    if item.path.endswith("personnummer"):
        return formats.personnummer(value)
    return value


def _rows(
    table: spec.Table,
    values: Mapping[str, str],
    counts: Mapping[str, int],
    errors: Mapping[str, list[str]],
    locale: str,
) -> Rows:
    rows = []
    for index in range(counts.get(table.path, 0)):
        row = []
        for column in table.columns:
            cell = _input(table.cell(index, column), values, errors, locale)
            # A cell's label says which row it is in: screen readers read it out of the table.
            own = label(f"{table.path}.{column.path}", locale)
            group = column.path.rpartition(".")[0]
            if group:
                own = f"{label(f'{table.path}.{group}', locale)}: {own}"
            row_label = f"{own}, {label(table.path, locale)} {index + 1}"
            row.append(Input(**{**cell.__dict__, "label": row_label}))
        rows.append(row)
    sums = cf.totals(values, counts, table) if table.totals else None
    return Rows(
        path=table.path,
        id=_table_anchor(table.path) or "",
        label=label(table.path, locale),
        columns=[label(f"{table.path}.{column.path}", locale) for column in table.columns],
        rows=rows,
        totals=[
            formats.hours(sums[column.path], locale) if column.path in sums else ""
            for column in table.columns
        ]
        if sums
        else None,
        errors=list(errors.get(table.path, [])),
    )


def _table_anchor(path: str) -> str | None:
    return "t-" + path.replace(".", "-") if path in spec.TABLES else None


def _problems(item: Input | Rows) -> list[Problem]:
    if isinstance(item, Input):
        return [Problem(item.id, item.label, message) for message in item.errors]
    found = [Problem(item.id, item.label, message) for message in item.errors]
    for row in item.rows:
        for cell in row:
            found.extend(_problems(cell))
    return found


def choices_of(path: str, locale: str) -> list[tuple[str, str]]:
    """The choices of a choice field, labelled (the first step asks some of them)."""
    for section in spec.SECTIONS:
        for item in section.items:
            if isinstance(item, spec.Field) and item.path == path:
                return [(code, code_label(code, locale)) for code in item.choices]
    return []
