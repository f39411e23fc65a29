"""Dates: every period in order, everything inside the employment, and still employed meaning so."""

import datetime as dt
from collections.abc import Iterator

from schemas.rules.engine import ERROR, WARNING, Facts, Finding, check, periods, rule

FORM = "IAF:s blankett Arbetsgivarintyg, fält för anställningstid och upphörande"
ORDER = "Kalendern: en period slutar inte innan den börjar"

rule("end_before_start", ERROR, ORDER)
rule("end_required_when_ended", ERROR, FORM, in_drafts=False)
rule("end_in_past_while_employed", ERROR, FORM)
rule("notice_after_end", ERROR, FORM)
rule("notice_before_start", ERROR, FORM)
rule("outside_employment", ERROR, FORM)
rule("before_employment_start", ERROR, FORM)
rule("month_in_future", ERROR, "IAF: arbetad tid anges i faktiskt arbetade timmar")
rule(
    "month_outside_worked_period",
    ERROR,
    "IAF:s blankett Arbetsgivarintyg, avsnittet Arbetad tid: tabellen gäller den angivna perioden",
)
rule("fixed_term_end_differs", WARNING, FORM)
rule("leaves_over_full_time", ERROR, "Kalendern: ledighet på samma dagar kan inte överstiga 100 %")
rule(
    "worked_time_ends_early",
    WARNING,
    "IAF:s anvisningar: arbetad tid avser de senaste 12 månaderna av anställningen",
)


def _within(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def _month_in(year: int, month: int, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or (year, month) >= (start.year, start.month)) and (
        end is None or (year, month) <= (end.year, end.month)
    )


@check
def periods_in_order(facts: Facts) -> Iterator[Finding]:
    for path in periods(facts):
        start, end = facts.get(*path, "start"), facts.get(*path, "end")
        if start is not None and end is not None and end < start:
            yield facts.finding("end_before_start", *path, "end")


@check
def employment_period(facts: Facts) -> Iterator[Finding]:
    end = facts.get("employment", "period", "end")
    still_employed = facts.get("employment", "still_employed")
    if still_employed is False and not facts.given("employment", "period", "end"):
        yield facts.finding("end_required_when_ended", "employment", "period", "end")
    if still_employed is True and end is not None and end < facts.today:
        yield facts.finding(
            "end_in_past_while_employed", "employment", "period", "end", params=[end]
        )


@check
def inside_the_employment(facts: Facts) -> Iterator[Finding]:
    start = facts.get("employment", "period", "start")
    end = facts.get("employment", "period", "end")
    last_day = facts.get("employment", "last_full_time_day")
    if last_day is not None and not _within(last_day, start, end):
        yield facts.finding("outside_employment", "employment", "last_full_time_day")
    for index, leave in facts.rows("employment", "leaves"):
        for edge in ("start", "end"):
            day = (leave.get("period") or {}).get(edge)
            if day is not None and not _within(day, start, end):
                yield facts.finding(
                    "outside_employment", "employment", "leaves", index, "period", edge
                )
    for edge in ("start", "end"):
        day = facts.get("worked_time", "period", edge)
        if day is not None and not _within(day, start, end):
            yield facts.finding("outside_employment", "worked_time", "period", edge)
    for index, row in facts.rows("worked_time", "months"):
        if "year" not in row or "month" not in row:
            continue
        if not _month_in(row["year"], row["month"], start, end):
            yield facts.finding("outside_employment", "worked_time", "months", index, "month")
    for name in ("probation_end_date", "fixed_term_end_date"):
        day = facts.get("employment_form", name)
        if day is not None and start is not None and day < start:
            yield facts.finding("before_employment_start", "employment_form", name)


@check
def months_inside_the_table(facts: Facts) -> Iterator[Finding]:
    """Month rows inside the period the table says it covers (those outside the employment
    already have `outside_employment`)."""
    start = facts.get("employment", "period", "start")
    end = facts.get("employment", "period", "end")
    first = facts.get("worked_time", "period", "start")
    last = facts.get("worked_time", "period", "end")
    if None not in (first, last) and last < first:  # reversed: `end_before_start` says so
        return
    for index, row in facts.rows("worked_time", "months"):
        if "year" not in row or "month" not in row:
            continue
        year, month = row["year"], row["month"]
        if _month_in(year, month, start, end) and not _month_in(year, month, first, last):
            yield facts.finding(
                "month_outside_worked_period", "worked_time", "months", index, "month"
            )


@check
def leaves_fit_together(facts: Facts) -> Iterator[Finding]:
    """Leaves on the same days never add up to more than the whole working time."""
    rows = [
        (index, leave["period"]["start"], leave["period"].get("end"), leave.get("percent"))
        for index, leave in facts.rows("employment", "leaves")
        if (leave.get("period") or {}).get("start") is not None
    ]
    for later, (index, start, end, percent) in enumerate(rows):
        for _other, other_start, other_end, other_percent in rows[:later]:
            overlaps = (end is None or other_start <= end) and (
                other_end is None or start <= other_end
            )
            if overlaps and None not in (percent, other_percent) and percent + other_percent > 100:
                yield facts.finding(
                    "leaves_over_full_time", "employment", "leaves", index, "percent"
                )
                break


@check
def months_already_worked(facts: Facts) -> Iterator[Finding]:
    now = (facts.today.year, facts.today.month)
    for index, row in facts.rows("worked_time", "months"):
        if "year" in row and "month" in row and (row["year"], row["month"]) > now:
            yield facts.finding("month_in_future", "worked_time", "months", index, "month")


@check
def notice_in_order(facts: Facts) -> Iterator[Finding]:
    start = facts.get("employment", "period", "start")
    end = facts.get("employment", "period", "end")
    for name in ("notice_date", "fixed_term_notice_date"):
        day = facts.get("termination", name)
        if day is not None and end is not None and day > end:
            yield facts.finding("notice_after_end", "termination", name)
    notice = facts.get("termination", "notice_date")
    if notice is not None and start is not None and notice < start:
        yield facts.finding("notice_before_start", "termination", "notice_date")


@check
def fixed_term_ends_when_it_says(facts: Facts) -> Iterator[Finding]:
    planned = facts.get("employment_form", "fixed_term_end_date")
    end = facts.get("employment", "period", "end")
    reason = facts.get("termination", "reason")
    if reason == "TidsbegransadAnstallning" and None not in (planned, end) and planned != end:
        yield facts.finding(
            "fixed_term_end_differs", "employment_form", "fixed_term_end_date", params=[end]
        )


@check
def worked_time_reaches_the_end(facts: Facts) -> Iterator[Finding]:
    """The table covers the last months of an ended employment, not an earlier stretch."""
    end = facts.get("employment", "period", "end")
    covered = facts.get("worked_time", "period", "end")
    if facts.get("employment", "still_employed") is not False or None in (end, covered):
        return
    if (covered.year, covered.month) < (end.year, end.month):
        yield facts.finding(
            "worked_time_ends_early", "worked_time", "period", "end", params=[covered, end]
        )
