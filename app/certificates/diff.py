"""What changed between two versions of a certificate, one sentence per change.

Shown to the employer before signing a revised version, and to the employee reading the new
version: "Ny månad: juni 2026, 168 arbetade timmar", "Befattning: ändrad från Lagerarbetare till
Truckförare". Fields come in the form's order, labels and values as `schemas.presentation` shows
them, month rows by their month. Knows nothing of Flask.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from app.certificates import presentation
from schemas.formats import language
from schemas.labels import field_label
from schemas.presentation import child_order, month_name, sorted_rows, value_text

MONTHLY: Final = "worked_time.months"
_EMPTY: Final[tuple[Any, ...]] = (None, "", [], {})

_PHRASES: Final = {
    "changed": (
        "{label} ändrad från {before} till {after}",
        "{label} changed from {before} to {after}",
    ),
    "added": ("{label}: {after} (ny uppgift)", "{label}: {after} (added)"),
    "removed": ("{label} borttagen (var {before})", "{label} removed (was {before})"),
    "new_month": ("Ny månad: {details}", "New month: {details}"),
    "removed_month": ("Borttagen månad: {details}", "Removed month: {details}"),
    "changed_month": ("Ändrad månad: {details}", "Changed month: {details}"),
    "new_row": ("Ny rad i {table}: {details}", "New row in {table}: {details}"),
    "removed_row": ("Borttagen rad i {table}: {details}", "Removed row in {table}: {details}"),
    "was": ("{now} (förut {before})", "{now} (was {before})"),
    "none": ("inget", "none"),
}
# How a month's figures read in a sentence: "168 arbetade timmar".
_MONTH_CELLS: Final = {
    "hours_worked": ("{} arbetade timmar", "{} hours worked"),
    "absence": ("{} timmar frånvaro", "{} hours of absence"),
    "overtime": ("{} timmar övertid", "{} hours of overtime"),
    "extra_time": ("{} timmar mertid", "{} additional hours"),
}


@dataclass(frozen=True)
class Change:
    """One change: the sentence people read, and the field's label with both values (a value
    is "" where the field or row was empty)."""

    sentence: str
    label: str
    before: str
    after: str


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any], locale: str = "sv"
) -> list[Change]:
    """Every difference, in the order of the paper form."""
    lang = language(locale)
    old, new = dict(_leaves(before, "")), dict(_leaves(after, ""))
    found: list[Change] = []
    keys = list(dict.fromkeys([*new, *old]))
    rank = {key[0]: index for index, key in reversed(list(enumerate(keys)))}
    for key in sorted(keys, key=lambda k: (rank[k[0]], k[1:])):
        if key in old and key in new and old[key] == new[key]:
            continue
        path = key[0]
        if len(key) == 1:
            found.append(_field_change(path, old.get(key), new.get(key), lang))
        else:
            found.append(_row_change(path, old.get(key), new.get(key), lang))
    return found


def _say(key: str, lang: str, **values: str) -> str:
    sv, en = _PHRASES[key]
    return (en if lang == "en" else sv).format(**values)


def _field_label(path: str, lang: str) -> str:
    """ "Anställningstid, till och med": a field of a group reads with its group's name."""
    parent = path.rpartition(".")[0]
    if "." not in parent:
        return presentation.label(path, lang)
    own = presentation.label(path, lang)
    return f"{presentation.label(parent, lang)}, {own[:1].lower()}{own[1:]}"


def _field_change(path: str, old: Any, new: Any, lang: str) -> Change:
    label = _field_label(path, lang)
    before = "" if old is None else value_text(path, old, lang)
    after = "" if new is None else value_text(path, new, lang)
    if not before:
        sentence = _say("added", lang, label=label, after=after)
    elif not after:
        sentence = _say("removed", lang, label=label, before=before)
    else:
        sentence = _say("changed", lang, label=label, before=before, after=after)
    return Change(sentence, label, before, after)


def _row_change(path: str, old: Any, new: Any, lang: str) -> Change:
    table = field_label(path, lang)
    row = new if new is not None else old
    if path == MONTHLY:
        name = month_name(row, lang)
        label = f"{table}, {name}"
        before = _month_details(old, None, lang) if old is not None else ""
        after = _month_details(new, None, lang) if new is not None else ""
        if old is None:
            sentence = _say("new_month", lang, details=f"{name}, {after}" if after else name)
        elif new is None:
            sentence = _say("removed_month", lang, details=f"{name} ({before})" if before else name)
        else:
            details = _month_details(new, old, lang)
            sentence = _say("changed_month", lang, details=f"{name}, {details}")
        return Change(sentence, label, before, after)
    details = _row_details(path, row, lang)
    if old is None:
        return Change(_say("new_row", lang, table=table, details=details), table, "", details)
    return Change(_say("removed_row", lang, table=table, details=details), table, details, "")


def _month_details(row: Mapping[str, Any], previous: Mapping[str, Any] | None, lang: str) -> str:
    """The month's figures in words; with `previous`, only those that changed, with their old
    value."""
    parts = []
    for name, phrases in _MONTH_CELLS.items():
        value = row.get(name)
        old = previous.get(name) if previous is not None else None
        if previous is not None and _same(value, old):
            continue
        if previous is None and value in _EMPTY:
            continue
        phrase = phrases[1] if lang == "en" else phrases[0]
        now = phrase.format(_figure(f"{MONTHLY}.{name}", value, lang))
        if previous is not None:
            was = _figure(f"{MONTHLY}.{name}", old, lang)
            now = _say("was", lang, now=now, before=was)
        parts.append(now)
    return ", ".join(parts)


def _figure(path: str, value: Any, lang: str) -> str:
    if value in _EMPTY:
        return _say("none", lang)
    return value_text(path, value, lang)


def _same(first: Any, second: Any) -> bool:
    if first in _EMPTY and second in _EMPTY:
        return True
    return bool(first == second)


def _row_details(path: str, row: Mapping[str, Any], lang: str) -> str:
    parts = []
    name = month_name(row, lang)
    if name:
        parts.append(name)
    for key, value in row.items():
        if key in ("year", "month") or value in _EMPTY:
            continue
        item = f"{path}.{key}"
        parts.append(f"{_field_label(item, lang)} {value_text(item, value, lang)}")
    return ", ".join(parts)


def _leaves(node: Any, path: str) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(key, value) for every filled-in scalar in the form's order, and one entry per list row:
    month rows keyed by their month, other rows by their content (a reordered row is no change)."""
    if isinstance(node, Mapping):
        order = child_order(path)
        names = sorted(node, key=lambda n: order.index(n) if n in order else len(order))
        for name in names:
            yield from _leaves(node[name], f"{path}.{name}" if path else name)
    elif isinstance(node, list):
        seen: dict[str, int] = {}
        for row in sorted_rows(path, node):
            key = _row_key(path, row)
            seen[key] = seen.get(key, 0) + 1
            yield (path, key, str(seen[key])), row
    elif node not in _EMPTY:
        yield (path,), node


def _row_key(path: str, row: Mapping[str, Any]) -> str:
    if path == MONTHLY and "year" in row and "month" in row:
        return f"{int(row['year']):04d}-{int(row['month']):02d}"
    return repr(sorted(row.items()))
