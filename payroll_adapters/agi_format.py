"""Skatteverket's employer declaration (AGI), XML schema 1.1: one IncomeRecord per `IU`.

Root `Skatteverket` (omrade="Arbetsgivardeklaration", namespace
http://xmls.skatteverket.se/se/skatteverket/da/instans/schema/1.1), its content in
http://xmls.skatteverket.se/se/skatteverket/da/komponent/schema/1.1; elements are matched by
local name and amounts by their `faltkod` attribute. Each `Blankett` is read and freed in turn.

An IU gives the person (215 `BetalningsmottagarId`), the month (006 `RedovisningsPeriod`, else
the form's `Arendeinformation/Period`), the specification number (570) and the employer (201
`AgRegistreradId`, else `Blankettgemensamt/Arbetsgivare`). Income of work, as the a-kassa takes it
(payroll-formats.md §3):

- cash pay: 011 `KontantErsattningUlagAG`, kontant bruttolön m.m.;
- benefits: 012 `SkatteplOvrigaFormanerUlagAG` (taxable benefits other than car and fuel), 013
  `SkatteplBilformanUlagAG` (car benefit) and 018 `DrivmVidBilformanUlagAG` (fuel with a car
  benefit): the taxable benefits declared on the same base as 011, the base for employer
  contributions and tax deduction.

Not counted: 001 preliminary tax, 019 deduction for expenses at work, 020 other expense
compensation, 010 offset of contribution-free compensation, 030 occupational pension, the
yes/no boxes (041, 043, 048–056) whose benefit value is already in 012, and the fields outside
the employer-contribution base (the `…EjUlagSA` fields 131–139); extend `BENEFIT_FIELDS` if the
a-kassa counts more.

Replacement: a later IU with the same employer, person, period and specification number replaces
an earlier one, within a file and across files; `Borttag` (205) withdraws it. Records are yielded
in file order with that natural key as `record_key`, so an upsert by key (or `latest_income`)
keeps the statement in force. Main statements (HU) are counted as skipped.
"""

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from lxml import etree

from payroll_adapters.model import IncomeRecord, Item, Problem, record_key
from payroll_adapters.summary import Skipped, summarised
from payroll_adapters.values import to_whole
from payroll_adapters.xmlstream import Node, TopLevelStream, line_of, path_within, text
from schemas import validate_organisationsnummer, validate_personnummer

INSTANCE_NAMESPACE = "http://xmls.skatteverket.se/se/skatteverket/da/instans/schema/1.1"
COMPONENT_NAMESPACE = "http://xmls.skatteverket.se/se/skatteverket/da/komponent/schema/1.1"
AREA = "Arbetsgivardeklaration"
CASH_PAY_FIELDS = ("011",)
BENEFIT_FIELDS = ("012", "013", "018")
_COUNTED = frozenset((*CASH_PAY_FIELDS, *BENEFIT_FIELDS))
_PERIOD = re.compile(r"(\d{4})(0[1-9]|1[0-2])")
_COMMON = "Blankettgemensamt"
# What a statement is read for, each part taken at its first occurrence.
_PARTS = (
    "BetalningsmottagarId",
    "AgRegistreradId",
    "RedovisningsPeriod",
    "Specifikationsnummer",
    "Borttag",
)
_STATEMENT_PARTS = frozenset(_PARTS)
# Luhn's doubled digits, each replaced by the sum of its digits.
_DOUBLED = str.maketrans("0123456789", "0246813579")


def read_agi(stream: BinaryIO, *, max_bytes: int) -> Iterator[Item]:
    """Income records and problems from an AGI file, then a Summary."""
    return summarised("agi", _read(stream, max_bytes))


def _read(stream: BinaryIO, max_bytes: int) -> Iterator[Item | Skipped]:
    xml = TopLevelStream(
        stream,
        max_bytes=max_bytes,
        records={"Blankett", _COMMON},
        repeated={"Blankett"},
        root="Skatteverket",
    )
    common_employer: str | None = None
    area_checked = False
    for node in xml:
        if not area_checked:
            area = xml.root_element.get("omrade") if xml.root_element is not None else None
            if area is not None and area != AREA:
                yield Problem("wrong_area", "/Skatteverket", params=(area,), fatal=True)
                return
            area_checked = True
        if node.name == _COMMON:
            common_employer = text(_first(node.element, "AgRegistreradId"))
            continue
        statement = _first(node.element, "IU")
        if statement is None:
            yield Skipped("HU" if _first(node.element, "HU") is not None else "other")
            continue
        yield from _statement(node, statement, common_employer)


def _first(element: etree._Element, name: str) -> etree._Element | None:
    """The first descendant with local name `name` (libxml2 does the looking)."""
    for found in element.iter(f"{{*}}{name}"):
        if found is not element:
            return found
    return None


_PART_OF: dict[object, str] = {}


def _part_of(tag: object) -> str:
    """The statement part an element's tag names, or "" (remembered for a file's few tags)."""
    part = _PART_OF.get(tag)
    if part is None:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        part = name if name in _STATEMENT_PARTS else ""
        if len(_PART_OF) < 256:
            _PART_OF[tag] = part
    return part


