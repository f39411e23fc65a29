"""PAXml time and pay transactions, summed per employee and calendar month.

Time codes (`tidkod`) become the worked-time table's columns:

- `hours_worked`: TID (scheduled work), ARB (hourly work) and *paid* holiday SEM, SEM_BET,
  SEM_SPA, SEM_FÖR (paid holiday counts as worked time on a certificate);
- `extra_time` (mertid): MER; `overtime`: ÖT1–ÖT5 and ÖK1–ÖK5. Both have their own columns on
  the certificate and are not added to `hours_worked`;
- `absence`: SJK and every SJK_*, FPE, VAB, TJL, PER, UTB, ASK, HAV, SMB, MIL, SVE, NÄR, PEM,
  FAC, ATK, KON, PAP, ATF, KOM, FLX and unpaid holiday SEM_OBE;
- supplements and markers paid on top of hours already counted (OB*, OS*, JR*, JS*, BE*, BS*,
  RE*, LT*, NV*, TS*, FR*, HLG, SKI, SCH) are ignored; any other code is not counted and is
  reported as a warning.

Extent: `timmar` are hours; `omfattning` is a percentage of the day's scheduled time; otherwise
the span from `starttid` to `sluttid`; an absence with none of them is 100 % of the schedule
(PAXml 2.0, section tidtransaktioner, note T). A `datumfrom`–`datumtom` range with `timmar` is
spread evenly over its calendar days, so a range across a month boundary is split by calendar
days. The scheduled time of a day is what the file's `schematransaktioner` give for it (its
`dag` rows, by `timmar` or `starttid`–`sluttid`, summed); a day they do not give is a working
day of 8 hours times the person's employment rate (`sysgrad`, 100 % when not given) from Monday
to Friday, and no time at the weekend unless the transaction names that single date. The
conversion waits until the file has been read, since schedules and rates come last. Month
totals are rounded half up to hundredths, the certificate's precision, and a total that changed
is stated as a warning.

Pay: payslips (`lonebesked`) give a month's gross pay as the sum of rows (`lonrad`) of type
BRUTTO and FÖRMÅN, in the month of `betaldatum` (else `periodid` as YYYYMM or YYYY-MM). Without
payslips, pay transactions (`lonetrans`) give `belopp` (or `antal` × `apris`) in the month of
`datum`/`datumfrom`, leaving out expenses, advances and tax-free allowances (UTLÄGG, FÖRSKOTT,
RESERS and `lonkod` ending _FRI or _RED). Amounts are rounded to whole kronor.
"""

import datetime as dt
import decimal
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from payroll_adapters.model import Problem
from payroll_adapters.validation import Location

Month = tuple[int, int]

WORKED, ABSENCE, OVERTIME, EXTRA_TIME = "hours_worked", "absence", "overtime", "extra_time"
COLUMNS = (WORKED, ABSENCE, OVERTIME, EXTRA_TIME)
IGNORED = "ignored"

_WORKED = {"TID", "ARB", "SEM", "SEM_BET", "SEM_SPA", "SEM_FÖR"}
_OVERTIME = {f"Ö{kind}{level}" for kind in "TK" for level in range(1, 6)}
_ABSENCE = {
    "SJK", "FPE", "VAB", "TJL", "PER", "UTB", "ASK", "HAV", "SMB", "MIL", "SVE", "NÄR", "PEM",
    "FAC", "ATK", "KON", "PAP", "ATF", "KOM", "FLX", "SEM_OBE",
}  # fmt: skip
_IGNORED_PREFIXES = ("OB", "OS", "JR", "JS", "BE", "BS", "RE", "LT", "NV", "TS", "FR")
_IGNORED = {"HLG", "SKI", "SCH"}
_NOT_PAY = {"UTLÄGG", "FÖRSKOTT", "RESERS"}
_PAY_ROW_TYPES = {"BRUTTO", "FÖRMÅN"}

WORKING_DAY_HOURS = decimal.Decimal(8)
MAX_RANGE_DAYS = 3660
_CENT = decimal.Decimal("0.01")


def column(code: str) -> str | None:
    """The worked-time column a time code counts in, IGNORED, or None when unknown."""
    code = code.strip().upper()
    if code in _WORKED:
        return WORKED
    if code == "MER":
        return EXTRA_TIME
    if code in _OVERTIME:
        return OVERTIME
    if code in _ABSENCE or code.startswith("SJK"):
        return ABSENCE
    if code in _IGNORED or (len(code) == 3 and code[:2] in _IGNORED_PREFIXES and code[2].isdigit()):
        return IGNORED
    return None


def counts_as_pay(code: str | None) -> bool:
    """Whether a pay transaction's `lonkod` is pay for work (not an expense or allowance)."""
    if code is None:
        return True
    code = code.strip().upper()
    return code not in _NOT_PAY and not code.endswith(("_FRI", "_RED"))


def counts_as_payslip_row(kind: str | None) -> bool:
    return kind is not None and kind.strip().upper() in _PAY_ROW_TYPES


def _month_segments(start: dt.date, end: dt.date) -> Iterator[tuple[Month, dt.date, dt.date]]:
    day = start
    while day <= end:
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        last = min(end, following - dt.timedelta(days=1))
        yield (day.year, day.month), day, last
        day = following


