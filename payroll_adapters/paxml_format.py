"""PAXml 2.x files (2.0, 2.1, 2.2 and unknown later versions): one `full` draft per employee.

Each employee in `personal` gets a draft with the employee, employer, employment, worked-time
table and salary blocks, and the pay per month as its income table (rules in `paxml_person` and
`paxml_time`). An employee who appears only in transactions still gets a draft with what the
transactions say. Unknown elements are ignored, whatever the version.

Real files put `personal` after the transactions, so drafts are made once the whole file has
been read: memory holds one small ledger per employee and month, never the transactions. A file
that breaks off yields its problem and no drafts, since each would lack what came after the
break. The record key is the employer, the employee (persnr, else anstid) and `anstdatum`.
"""

import copy
import datetime as dt
import decimal
from collections.abc import Iterator
from typing import Any, BinaryIO

from payroll_adapters.model import Item, Problem, record_key
from payroll_adapters.paxml_person import (
    Header,
    Person,
    is_paxml_persnr,
    read_header,
    read_person,
)
from payroll_adapters.paxml_time import (
    COLUMNS,
    WORKED,
    WORKING_DAY_HOURS,
    Ledger,
    Month,
    hundredths,
)
from payroll_adapters.paxml_time import whole_kronor as kronor
from payroll_adapters.paxml_transactions import (
    Ledgers,
    read_pay,
    read_payslip,
    read_schedule,
    read_time,
)
from payroll_adapters.summary import Skipped, summarised
from payroll_adapters.validation import Origins, draft_or_problems, rounding
from payroll_adapters.values import to_date
from payroll_adapters.xmlstream import XmlStream

_TRANSACTIONS = {
    "tidtrans": read_time,
    "lonetrans": read_pay,
    "lonebesked": read_payslip,
    "schema": read_schedule,
}
_RECORDS = {"header", "person", *_TRANSACTIONS}


def read_paxml(stream: BinaryIO, *, max_bytes: int) -> Iterator[Item]:
    """Drafts and problems from a PAXml file, then a Summary."""
    return summarised("paxml", _read(stream, max_bytes))


def _read(stream: BinaryIO, max_bytes: int) -> Iterator[Item | Skipped]:
    xml = XmlStream(
        stream,
        max_bytes=max_bytes,
        records=_RECORDS,
        repeated=_RECORDS - {"header"},
        root="paxml",
    )
    header = Header()
    persons: list[Person] = []
    ledgers = Ledgers()
    for node in xml:
        if node.name == "header":
            header = read_header(node)
            yield from header.problems
        elif node.name == "person":
            person = read_person(node)
            if person.deleted:
                yield Skipped("deleted_person")
            else:
                persons.append(person)
        else:
            yield from _TRANSACTIONS[node.name](node, ledgers)
    yield from _drafts(header, persons, ledgers)


def _drafts(header: Header, persons: list[Person], ledgers: Ledgers) -> Iterator[Item]:
    anstids_of: dict[str, list[str]] = {}
    for anstid, persnr in ledgers.aliases.items():
        anstids_of.setdefault(persnr, []).append(anstid)
    claimed: set[str] = set()
    for person in persons:
        keys = []
        if person.persnr is not None:
            keys += [f"persnr:{person.persnr}"]
            keys += [f"anstid:{anstid}" for anstid in anstids_of.get(person.persnr, [])]
        if person.anstid is not None:
            keys += [f"anstid:{person.anstid}"]
            alias = ledgers.aliases.get(person.anstid)
            keys += [f"persnr:{alias}"] if alias else []
        ledger = Ledger(person.location)
        for key in dict.fromkeys(keys):
            found = ledgers.by_key.get(key)
            if found is not None:
                ledger.absorb(found)
                claimed.add(key)
        who = keys[0] if keys else f"record:{person.location.pointer}"
        aliases = anstids_of.get(person.persnr or "", [])
        yield from _draft(header, ledger, who, person, person.anstid or _first_of(aliases))
    for key, ledger in ledgers.by_key.items():
        if key not in claimed and not ledger.only_schedule:
            aliases = anstids_of.get(key.removeprefix("persnr:"), [])
            named = key.removeprefix("anstid:") if key.startswith("anstid:") else None
            yield from _draft(header, ledger, key, None, named or _first_of(aliases))