class _Statement:
    """One IU read in one pass: its parts by local name, its counted amounts by field code, and
    its problems, each placed at the element concerned (or the IU itself). The pointers are
    worked out only for problems."""

    def __init__(self, node: Node, statement: etree._Element) -> None:
        self.node, self.statement = node, statement
        self.parts, self.amounts = _walk(statement)
        self.found: list[Problem] = []

    def add(self, code: str, element: etree._Element | None, *params: str, field: str) -> None:
        at = element if element is not None else self.statement
        where = path_within(self.node, at)
        self.found.append(Problem(code, where, line=line_of(at), params=params, field=field))


def _walk(
    statement: etree._Element,
) -> tuple[dict[str, etree._Element], list[tuple[str, etree._Element]]]:
    """A statement's parts by local name (each at its first occurrence) and its counted
    amounts by field code, in one pass."""
    parts: dict[str, etree._Element] = {}
    amounts: list[tuple[str, etree._Element]] = []
    for element in statement.iter():
        code = element.get("faltkod")
        if code in _COUNTED:
            amounts.append((code, element))
        tag = element.tag
        part = _PART_OF.get(tag)
        if part is None:
            part = _part_of(tag)
        if part and part not in parts:
            parts[part] = element
    return parts, amounts


def _person(statement: _Statement) -> str | None:
    element = statement.parts.get("BetalningsmottagarId")
    value = text(element)
    if value is None:
        statement.add("agi_no_personnummer", element, field="personnummer")
        return None
    try:
        return _valid_personnummer(value)
    except ValueError:
        statement.add("invalid_personnummer", element, field="personnummer")
        return None


def _valid_personnummer(value: str) -> str:
    """What `validate_personnummer` answers, the same rules checked directly for the twelve
    plain digits AGI files write (a file names each person once a month); anything else goes
    through the general parser."""
    plain = _plain_personnummer(value)
    return plain if plain is not None else validate_personnummer(value)


def _plain_personnummer(value: str) -> str | None:
    """Twelve plain digits that are a valid personnummer or samordningsnummer, else None."""
    if (
        len(value) == 12
        and value.isascii()
        and value.isdigit()
        and value[8:11] != "000"
        and _luhn_digit(value[2:11]) == value[11]
    ):
        day = int(value[6:8])
        try:
            dt.date(int(value[:4]), int(value[4:6]), day - 60 if day > 60 else day)
        except ValueError:
            return None
        return value
    return None


def _luhn_digit(digits: str) -> str:
    """The Luhn check digit of ASCII digits, the first one doubled."""
    doubled = digits[::2].translate(_DOUBLED).encode()
    # Summing the bytes of ASCII digits adds their values plus 48 (b"0") for each.
    total = sum(doubled) + sum(digits[1::2].encode()) - 48 * len(digits)
    return str(-total % 10)


def _employer(statement: _Statement, common: str | None) -> str | None:
    element = statement.parts.get("AgRegistreradId")
    employer = text(element) or common or text(_first(statement.node.element, "Arendeagare"))
    if employer is None:
        statement.add("agi_missing", element, "AgRegistreradId (201)", field="employer")
        return None
    if not _valid_employer(employer):
        statement.add("invalid_orgnr", element, field="employer")
        return None
    return employer


@functools.lru_cache(maxsize=64)
def _valid_employer(employer: str) -> bool:
    """Cached: a file repeats its employer on every statement."""
    try:
        validate_organisationsnummer(employer)
    except ValueError:
        return False
    return True


def _period(statement: _Statement) -> str | None:
    element = statement.parts.get("RedovisningsPeriod")
    form_period = text(_first(statement.node.element, "Period"))
    period = text(element) or form_period
    if period is None:
        statement.add("agi_missing", element, "RedovisningsPeriod (006)", field="period")
    elif _PERIOD.fullmatch(period) is None:
        statement.add("agi_bad_period", element, period, field="period")
    elif form_period is not None and form_period != period:
        statement.add("agi_period_mismatch", element, period, form_period, field="period")
    else:
        return period
    return None


def _number(statement: _Statement) -> int | None:
    element = statement.parts.get("Specifikationsnummer")
    value = text(element)
    number = to_whole(value or "")
    if value is None:
        statement.add(
            "agi_missing", element, "Specifikationsnummer (570)", field="specification_number"
        )
    elif number is None or number < 1:
        statement.add("not_integer", element, field="specification_number")
    else:
        return number
    return None


def _amounts(statement: _Statement) -> tuple[int, int]:
    """(cash pay, benefits)."""
    cash = benefits = 0
    for code, element in statement.amounts:
        value = to_whole(text(element) or "")
        if value is None:
            statement.add("agi_bad_amount", element, code, field=f"field_{code}")
        elif code in CASH_PAY_FIELDS:
            cash += value
        else:
            benefits += value
    return cash, benefits


