"""CSV: one certificate per row, for payroll systems that can only export a spreadsheet.

The header names the columns (csv_format.md lists them; `csv_template()` gives an example). The
delimiter is whichever of `;`, `,` and tab the header uses most; the encoding UTF-8 (with or
without BOM) or, failing that, windows-1252 as Excel saves it. Numbers may use a decimal comma
and yes/no cells "ja"/"nej". A missing `variant` column or cell means `full`. Rows are read and
yielded one at a time; problems point at cells as RFC 7111 fragments ("#cell=5,3", rows counted
from the header as 1) with the line the row starts on.
"""

import csv
import io
import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, BinaryIO

from payroll_adapters.csv_columns import (
    INCOME_SOURCE,
    VARIANT,
    Column,
    classify,
    flag,
    header_for,
    row_of,
)
from payroll_adapters.model import Item, Problem
from payroll_adapters.streams import text_lines
from payroll_adapters.summary import Skipped, summarised
from payroll_adapters.validation import Location, Origins, draft_or_problems
from payroll_adapters.values import to_decimal
from schemas import VARIANTS, load_content
from schemas.examples import full_example

_DELIMITERS = (";", ",", "\t")
DEFAULT_VARIANT = "full"


def read_csv(stream: BinaryIO, *, max_bytes: int) -> Iterator[Item]:
    """Drafts and problems, one row at a time, then a Summary."""
    return summarised("csv", _read(stream, max_bytes))


def _read(stream: BinaryIO, max_bytes: int) -> Iterator[Item | Skipped]:
    lines = text_lines(stream, max_bytes)
    first = next(lines, None)
    if first is None or not first.strip():
        yield Problem("empty_file", "", fatal=True)
        return
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
    record, line = 0, 1
    try:
        header = [name.strip() for name in next(reader)]
        record = 1
        columns, problems = _columns(header)
        if problems:
            yield from problems
            return
        line = reader.line_num + 1
        for cells in reader:
            record += 1
            if any(value.strip() for value in cells):
                yield from _row(columns, cells, record, line)
            line = reader.line_num + 1
    except csv.Error:
        yield Problem("csv_malformed", f"#row={record + 1}", line=line, fatal=True)


def _columns(header: list[str]) -> tuple[list[Column], list[Problem]]:
    columns, problems, seen = [], [], set()
    for index, name in enumerate(header, start=1):
        column = classify(name)
        pointer = f"#cell=1,{index}"
        if column is None:
            problems.append(
                Problem("csv_unknown_column", pointer, line=1, params=(name,), fatal=True)
            )
        elif name in seen:
            problems.append(
                Problem("csv_duplicate_column", pointer, line=1, params=(name,), fatal=True)
            )
        else:
            columns.append(column)
        seen.add(name)
    return columns, problems


class _Row:
    """The cells of one row gathered into content, with the cell each value came from."""

    def __init__(self, record: int, line: int) -> None:
        self.record, self.line = record, line
        self.origins = Origins(Location(f"#row={record}", line))
        self.variant, self.variant_at = DEFAULT_VARIANT, self.origins.record
        self.raw: dict[str, Any] = {}
        self.lists: dict[tuple[str, ...], dict[int, dict[tuple[str, ...], tuple[Any, Location]]]]
        self.lists = {}
        self.months: dict[tuple[int, int], dict[str, tuple[str, Location]]] = {}
        self.income: dict[tuple[int, int], tuple[Any, Location]] = {}

    def take(self, column: Column, value: str, at: Location) -> None:
        if column.kind == "variant":
            self.variant, self.variant_at = value, at
        elif column.kind == "month":
            self.months.setdefault(column.month, {})[column.measure] = (value, at)
        elif column.kind == "income":
            self.income[column.month] = (_kronor(value), at)
        elif column.spec is not None:
            typed = flag(value) if column.spec.kind == "flag" else value
            if column.kind == "item":
                rows = self.lists.setdefault(column.path, {})
                rows.setdefault(column.index, {})[column.leaf] = (typed, at)
            else:
                _put(self.raw, column.path, typed)
                self.origins.add(column.path, at)

    def content(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The raw content and income table, rows in order of their number or month."""
        for path, numbered in self.lists.items():
            items = []
            for position, number in enumerate(sorted(numbered)):
                item: dict[str, Any] = {}
                for leaf, (value, at) in numbered[number].items():
                    _put(item, leaf, value)
                    self.origins.add((*path, position, *leaf), at)
                items.append(item)
            _put(self.raw, path, items)
        if self.months:
            rows = []
            for position, month in enumerate(sorted(self.months)):
                row: dict[str, Any] = {"year": month[0], "month": month[1]}
                for measure, (value, at) in self.months[month].items():
                    row[measure] = value
                    self.origins.add(("worked_time", "months", position, measure), at)
                rows.append(row)
            self.raw.setdefault("worked_time", {})["months"] = rows
        table = []
        for position, (month, (amount, at)) in enumerate(sorted(self.income.items())):
            table.append(
                {"year": month[0], "month": month[1], "amount": amount, "source": INCOME_SOURCE}
            )
            self.origins.add(("income", position), at)
        return self.raw, table


def _row(columns: list[Column], cells: list[str], record: int, line: int) -> Iterator[Item]:
    extra = [value for value in cells[len(columns) :] if value.strip()]
    if extra:
        yield Problem(
            "csv_extra_cells",
            f"#row={record}",
            line=line,
            params=(str(len(cells)), str(len(columns))),
        )
        return
    row = _Row(record, line)
    for index, (column, value) in enumerate(zip(columns, cells, strict=False), start=1):
        if value.strip():
            row.take(column, value.strip(), Location(f"#cell={record},{index}", line))
    if row.variant not in VARIANTS:
        yield Problem(
            "invalid_choice",
            row.variant_at.pointer,
            line=line,
            params=(", ".join(VARIANTS),),
            field=VARIANT,
        )
        return
    raw, table = row.content()
    result = draft_or_problems(
        format_name="csv", variant=row.variant, raw=raw, origins=row.origins, income=table or None
    )
    yield from result if isinstance(result, list) else [result]


def _put(target: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _kronor(value: str) -> Any:
    """Whole kronor as spreadsheets write them ("18 400", "18400,00"); else the text as is."""
    amount = to_decimal(value)
    if amount is not None and amount == amount.to_integral_value():
        return int(amount)
    return value


def to_csv(
    certificates: Sequence[tuple[str, Mapping[str, Any], Sequence[Mapping[str, Any]]]],
    *,
    delimiter: str = ";",
) -> str:
    """(variant, loaded content, income table) triples as CSV text, the inverse of reading.

    With `;` numbers get a decimal comma, as Swedish spreadsheets expect.
    """
    rows = [
        row_of(variant, content, income, decimal_comma=delimiter == ";")
        for variant, content, income in certificates
    ]
    header = header_for(rows)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([row.get(name, "") for name in header] for row in rows)
    return out.getvalue()


def csv_template() -> str:
    """The header with every column, and one example row (the schemas' full example)."""
    content = load_content(full_example(), "full")
    income = [
        {"year": row["year"], "month": row["month"], "amount": 34500, "source": INCOME_SOURCE}
        for row in content["worked_time"]["months"]
    ]
    row = row_of("full", content, income, decimal_comma=True)
    header = header_for([row], every_field=True)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow([row.get(name, "") for name in header])
    return out.getvalue()
