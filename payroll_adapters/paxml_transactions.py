"""Reading PAXml `tidtrans`, `lonetrans` and `lonebesked` records into employee ledgers.

A transaction that cannot be read puts a problem on its employee's ledger, so that employee's
draft is not made from partial data; one naming no employee is a problem of its own.
"""

import datetime as dt
import decimal
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from payroll_adapters.model import Problem
from payroll_adapters.paxml_time import (
    ABSENCE,
    IGNORED,
    MAX_RANGE_DAYS,
    Ledger,
    column,
    counts_as_pay,
    counts_as_payslip_row,
    spread_hours,
)
from payroll_adapters.validation import Location
from payroll_adapters.values import to_date, to_datetime, to_decimal
from payroll_adapters.xmlstream import Node, child, child_path, line_of, named, text

_PERIOD_ID = re.compile(r"(\d{4})-?(\d{2})")


class _UnreadableError(Exception):
    """A transaction value that cannot be read, with the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class Ledgers:
    """Ledgers by employee key ("persnr:…" or "anstid:…"), and which anstid is which persnr."""

    by_key: dict[str, Ledger] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def of(self, node: Node) -> Ledger | None:
        key = employee_key(node.element, self.aliases)
        if key is None:
            return None
        return self.by_key.setdefault(key, Ledger(Location(node.path, node.line)))


def identity(element: etree._Element) -> tuple[str | None, str | None]:
    """(anstid, persnr) of a record, as attribute or child element."""
    found = []
    for name in ("anstid", "persnr"):
        value = element.get(name)
        found.append(value.strip() if value and value.strip() else text(child(element, name)))
    return found[0], found[1]


def employee_key(element: etree._Element, aliases: dict[str, str]) -> str | None:
    """The ledger key of a record: its persnr when given (remembering its anstid), else anstid."""
    anstid, persnr = identity(element)
    if persnr is not None:
        if anstid is not None:
            aliases[anstid] = persnr
        return f"persnr:{persnr}"
    return f"anstid:{anstid}" if anstid is not None else None


def _value(node: Node, name: str) -> tuple[str | None, Location]:
    element = child(node.element, name)
    if element is None:
        return None, Location(node.path, node.line)
    return text(element), Location(child_path(node.path, node.element, element), line_of(element))


def _date(node: Node, name: str) -> dt.date | None:
    value, where = _value(node, name)
    if value is None:
        return None
    day = to_date(value)
    # Certificates cover the years 1900-2100; outside them a date is a typo (or an attack).
    if day is None or not 1900 <= day.year <= 2100:
        raise _UnreadableError(Problem("bad_date", where.pointer, line=where.line, params=(value,)))
    return day


def _number(node: Node, name: str) -> decimal.Decimal | None:
    value, where = _value(node, name)
    if value is None:
        return None
    number = to_decimal(value)
    if number is None:
        raise _UnreadableError(
            Problem("bad_number", where.pointer, line=where.line, params=(value,))
        )
    return number


def _range(node: Node) -> tuple[dt.date, dt.date]:
    single = _date(node, "datum")
    start, end = _date(node, "datumfrom"), _date(node, "datumtom")
    if single is not None:
        return single, single
    if start is None or end is None:
        raise _UnreadableError(Problem("no_date", node.path, line=node.line))
    if end < start or (end - start).days > MAX_RANGE_DAYS:
        raise _UnreadableError(
            Problem("bad_range", node.path, line=node.line, params=(str(start), str(end)))
        )
    return start, end


def _clock_hours(node: Node) -> decimal.Decimal | None:
    starts, ends = (_value(node, name)[0] for name in ("starttid", "sluttid"))
    begin, finish = (to_datetime(value) if value else None for value in (starts, ends))
    if begin is None or finish is None or finish < begin or begin.tzinfo != finish.tzinfo:
        return None
    return decimal.Decimal((finish - begin).total_seconds()) / 3600


def read_time(node: Node, ledgers: Ledgers) -> Iterator[Problem]:
    """Add one `tidtrans` to its employee's ledger."""
    ledger = ledgers.of(node)
    if ledger is None:
        yield Problem("no_employee", node.path, line=node.line)
        return
    code = text(child(node.element, "tidkod")) or ""
    name = column(code)
    if name is None:
        ledger.warnings.append(f"unknown_time_code:{code}")
        return
    if name == IGNORED:
        return
    at = Location(node.path, node.line)
    try:
        start, end = _range(node)
        hours, share = _number(node, "timmar"), _number(node, "omfattning")
        if share is not None and not 0 < share <= 100:
            where = _value(node, "omfattning")[1]
            raise _UnreadableError(
                Problem("bad_number", where.pointer, line=where.line, params=(str(share),))
            )
        if hours is None and share is None:
            hours = _clock_hours(node)
        if hours is None and share is None and name == ABSENCE:
            share = decimal.Decimal(100)  # absence without extent: the whole scheduled day
    except _UnreadableError as unreadable:
        ledger.problems.append(unreadable.problem)
        return
    if hours is not None:
        ledger.add_time(name, spread_hours(start, end, hours), days=False, at=at)
    elif share is not None:
        ledger.add_share(name, start, end, share / 100, at=at)
    else:
        ledger.problems.append(Problem("no_hours", node.path, line=node.line))


