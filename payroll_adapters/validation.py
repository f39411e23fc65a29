"""Turning one record's raw content into a Draft, or into problems pointing back at the input.

A record with any problem yields problems only (never half a draft); every schema error is
placed at the input location its value came from.
"""

import copy
import decimal
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from payroll_adapters.model import Draft, Problem, draft_key, person_record_key
from payroll_adapters.values import to_decimal
from schemas import ContentInvalid, identity_warnings, load_checked, load_income_table

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Location:
    """A place in the input: pointer (path, JSON pointer or CSV cell) and line."""

    pointer: str
    line: int | None = None


@dataclass
class Origins:
    """Where each part of a record's content came from; unknown parts fall back to the record."""

    record: Location
    parts: dict[Path, Location] = field(default_factory=dict)

    def add(self, path: Path, location: Location) -> None:
        self.parts.setdefault(path, location)

    def of(self, path: Path) -> Location:
        for end in range(len(path), 0, -1):
            found = self.parts.get(path[:end])
            if found is not None:
                return found
        return self.record


def error_leaves(errors: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """(path, message key) of every error in marshmallow's nested error shape."""
    if isinstance(errors, str):
        yield path, errors
    elif isinstance(errors, Mapping):
        for key, value in errors.items():
            yield from error_leaves(value, path if key == "_schema" else (*path, key))
    elif isinstance(errors, list | tuple):
        for item in errors:
            yield from error_leaves(item, path)


def problems_at(errors: Any, origins: Origins, prefix: Path = ()) -> list[Problem]:
    """Schema errors as problems located through `origins`."""
    problems = []
    for path, key in error_leaves(errors, prefix):
        where = origins.of(path)
        code, *params = key.split(":")
        problems.append(
            Problem(
                code,
                where.pointer,
                line=where.line,
                params=tuple(params),
                field=".".join(str(part) for part in path) or None,
            )
        )
    return problems


def _loaded(raw: Mapping[str, Any], variant: str) -> tuple[dict[str, Any], bool, list[str]]:
    """The content loaded, whether it is complete, and its warnings: one load when it is
    complete, as a payroll system's usually is. The full rules only add requirements to the
    draft's, so content that passes them loads the same as a draft. Raises ContentInvalid with
    the draft's errors."""
    try:
        content, warnings = load_checked(raw, variant)
    except ContentInvalid:
        content, warnings = load_checked(raw, variant, partial=True)
        return content, False, warnings
    return content, True, warnings


_CENT = decimal.Decimal("0.01")
_SHOWN_DECIMALS = 14  # a sum spread over days may have 28; people read the first ones


def rounding(path: Path, given: decimal.Decimal, content: Mapping[str, Any]) -> str:
    """The warning that a number at `path` was rounded to hundredths: field, the value as
    given, the value kept, and the month when it is a row of the worked-time table."""
    rounded = given.quantize(_CENT, rounding=decimal.ROUND_HALF_UP)
    month = ""
    if path[:2] == ("worked_time", "months") and len(path) > 2:
        row = content["worked_time"]["months"][path[2]]
        month = f"{row.get('year')}-{str(row.get('month')).zfill(2)}"
    shown = format(given.normalize(), "f")
    if given.as_tuple().exponent < -_SHOWN_DECIMALS:  # type: ignore[operator]
        shown = format(given.quantize(decimal.Decimal(1).scaleb(-_SHOWN_DECIMALS)), "f") + "…"
    return ":".join(("rounded", ".".join(map(str, path)), shown, str(rounded), month))


def _rounded(raw: Mapping[str, Any], errors: Any) -> tuple[dict[str, Any], list[str]] | None:
    """`raw` with every number finer than hundredths rounded half up, and a warning for each;
    None when no error is about decimals. Formats type these numbers xs:decimal (or a plain
    JSON or CSV number): any precision is valid there, and the certificate holds hundredths."""
    fine = [path for path, key in error_leaves(errors) if key.startswith("too_many_decimals")]
    if not fine:
        return None
    content: dict[str, Any] = copy.deepcopy(dict(raw))
    warnings = []
    for path in fine:
        parent: Any = content
        for part in path[:-1]:
            parent = parent[part]
        given = to_decimal(str(parent[path[-1]]))
        if given is None:
            continue
        warnings.append(rounding(path, given, content))
        parent[path[-1]] = str(given.quantize(_CENT, rounding=decimal.ROUND_HALF_UP))
    return content, warnings


# What a draft holds beyond who it is about and who issues it.
_PARTIES = frozenset({"employee", "employer"})


def _unusable(
    content: Mapping[str, Any],
    income: Sequence[Any],
    origins: Origins,
    employment_id: str | None,
) -> list[Problem]:
    """A record no draft can be made of: nobody to deliver it to (a certificate is about one
    person with a personnummer or samordningsnummer, or an employment id of the file's that
    the importer matches to one), or nothing about the employment nor any income."""
    employee = content.get("employee") or {}
    if not employee.get("personnummer") and employment_id is None:
        where = origins.of(("employee", "personnummer"))
        return [
            Problem(
                "personnummer_required",
                where.pointer,
                line=where.line,
                field="employee.personnummer",
            )
        ]
    if set(content) <= _PARTIES and not income:
        return [Problem("record_without_content", origins.record.pointer, line=origins.record.line)]
    return []


def draft_or_problems(
    *,
    format_name: str,
    variant: str,
    raw: Mapping[str, Any],
    origins: Origins,
    income: Any = None,
    employer_hint: str | None = None,
    key: str | None = None,
    warnings: Sequence[str] = (),
    employment_id: str | None = None,
    person_key: tuple[str, str, str] | None = None,
) -> Draft | list[Problem]:
    """Validate raw content (and an income table) as a draft of `variant`.

    The employer hint is the content's organisation number, else `employer_hint` (an id the
    file gives). `key` overrides the record key when the format knows a better natural key than the
    content's employment.
    """
    problems: list[Problem] = []
    content: dict[str, Any] = {}
    complete = False
    found: list[str] = []
    table: list[dict[str, Any]] = []
    try:
        content, complete, found = _loaded(raw, variant)
    except ContentInvalid as invalid:
        fixed = _rounded(raw, invalid.errors)
        try:
            if fixed is None:
                raise invalid
            raw, rounded = fixed
            content, complete, found = _loaded(raw, variant)
            found = [*rounded, *found]
        except ContentInvalid as still:
            problems += problems_at(still.errors, origins)
    if income is not None:
        try:
            table = load_income_table(income)
        except ContentInvalid as invalid:
            problems += problems_at(invalid.errors, origins, ("income",))
    if not problems:
        problems += _unusable(content, table, origins, employment_id)
    if problems:
        return problems
    return Draft(
        variant=variant,
        content=content,
        complete=complete,
        record_key=key or draft_key(format_name, variant, content, table),
        pointer=origins.record.pointer,
        line=origins.record.line,
        employer_hint=content.get("employer", {}).get("organisation_number") or employer_hint,
        income=tuple(table),
        employment_id=employment_id,
        person_key=person_key,
        warnings=tuple(dict.fromkeys([*identity_warnings(raw), *found, *warnings])),
    )


def identified(draft: Draft, person: Mapping[str, str]) -> Draft | list[Problem]:
    """A draft the file named by employment id only, now about the person the importer found
    for that id (`person`: personnummer, first_name, last_name; the file's own names are
    kept), keyed as a record naming the person."""
    raw = copy.deepcopy(draft.content)
    employee = raw.setdefault("employee", {})
    for name, value in person.items():
        employee.setdefault(name, value)
    personnummer = person["personnummer"]
    scope = draft.person_key
    return draft_or_problems(
        format_name="",
        variant=draft.variant,
        raw=raw,
        origins=Origins(Location(draft.pointer, draft.line)),
        income=list(draft.income) or None,
        employer_hint=draft.employer_hint,
        key=person_record_key(scope, personnummer) if scope else draft.record_key,
        warnings=draft.warnings,
        employment_id=draft.employment_id,
    )
