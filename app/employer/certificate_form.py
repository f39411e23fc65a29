"""The certificate form's values: between flat form fields and nested content, table rows,
totals, and schema errors by field.

Form field names are the content's dotted paths (`employee.first_name`, and for table rows
`worked_time.months.3.hours_worked`), so schema errors land on the field they are about. A part
that does not apply (`form_spec`) is neither shown nor read. Knows nothing of Flask.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Mapping
from typing import Any

from app.employer.form_spec import TABLES, Field, Situation, Table, layout

Values = dict[str, str]
Counts = dict[str, int]

# --- form values <-> content --------------------------------------------------------------------


def row_count_name(table: str) -> str:
    return f"{table}.rows"


def counts_from(form: Mapping[str, str]) -> Counts:
    """How many rows each table has, from the hidden counters the form carries."""
    counts = {}
    for path in TABLES:
        raw = form.get(row_count_name(path), "0")
        counts[path] = min(int(raw), 200) if raw.isdigit() else 0
    return counts


def to_content(
    values: Mapping[str, str], counts: Mapping[str, int], variant: str
) -> dict[str, Any]:
    """The content the form says, reading only the parts that apply; blanks are left out."""
    content: dict[str, Any] = {}
    for section in layout(Situation.of(variant, values)):
        for item in section.items:
            if isinstance(item, Field):
                _put(content, item.path, _value(item, values.get(item.path, "")))
                continue
            rows = []
            for index in range(counts.get(item.path, 0)):
                row: dict[str, Any] = {}
                for column in item.columns:
                    raw = values.get(item.cell(index, column).path, "")
                    _put(row, column.path, _value(column, raw))
                if row:
                    rows.append(row)
            _put(content, item.path, rows or None)
    return content


def from_content(content: Mapping[str, Any]) -> tuple[Values, Counts]:
    """Form values and row counts for stored content (a draft being edited)."""
    values: Values = {}
    counts: Counts = dict.fromkeys(TABLES, 0)

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            counts[path] = len(node)
            for index, row in enumerate(node):
                walk(row, f"{path}.{index}")
        elif isinstance(node, bool):
            values[path] = "true" if node else "false"
        elif node is not None:
            values[path] = str(node)

    walk(content, "")
    return values, counts


def _value(item: Field, raw: str) -> Any:
    text = raw.strip()
    if not text:
        return None
    if item.kind == "flag":
        return {"true": True, "false": False}.get(text, text)
    return text


def _put(tree: dict[str, Any], path: str, value: Any) -> None:
    if value is None:
        return
    *parents, last = path.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[last] = value


# --- table rows ---------------------------------------------------------------------------------


def add_row(values: Values, counts: Counts, table: str) -> None:
    """Append a row; in the month table it starts as the month after the last one."""
    index = counts.get(table, 0)
    counts[table] = index + 1
    if table != "worked_time.months" or index == 0:
        return
    year = values.get(f"{table}.{index - 1}.year", "")
    month = values.get(f"{table}.{index - 1}.month", "")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        following = (int(year) + int(month) // 12, int(month) % 12 + 1)
        values[f"{table}.{index}.year"], values[f"{table}.{index}.month"] = map(str, following)


def remove_row(values: Values, counts: Counts, table: str, index: int) -> None:
    """Remove row `index`, moving the rows after it up one place."""
    count = counts.get(table, 0)
    if not 0 <= index < count:
        return
    prefix = f"{table}."
    moved: Values = {}
    for key, value in values.items():
        if not key.startswith(prefix):
            moved[key] = value
            continue
        row, _, rest = key.removeprefix(prefix).partition(".")
        if not row.isdigit() or int(row) == index:
            continue
        number = int(row) - 1 if int(row) > index else int(row)
        moved[f"{prefix}{number}.{rest}"] = value
    values.clear()
    values.update(moved)
    counts[table] = count - 1


def totals(
    values: Mapping[str, str], counts: Mapping[str, int], table: Table
) -> dict[str, decimal.Decimal]:
    """The sum of each totalled column over the rows that hold a number there."""
    sums = {}
    for name in table.totals:
        total = decimal.Decimal(0)
        for index in range(counts.get(table.path, 0)):
            raw = values.get(f"{table.path}.{index}.{name}", "").replace(" ", "").replace(",", ".")
            try:
                total += decimal.Decimal(raw) if raw else 0
            except decimal.InvalidOperation:
                continue
        sums[name] = total
    return sums


# --- errors ------------------------------------------------------------------------------------


def flat_errors(errors: Any, path: str = "") -> dict[str, list[str]]:
    """Localized schema errors (nested like the content) as lists of messages per dotted path."""
    flat: dict[str, list[str]] = {}
    for key, found in _walk_errors(errors, path):
        flat.setdefault(key, []).extend(found)
    return flat


def _walk_errors(errors: Any, path: str) -> Iterator[tuple[str, list[str]]]:
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            name = "" if key == "_schema" else str(key)
            yield from _walk_errors(value, ".".join(part for part in (path, name) if part))
    elif isinstance(errors, list | tuple):
        texts = [item for item in errors if isinstance(item, str)]
        if texts:
            yield path, texts
        for item in errors:
            if not isinstance(item, str):
                yield from _walk_errors(item, path)
    elif isinstance(errors, str):
        yield path, [errors]


def field_paths(situation: Situation, counts: Mapping[str, int]) -> set[str]:
    """Every field path the form shows, so errors elsewhere can be shown with their block."""
    paths = set()
    for section in layout(situation):
        for item in section.items:
            if isinstance(item, Field):
                paths.add(item.path)
            else:
                for index in range(counts.get(item.path, 0)):
                    paths.update(item.cell(index, column).path for column in item.columns)
    return paths
