"""Flat CSV columns for certificate content, both ways (the column list is in csv_format.md).

A column is the content path with dots ("employment.period.start"); rows of a list are numbered
from 1 ("salary.supplements.2.amount"); the worked-time table is one column per month and
measure ("hours_2025_01", "absence_2025_01", "overtime_2025_01", "extra_time_2025_01"), and the
income table one per month ("income_2025_01", whole kronor, source `payroll`).
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from payroll_adapters.fieldspec import Spec, specs

VARIANT = "variant"
MONTHS = "worked_time.months"
# Column prefix per measure of the worked-time table, in the order they are written.
MONTH_MEASURES = (
    ("hours", "hours_worked"),
    ("absence", "absence"),
    ("overtime", "overtime"),
    ("extra_time", "extra_time"),
)
INCOME = "income"
INCOME_SOURCE = "payroll"
_MONTHLY = re.compile(r"(hours|absence|overtime|extra_time|income)_(\d{4})_(0[1-9]|1[0-2])")
_ITEM = re.compile(r"(.+?)\.([1-9]\d{0,2})\.(.+)")
_YES = ("true", "ja", "yes", "1", "x")
_NO = ("false", "nej", "no", "0")


@dataclass(frozen=True)
class Column:
    """What one header cell means.

    `kind` is "variant", "field" (path to a value), "item" (a value in row `index` of list
    `path`), "month" (measure of a worked-time month) or "income" (a month's income).
    """

    kind: str
    path: tuple[str, ...] = ()
    spec: Spec | None = None
    index: int = 0
    leaf: tuple[str, ...] = ()
    month: tuple[int, int] = (0, 0)
    measure: str = ""


def _leaves(
    fields: Sequence[Spec], prefix: tuple[str, ...] = ()
) -> Iterable[tuple[tuple[str, ...], Spec]]:
    for spec in fields:
        path = (*prefix, spec.name)
        if spec.kind == "block":
            yield from _leaves(spec.children, path)
        elif spec.kind != "rows":
            yield path, spec


@cache
def _scalars() -> dict[str, tuple[tuple[str, ...], Spec]]:
    return {".".join(path): (path, spec) for path, spec in _leaves(specs("full"))}


@cache
def _lists() -> dict[str, tuple[tuple[str, ...], dict[str, tuple[tuple[str, ...], Spec]]]]:
    found = {}

    def walk(fields: Sequence[Spec], prefix: tuple[str, ...]) -> None:
        for spec in fields:
            path = (*prefix, spec.name)
            if spec.kind == "block":
                walk(spec.children, path)
            elif spec.kind == "rows" and ".".join(path) != MONTHS:
                leaves = {
                    ".".join(leaf): (leaf, leaf_spec) for leaf, leaf_spec in _leaves(spec.children)
                }
                found[".".join(path)] = (path, leaves)

    walk(specs("full"), ())
    return found


def classify(name: str) -> Column | None:
    """The meaning of a header cell, or None for an unknown column."""
    if name == VARIANT:
        return Column("variant")
    if name in _scalars():
        path, spec = _scalars()[name]
        return Column("field", path, spec)
    monthly = _MONTHLY.fullmatch(name)
    if monthly:
        prefix, year, month = monthly.groups()
        kind = "income" if prefix == INCOME else "month"
        measure = dict(MONTH_MEASURES).get(prefix, "")
        return Column(kind, month=(int(year), int(month)), measure=measure)
    item = _ITEM.fullmatch(name)
    if item and item.group(1) in _lists():
        path, leaves = _lists()[item.group(1)]
        leaf = leaves.get(item.group(3))
        if leaf is not None:
            return Column("item", path, leaf[1], int(item.group(2)), leaf[0])
    return None


def flag(value: str) -> bool | str:
    """A yes/no cell in the ways spreadsheets write it; anything else for the schema to judge."""
    folded = value.strip().lower()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return value


def cell(spec: Spec, value: Any, *, decimal_comma: bool = False) -> str:
    """A content value as CSV text."""
    if spec.kind == "flag":
        return "true" if value else "false"
    text = str(value)
    return text.replace(".", ",") if decimal_comma and spec.kind == "number" else text


def row_of(
    variant: str,
    content: Mapping[str, Any],
    income: Sequence[Mapping[str, Any]] = (),
    *,
    decimal_comma: bool = False,
) -> dict[str, str]:
    """Loaded content (and an income table) as one CSV row: column name to cell text."""
    row = {VARIANT: variant}

    def walk(fields: Sequence[Spec], data: Mapping[str, Any], prefix: str) -> None:
        for spec in fields:
            if data.get(spec.name) is None:
                continue
            value, name = data[spec.name], prefix + spec.name
            if spec.kind == "block":
                walk(spec.children, value, name + ".")
            elif spec.kind == "rows" and name == MONTHS:
                by_name = {child.name: child for child in spec.children}
                for month in value:
                    for column, measure in MONTH_MEASURES:
                        if measure in month:
                            key = f"{column}_{month['year']}_{month['month']:02d}"
                            row[key] = cell(
                                by_name[measure], month[measure], decimal_comma=decimal_comma
                            )
            elif spec.kind == "rows":
                for index, item in enumerate(value, start=1):
                    walk(spec.children, item, f"{name}.{index}.")
            else:
                row[name] = cell(spec, value, decimal_comma=decimal_comma)

    walk(specs(variant), content, "")
    for month in income:
        row[f"{INCOME}_{month['year']}_{month['month']:02d}"] = str(month["amount"])
    return row


def header_for(rows: Sequence[Mapping[str, str]], *, every_field: bool = False) -> list[str]:
    """Columns in the documented order: those `rows` use, or with `every_field` also every
    field (and the first row of each list) for a template."""
    present: set[str] = set().union(*rows) if rows else set()
    used = [column for column in map(classify, present) if column is not None]
    columns = [VARIANT]

    def walk(fields: Sequence[Spec], prefix: str) -> None:
        for spec in fields:
            name = prefix + spec.name
            if spec.kind == "block":
                walk(spec.children, name + ".")
            elif spec.kind == "rows" and name == MONTHS:
                for year, month in sorted({c.month for c in used if c.kind == "month"}):
                    keys = (f"{column}_{year}_{month:02d}" for column, _ in MONTH_MEASURES)
                    columns.extend(key for key in keys if key in present)
            elif spec.kind == "rows":
                path = tuple(name.split("."))
                indices = {c.index for c in used if c.kind == "item" and c.path == path}
                for index in sorted(indices | ({1} if every_field else set())):
                    walk(spec.children, f"{name}.{index}.")
            elif name in present or every_field:
                columns.append(name)

    walk(specs("full"), "")
    incomes = sorted({c.month for c in used if c.kind == "income"})
    return columns + [f"{INCOME}_{year}_{month:02d}" for year, month in incomes]
