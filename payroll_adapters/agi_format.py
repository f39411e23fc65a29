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

import functools
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from lxml import etree

from payroll_adapters.model import IncomeRecord, Item, Problem, record_key
from payroll_adapters.summary import Skipped, summarised
from payroll_adapters.values import to_whole
from payroll_adapters.xmlstream import Node, XmlStream, line_of, local, path_within, text
from schemas import validate_organisationsnummer, validate_personnummer

INSTANCE_NAMESPACE = "http://xmls.skatteverket.se/se/skatteverket/da/instans/schema/1.1"
COMPONENT_NAMESPACE = "http://xmls.skatteverket.se/se/skatteverket/da/komponent/schema/1.1"
AREA = "Arbetsgivardeklaration"
CASH_PAY_FIELDS = ("011",)
BENEFIT_FIELDS = ("012", "013", "018")
_PERIOD = re.compile(r"(\d{4})(0[1-9]|1[0-2])")
_COMMON = "Blankettgemensamt"


def read_agi(stream: BinaryIO, *, max_bytes: int) -> Iterator[Item]:
    """Income records and problems from an AGI file, then a Summary."""
    return summarised("agi", _read(stream, max_bytes))


def _read(stream: BinaryIO, max_bytes: int) -> Iterator[Item | Skipped]:
    xml = XmlStream(
        stream,
        max_bytes=max_bytes,
        records={"Blankett", _COMMON},
        repeated={"Blankett"},
        root="Skatteverket",
    )
    common_employer: str | None = None
    for node in xml:
        area = xml.root_element.get("omrade") if xml.root_element is not None else None
        if area is not None and area != AREA:
            yield Problem("wrong_area", "/Skatteverket", params=(area,), fatal=True)
            return
        if node.name == _COMMON:
            found = _first(node.element, "AgRegistreradId")
            common_employer = text(found)
            continue
        statement = _first(node.element, "IU")
        if statement is None:
            yield Skipped("HU" if _first(node.element, "HU") is not None else "other")
            continue
        yield from _statement(node, statement, common_employer)


def _first(element: etree._Element, name: str) -> etree._Element | None:
    """The first descendant with local name `name`."""
    for found in element.iter():
        if isinstance(found.tag, str) and found is not element and local(found) == name:
            return found
    return None


class _Problems:
    """Problems of one IU, each placed at the element concerned (or the IU itself)."""

    def __init__(self, node: Node, statement: etree._Element) -> None:
        self.node, self.statement = node, statement
        self.found: list[Problem] = []

    def add(self, code: str, element: etree._Element | None, *params: str, field: str) -> None:
        at = element if element is not None else self.statement
        where = path_within(self.node, at)
        self.found.append(Problem(code, where, line=line_of(at), params=params, field=field))


def _person(statement: etree._Element, problems: _Problems) -> str | None:
    element = _first(statement, "BetalningsmottagarId")
    value = text(element)
    if value is None:
        problems.add("agi_no_personnummer", element, field="personnummer")
        return None
    try:
        return validate_personnummer(value)
    except ValueError:
        problems.add("invalid_personnummer", element, field="personnummer")
        return None


def _employer(
    node: Node, statement: etree._Element, common: str | None, problems: _Problems
) -> str | None:
    element = _first(statement, "AgRegistreradId")
    employer = text(element) or common or text(_first(node.element, "Arendeagare"))
    if employer is None:
        problems.add("agi_missing", element, "AgRegistreradId (201)", field="employer")
        return None
    if not _valid_employer(employer):
        problems.add("invalid_orgnr", element, field="employer")
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


def _period(node: Node, statement: etree._Element, problems: _Problems) -> str | None:
    element = _first(statement, "RedovisningsPeriod")
    form_period = text(_first(node.element, "Period"))
    period = text(element) or form_period
    if period is None:
        problems.add("agi_missing", element, "RedovisningsPeriod (006)", field="period")
    elif _PERIOD.fullmatch(period) is None:
        problems.add("agi_bad_period", element, period, field="period")
    elif form_period is not None and form_period != period:
        problems.add("agi_period_mismatch", element, period, form_period, field="period")
    else:
        return period
    return None


def _number(statement: etree._Element, problems: _Problems) -> int | None:
    element = _first(statement, "Specifikationsnummer")
    value = text(element)
    number = to_whole(value or "")
    if value is None:
        problems.add(
            "agi_missing", element, "Specifikationsnummer (570)", field="specification_number"
        )
    elif number is None or number < 1:
        problems.add("not_integer", element, field="specification_number")
    else:
        return number
    return None


def _amounts(statement: etree._Element, problems: _Problems) -> dict[str, int]:
    amounts = dict.fromkeys((*CASH_PAY_FIELDS, *BENEFIT_FIELDS), 0)
    for element in statement.iter():
        code = element.get("faltkod") if isinstance(element.tag, str) else None
        if code not in amounts:
            continue
        value = to_whole(text(element) or "")
        if value is None:
            problems.add("agi_bad_amount", element, code, field=f"field_{code}")
        else:
            amounts[code] += value
    return amounts


def _statement(node: Node, statement: etree._Element, common: str | None) -> Iterator[Item]:
    problems = _Problems(node, statement)
    personnummer = _person(statement, problems)
    employer = _employer(node, statement, common, problems)
    period = _period(node, statement, problems)
    number = _number(statement, problems)
    amounts = _amounts(statement, problems)
    if problems.found or not (personnummer and employer and period and number):
        yield from problems.found
        return
    removed = (text(_first(statement, "Borttag")) or "").lower() in ("1", "true")
    yield IncomeRecord(
        personnummer=personnummer,
        year=int(period[:4]),
        month=int(period[4:]),
        cash_pay=0 if removed else sum(amounts[code] for code in CASH_PAY_FIELDS),
        benefits=0 if removed else sum(amounts[code] for code in BENEFIT_FIELDS),
        employer=employer,
        specification_number=number,
        source_pointer=path_within(node, statement),
        line=line_of(statement),
        record_key=record_key("agi", employer, personnummer, period, number),
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