def _key(employer: str, personnummer: str, period: str, number: int) -> str:
    """`record_key("agi", employer, personnummer, period, number)`, its canonical JSON written
    directly when every part is plain digits (nothing to escape): the same key, made cheaply."""
    joined = employer + personnummer + period
    if joined.isascii() and joined.isdigit():
        canonical = f'["agi","{employer}","{personnummer}","{period}",{number}]'
        return hashlib.sha256(canonical.encode()).hexdigest()
    return record_key("agi", employer, personnummer, period, number)


def _plain(element: etree._Element | None) -> str | None:
    """`text(element)` when the element carries no attribute but `faltkod` (so no xsi:nil), as
    AGI elements do; "" when it might: the caller then reads the statement the careful way."""
    if element is None:
        return None
    keys = element.keys()
    if keys and keys != _FALTKOD:
        return ""
    value = element.text
    return (value.strip() or None) if value is not None else None


_FALTKOD = ["faltkod"]


def _whole(value: str | None) -> int | None:
    """A whole number of plain ASCII digits (what `to_whole` reads the same), else None."""
    if value is not None and len(value) <= 12 and value.isascii() and value.isdigit():
        return int(value)
    return None


def _plain_parts(
    element: etree._Element,
) -> tuple[dict[str, etree._Element], int, int] | None:
    """A statement's parts, cash pay and benefits; None when an amount is not plain digits."""
    parts, amounts = _walk(element)
    cash = benefits = 0
    for code, child in amounts:
        value = _whole(_plain(child))
        if value is None:
            return None
        if code in CASH_PAY_FIELDS:
            cash += value
        else:
            benefits += value
    return parts, cash, benefits


def _plain_statement(node: Node, element: etree._Element, common: str | None) -> Item | None:
    """The income record of a statement with nothing to report, read in one pass with the
    checks a well-formed file passes; None for anything else, which `_statement` then reads
    (the same result, problems placed at their fields)."""
    found = _plain_parts(element)
    if found is None:
        return None
    parts, cash, benefits = found
    form = node.element
    personnummer, employer, period, number, borttag = (_plain(parts.get(name)) for name in _PARTS)
    if "" in (personnummer, employer, period, number, borttag):
        return None  # an attribute that might be xsi:nil
    employer = employer or common or _plain(_first(form, "Arendeagare"))
    form_period = _plain(_first(form, "Period"))
    period = period or form_period
    whole = _whole(number)
    if (
        not personnummer
        or _plain_personnummer(personnummer) is None
        or not employer
        or not _valid_employer(employer)
        or not period
        or _PERIOD.fullmatch(period) is None
        or (form_period is not None and form_period != period)
        or not whole
    ):
        return None
    key = (personnummer, employer, period, whole)
    return _record(node, element, key, (cash, benefits), borttag)


def _statement(node: Node, element: etree._Element, common: str | None) -> tuple[Item, ...]:
    """The statement's income record, or its problems."""
    plain = _plain_statement(node, element, common)
    return (plain,) if plain is not None else _careful_statement(node, element, common)


def _careful_statement(node: Node, element: etree._Element, common: str | None) -> tuple[Item, ...]:
    """The statement read field by field, each problem placed at its element."""
    statement = _Statement(node, element)
    personnummer = _person(statement)
    employer = _employer(statement, common)
    period = _period(statement)
    number = _number(statement)
    cash, benefits = _amounts(statement)
    if statement.found or not (personnummer and employer and period and number):
        return tuple(statement.found)
    borttag = text(statement.parts.get("Borttag"))
    key = (personnummer, employer, period, number)
    return (_record(node, element, key, (cash, benefits), borttag),)


def _record(
    node: Node,
    element: etree._Element,
    key: tuple[str, str, str, int],
    amounts: tuple[int, int],
    borttag: str | None,
) -> IncomeRecord:
    """The record of a statement read without problems: `key` is (personnummer, employer,
    period, specification number), `amounts` (cash pay, benefits)."""
    personnummer, employer, period, number = key
    removed = (borttag or "").lower() in ("1", "true")
    return IncomeRecord(
        personnummer=personnummer,
        year=int(period[:4]),
        month=int(period[4:]),
        cash_pay=0 if removed else amounts[0],
        benefits=0 if removed else amounts[1],
        employer=employer,
        specification_number=number,
        source_pointer=path_within(node, element),
        line=line_of(element),
        record_key=_key(employer, personnummer, period, number),
        removed=removed,
    )


def latest_income(records: Iterable[IncomeRecord]) -> list[IncomeRecord]:
    """The statements in force: the last one read per record key, withdrawn ones left out."""
    latest: dict[str, IncomeRecord] = {}
    for record in records:
        latest[record.record_key] = record
    return [record for record in latest.values() if not record.removed]


def income_by_month(records: Iterable[IncomeRecord]) -> dict[tuple[str, str, int, int], int]:
    """Income of work per (employer, personnummer, year, month), summed over the statements
    in force with different specification numbers."""
    totals: dict[tuple[str, str, int, int], int] = {}
    for record in latest_income(records):
        key = (record.employer, record.personnummer, record.year, record.month)
        totals[key] = totals.get(key, 0) + record.income
    return totals
