"""Hours: the working time measured where it needs to be, and months that fit the calendar and
the schedule."""

import calendar
import datetime as dt
import decimal
import functools
from collections.abc import Iterator

from schemas.codes import PART_TIME
from schemas.rules.engine import ERROR, WARNING, Facts, Finding, check, rule

FORM = "IAF:s blankett Arbetsgivarintyg, avsnittet Arbetstid"
GUIDANCE = "IAF:s anvisningar: faktiskt arbetade timmar per kalendermånad, aldrig genomsnitt"
CALENDAR = "Kalendern: en månad har 24 timmar per dag"

rule("required_for_part_time", ERROR, FORM, in_drafts=False)
rule("full_time_hours_required", ERROR, FORM, in_drafts=False)
rule("part_time_not_below_full_time", ERROR, FORM)
rule("part_time_percent_mismatch", WARNING, FORM)
rule("employment_rate_vs_working_time", WARNING, FORM)
rule("duplicate_month", ERROR, GUIDANCE)
rule("month_hours_impossible", ERROR, CALENDAR)
rule("month_hours_above_schedule", WARNING, GUIDANCE)
rule(
    "month_hours_below_schedule",
    WARNING,
    "IAF:s anvisningar: arbetade timmar och frånvarotimmar per månad för den som har en avtalad "
    "arbetstid",
)
rule("identical_months", WARNING, GUIDANCE)
rule("fewer_than_12_months", WARNING, "IAF:s anvisningar: de senaste 12 arbetade månaderna")

HUNDRED = decimal.Decimal(100)
# Hours above the schedule within this share are normal (a long month, a swapped shift).
TOLERANCE = decimal.Decimal("1.10")
# Worked and absent hours below this share of the schedule leave most of the month unaccounted.
UNACCOUNTED = decimal.Decimal("0.50")


def _number(value: object) -> decimal.Decimal | None:
    return decimal.Decimal(str(value)) if value is not None else None


@check
def working_time_measured(facts: Facts) -> Iterator[Finding]:
    kind = facts.get("working_time", "type")
    if kind == PART_TIME:
        for name in ("part_time_hours", "percent_of_full_time"):
            if not facts.given("working_time", name):
                yield facts.finding("required_for_part_time", "working_time", name)
    if kind == "Heltid" and not facts.given("working_time", "full_time_hours"):
        yield facts.finding("full_time_hours_required", "working_time", "full_time_hours")


@check
def part_time_is_part(facts: Facts) -> Iterator[Finding]:
    if facts.get("working_time", "type") != PART_TIME:
        return
    full = _number(facts.get("working_time", "full_time_hours"))
    part = _number(facts.get("working_time", "part_time_hours"))
    percent = _number(facts.get("working_time", "percent_of_full_time"))
    if percent is not None and percent >= HUNDRED:
        yield facts.finding("part_time_not_below_full_time", "working_time", "percent_of_full_time")
    elif full is not None and part is not None and part >= full:
        yield facts.finding("part_time_not_below_full_time", "working_time", "part_time_hours")
    elif full and part is not None and percent is not None:
        share = part / full * HUNDRED
        if abs(share - percent) > 1:
            yield facts.finding(
                "part_time_percent_mismatch",
                "working_time",
                "percent_of_full_time",
                params=[share.quantize(decimal.Decimal("0.01"))],
            )


@check
def employment_rate_fits(facts: Facts) -> Iterator[Finding]:
    rate = _number(facts.get("employment", "employment_rate"))
    kind = facts.get("working_time", "type")
    if rate is None:
        return
    if (kind == "Heltid" and rate < HUNDRED) or (kind == PART_TIME and rate >= HUNDRED):
        yield facts.finding("employment_rate_vs_working_time", "employment", "employment_rate")


def weekly_hours(facts: Facts) -> decimal.Decimal | None:
    """Scheduled hours per week, when the working time has a schedule."""
    kind = facts.get("working_time", "type")
    if kind == PART_TIME:
        return _number(facts.get("working_time", "part_time_hours"))
    full = _number(facts.get("working_time", "full_time_hours"))
    if kind != "Heltid" or full is None:
        return None
    rate = _number(facts.get("employment", "employment_rate"))
    return full * (rate if rate is not None else HUNDRED) / HUNDRED


def _whole_month_employed(facts: Facts, year: int, month: int) -> bool:
    """Whether the employment covers the whole month and no leave falls in it: only then does
    the schedule say how many hours the month should account for."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    start = facts.get("employment", "period", "start")
    end = facts.get("employment", "period", "end")
    if start is None or start > first or (end is not None and end < last):
        return False
    for _index, leave in facts.rows("employment", "leaves"):
        period = leave.get("period") or {}
        if (period.get("start") or first) <= last and (period.get("end") or last) >= first:
            return False
    return True


@functools.lru_cache(maxsize=1024)
def weekdays(year: int, month: int) -> int:
    """Monday to Friday in the month (a month's weekdays never change: computed once)."""
    first, days = calendar.monthrange(year, month)
    return sum(1 for day in range(days) if (first + day) % 7 < 5)


@check
def months_fit(facts: Facts) -> Iterator[Finding]:
    seen: set[tuple[int, int]] = set()
    weekly = weekly_hours(facts)
    for index, row in facts.rows("worked_time", "months"):
        if "year" not in row or "month" not in row:
            continue
        year, month = row["year"], row["month"]
        if (year, month) in seen:
            yield facts.finding("duplicate_month", "worked_time", "months", index, "month")
        seen.add((year, month))
        worked = _number(row.get("hours_worked")) or decimal.Decimal(0)
        absence = _number(row.get("absence")) or decimal.Decimal(0)
        extra = sum(
            (_number(row.get(name)) or decimal.Decimal(0) for name in ("overtime", "extra_time")),
            decimal.Decimal(0),
        )
        limit = 24 * calendar.monthrange(year, month)[1]
        if worked + absence + extra > limit:
            yield facts.finding(
                "month_hours_impossible",
                "worked_time",
                "months",
                index,
                "hours_worked",
                params=[limit],
            )
        elif weekly is not None:
            scheduled = weekly / 5 * weekdays(year, month)
            if worked + absence > scheduled * TOLERANCE:
                yield facts.finding(
                    "month_hours_above_schedule",
                    "worked_time",
                    "months",
                    index,
                    "hours_worked",
                    params=[scheduled.quantize(decimal.Decimal("0.01"))],
                )
            elif worked + absence < scheduled * UNACCOUNTED and _whole_month_employed(
                facts, year, month
            ):
                yield facts.finding(
                    "month_hours_below_schedule",
                    "worked_time",
                    "months",
                    index,
                    "hours_worked",
                    params=[scheduled.quantize(decimal.Decimal("0.01"))],
                )


@check
def months_look_actual(facts: Facts) -> Iterator[Finding]:
    months = facts.get("worked_time", "months")
    if months is None:
        return
    hours = [_number(row["hours_worked"]) for row in months if "hours_worked" in row]
    if len(hours) >= 2 and len(hours) == len(months) and len(set(hours)) == 1:
        yield facts.finding("identical_months", "worked_time", "months")
    covered = {(row["year"], row["month"]) for row in months if "year" in row and "month" in row}
    if len(covered) < 12:
        yield facts.finding("fewer_than_12_months", "worked_time", "months")