def read_schedule(node: Node, ledgers: Ledgers) -> Iterator[Problem]:
    """Add one `schema` (a person's scheduled hours by day) to its employee's ledger."""
    ledger = ledgers.of(node)
    if ledger is None:
        yield Problem("no_employee", node.path, line=node.line)
        return
    for day, where in named(node.path, node.element, "dag"):
        date, hours = to_date(day.get("datum") or ""), to_decimal(day.get("timmar") or "")
        if hours is None:
            begin, finish = (to_datetime(day.get(name) or "") for name in ("starttid", "sluttid"))
            if begin is not None and finish is not None and finish >= begin:
                hours = decimal.Decimal((finish - begin).total_seconds()) / 3600
                date = date or begin.date()
        if date is None or hours is None or hours < 0:
            ledger.problems.append(Problem("bad_schedule_day", where, line=line_of(day)))
            continue
        ledger.add_schedule(date, hours)


def read_pay(node: Node, ledgers: Ledgers) -> Iterator[Problem]:
    """Add one `lonetrans` to its employee's ledger."""
    ledger = ledgers.of(node)
    if ledger is None:
        yield Problem("no_employee", node.path, line=node.line)
        return
    if not counts_as_pay(text(child(node.element, "lonkod"))):
        return
    try:
        amount = _number(node, "belopp")
        count, price = _number(node, "antal"), _number(node, "apris")
        day = _date(node, "datum") or _date(node, "datumfrom")
    except _UnreadableError as unreadable:
        ledger.problems.append(unreadable.problem)
        return
    if amount is None and count is not None and price is not None:
        amount = count * price
    if amount is None:
        return  # a basis for the pay run (hours, pieces) without an amount yet
    if day is None:
        ledger.problems.append(Problem("no_date", node.path, line=node.line))
        return
    ledger.add_pay((day.year, day.month), amount, payslip=False, at=Location(node.path, node.line))


def read_payslip(node: Node, ledgers: Ledgers) -> Iterator[Problem]:
    """Add one `lonebesked` (payslip) to its employee's ledger."""
    ledger = ledgers.of(node)
    if ledger is None:
        yield Problem("no_employee", node.path, line=node.line)
        return
    try:
        paid = _date(node, "betaldatum")
        total = _payslip_total(node)
    except _UnreadableError as unreadable:
        ledger.problems.append(unreadable.problem)
        return
    period = _PERIOD_ID.fullmatch(text(child(node.element, "periodid")) or "")
    if paid is not None:
        month = (paid.year, paid.month)
    elif period is not None and 1 <= int(period.group(2)) <= 12:
        month = (int(period.group(1)), int(period.group(2)))
    else:
        ledger.problems.append(Problem("no_date", node.path, line=node.line))
        return
    ledger.add_pay(month, total, payslip=True, at=Location(node.path, node.line))


def _payslip_total(node: Node) -> decimal.Decimal:
    total = decimal.Decimal(0)
    rows = child(node.element, "lonerader")
    if rows is None:
        return total
    rows_path = child_path(node.path, node.element, rows)
    for row, where in named(rows_path, rows, "lonrad"):
        if counts_as_payslip_row(text(child(row, "lonetyp"))):
            amount = _number(Node(row, "lonrad", where, line_of(row)), "belopp")
            total += amount or 0
    return total