def spread_hours(
    start: dt.date, end: dt.date, hours: decimal.Decimal
) -> dict[Month, decimal.Decimal]:
    """Hours of a range shared over its months by calendar days."""
    total = decimal.Decimal((end - start).days + 1)
    return {
        month: hours * ((last - first).days + 1) / total
        for month, first, last in _month_segments(start, end)
    }


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def whole_kronor(amount: decimal.Decimal) -> int:
    return int(amount.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


def hundredths(hours: decimal.Decimal) -> decimal.Decimal:
    return hours.quantize(_CENT, rounding=decimal.ROUND_HALF_UP)


K = TypeVar("K")


def _merge(into: dict[K, decimal.Decimal], other: dict[K, decimal.Decimal]) -> None:
    for key, value in other.items():
        into[key] = into.get(key, decimal.Decimal(0)) + value


@dataclass
class MonthTime:
    """One month of one employee: hours and working-day equivalents per column."""

    first: Location
    hours: dict[str, decimal.Decimal] = field(default_factory=dict)
    days: dict[str, decimal.Decimal] = field(default_factory=dict)

    def total(self, name: str, day_hours: decimal.Decimal) -> decimal.Decimal:
        """The column's hours, exactly as summed (the caller rounds and says so)."""
        zero = decimal.Decimal(0)
        return self.hours.get(name, zero) + self.days.get(name, zero) * day_hours


@dataclass
class Ledger:
    """Everything the transactions say about one employee (by anstid or persnr)."""

    first: Location
    time: dict[Month, MonthTime] = field(default_factory=dict)
    transaction_pay: dict[Month, decimal.Decimal] = field(default_factory=dict)
    payslip_pay: dict[Month, decimal.Decimal] = field(default_factory=dict)
    pay_first: dict[Month, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Shares of a day's scheduled time (omfattning), by column and day, until the schedule is
    # known: a date range counts its weekdays, a single date counts whatever the weekday.
    range_shares: dict[tuple[str, dt.date], decimal.Decimal] = field(default_factory=dict)
    date_shares: dict[tuple[str, dt.date], decimal.Decimal] = field(default_factory=dict)
    # Scheduled hours per day (schematransaktioner), summed over a day's shifts.
    schedule: dict[dt.date, decimal.Decimal] = field(default_factory=dict)

    def add_time(
        self, name: str, amounts: dict[Month, decimal.Decimal], *, days: bool, at: Location
    ) -> None:
        for month, amount in amounts.items():
            totals = self.time.setdefault(month, MonthTime(at))
            target = totals.days if days else totals.hours
            target[name] = target.get(name, decimal.Decimal(0)) + amount

    @property
    def only_schedule(self) -> bool:
        """Whether all the file says of this employee is a schedule: nothing to certify."""
        said = (self.time, self.transaction_pay, self.payslip_pay, self.problems, self.warnings)
        return bool(self.schedule) and not any(said)

    def add_share(
        self, name: str, start: dt.date, end: dt.date, share: decimal.Decimal, *, at: Location
    ) -> None:
        """`share` of each day's scheduled time from `start` to `end`, in column `name`."""
        target = self.date_shares if start == end else self.range_shares
        for day in _days(start, end):
            self.time.setdefault((day.year, day.month), MonthTime(at))
            target[(name, day)] = target.get((name, day), decimal.Decimal(0)) + share

    def add_schedule(self, day: dt.date, hours: decimal.Decimal) -> None:
        self.schedule[day] = self.schedule.get(day, decimal.Decimal(0)) + hours

    def settle(self) -> None:
        """Turn the shares into hours where the file gives the day's schedule, else into
        working days (converted at the person's rate once it is known)."""
        for shares, every_day in ((self.range_shares, False), (self.date_shares, True)):
            for (name, day), share in shares.items():
                totals = self.time[(day.year, day.month)]
                scheduled = self.schedule.get(day)
                if scheduled is not None:
                    totals.hours[name] = (
                        totals.hours.get(name, decimal.Decimal(0)) + share * scheduled
                    )
                elif every_day or day.weekday() < 5:
                    totals.days[name] = totals.days.get(name, decimal.Decimal(0)) + share
            shares.clear()

    def add_pay(
        self, month: Month, amount: decimal.Decimal, *, payslip: bool, at: Location
    ) -> None:
        target = self.payslip_pay if payslip else self.transaction_pay
        target[month] = target.get(month, decimal.Decimal(0)) + amount
        self.pay_first.setdefault(month, at)

    def absorb(self, other: "Ledger") -> None:
        """Add another ledger of the same person (kept under its other identifier)."""
        for month, totals in other.time.items():
            self._add_totals(month, totals)
        for month, amount in other.transaction_pay.items():
            self.add_pay(month, amount, payslip=False, at=other.pay_first[month])
        for month, amount in other.payslip_pay.items():
            self.add_pay(month, amount, payslip=True, at=other.pay_first[month])
        _merge(self.range_shares, other.range_shares)
        _merge(self.date_shares, other.date_shares)
        _merge(self.schedule, other.schedule)
        self.problems += other.problems
        self.warnings += other.warnings

    def _add_totals(self, month: Month, totals: MonthTime) -> None:
        for name, hours in totals.hours.items():
            self.add_time(name, {month: hours}, days=False, at=totals.first)
        for name, days in totals.days.items():
            self.add_time(name, {month: days}, days=True, at=totals.first)

    def pay(self) -> dict[Month, decimal.Decimal]:
        """Gross pay per month: payslips when there are any, else pay transactions."""
        return dict(self.payslip_pay or self.transaction_pay)