def _first_of(anstids: list[str]) -> str | None:
    return anstids[0] if anstids else None


def _draft(
    header: Header, ledger: Ledger, who: str, person: Person | None, anstid: str | None
) -> Iterator[Item]:
    origins = Origins(person.location if person else ledger.first, dict(header.origins))
    content: dict[str, Any] = copy.deepcopy(person.content) if person else {}
    problems: list[Problem] = [*(person.problems if person else []), *ledger.problems]
    if person is None and who.startswith("persnr:"):
        persnr = who.removeprefix("persnr:")
        content["employee"] = {"personnummer": persnr}
        origins.add(("employee", "personnummer"), ledger.first)
        if not is_paxml_persnr(persnr):
            where = ledger.first
            problems.append(
                Problem(
                    "persnr_not_12_digits",
                    where.pointer,
                    line=where.line,
                    field="employee.personnummer",
                )
            )
    if person is not None:
        origins.parts.update(person.origins)
    if header.employer:
        content["employer"] = dict(header.employer)
    rate = person.rate if person else decimal.Decimal(100)
    rounded = _worked_time(content, ledger, WORKING_DAY_HOURS * rate / 100, origins)
    income = _income(ledger, origins)
    scope = ("paxml", header.employer_id or "", (person.start if person else None) or "")
    result = draft_or_problems(
        format_name="paxml",
        variant="full",
        raw=content,
        origins=origins,
        income=income or None,
        employer_hint=header.company_id,
        key=record_key(scope[0], scope[1], who, scope[2]),
        warnings=[*(person.warnings if person else []), *ledger.warnings, *rounded],
        employment_id=anstid,
        person_key=scope if who.startswith("anstid:") else None,
    )
    if problems:
        yield from problems
        if isinstance(result, list):
            # A persnr the file got wrong is already named; "no personnummer" would say it twice.
            named = any(problem.code == "persnr_not_12_digits" for problem in problems)
            yield from (
                problem
                for problem in result
                if not (named and problem.code == "personnummer_required")
            )
        return
    yield from result if isinstance(result, list) else [result]


def _worked_time(
    content: dict[str, Any], ledger: Ledger, day_hours: decimal.Decimal, origins: Origins
) -> list[str]:
    """The worked-time table from the ledger; returns a warning for each month's total that
    had to be rounded to hundredths."""
    ledger.settle()
    months = sorted(ledger.time)
    if not months:
        return []
    rows, finer = [], []
    for index, month in enumerate(months):
        totals = ledger.time[month]
        row: dict[str, Any] = {"year": month[0], "month": month[1]}
        for name in COLUMNS:
            exact = totals.total(name, day_hours)
            hours = hundredths(exact)
            if name == WORKED or hours:
                row[name] = str(hours)
            if hours != exact:
                finer.append((("worked_time", "months", index, name), exact))
        rows.append(row)
        origins.add(("worked_time", "months", index), totals.first)
    origins.add(("worked_time",), ledger.time[months[0]].first)
    period = content.get("employment", {}).get("period", {})
    content["worked_time"] = {"period": _covered(months, period), "months": rows}
    return [rounding(path, exact, content) for path, exact in finer]


def _covered(months: list[Month], employment: dict[str, str]) -> dict[str, str]:
    """First to last day of the months, narrowed to the employment where it begins or ends
    inside them."""
    (first_year, first_month), (last_year, last_month) = months[0], months[-1]
    start = dt.date(first_year, first_month, 1)
    following = dt.date(last_year + last_month // 12, last_month % 12 + 1, 1)
    end = following - dt.timedelta(days=1)
    hired, left = to_date(employment.get("start", "")), to_date(employment.get("end", ""))
    if hired is not None and (hired.year, hired.month) == months[0] and hired > start:
        start = hired
    if left is not None and (left.year, left.month) == months[-1] and left < end:
        end = left
    return {"start": start.isoformat(), "end": end.isoformat()}


def _income(ledger: Ledger, origins: Origins) -> list[dict[str, Any]]:
    rows = []
    for index, (month, amount) in enumerate(sorted(ledger.pay().items())):
        rows.append(
            {"year": month[0], "month": month[1], "amount": kronor(amount), "source": "payroll"}
        )
        origins.add(("income", index), ledger.pay_first[month])
    return rows
