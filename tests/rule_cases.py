"""Certificates that break exactly one rule of `schemas.rules`, for the tests of every path.

Each breaker takes a valid example (`schemas.examples`, employed 2019-03-01 to 2025-06-30, full
time 40 h, laid off with notice on 2025-03-31) and hypothesis' `draw`, and changes it so that
one rule, and no other, is broken. It names the code and the field (a dotted path) it expects.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from schemas.examples import full_example, income_2025_example
from schemas.rules import RULES
from schemas.rules.ending import PROBATION_REASONS
from schemas.rules.engine import swedish_today

START = dt.date(2019, 3, 1)
END = dt.date(2025, 6, 30)

Content = dict[str, Any]
# `draw` is hypothesis' draw function, of @composite or of st.data().
Change = Callable[[Content, Any], str]


@dataclass(frozen=True)
class Breaker:
    code: str
    change: Change  # returns the dotted field the finding points at
    variants: tuple[str, ...] = ("full", "income_2025")

    @property
    def in_drafts(self) -> bool:
        return RULES[self.code].in_drafts

    @property
    def severity(self) -> str:
        return RULES[self.code].severity


def example(variant: str) -> Content:
    return copy.deepcopy(full_example() if variant == "full" else income_2025_example())


def _day(draw: st.DrawFn, low: dt.date, high: dt.date) -> str:
    return draw(st.dates(low, high)).isoformat()


def _still_employed(content: Content, *, keep_end: bool = False) -> None:
    content["employment"]["still_employed"] = True
    content.pop("termination")
    if not keep_end:
        del content["employment"]["period"]["end"]


def _leave(content: Content, start: str, end: str) -> None:
    content["employment"]["on_leave"] = True
    content["employment"]["leaves"] = [{"period": {"start": start, "end": end}, "percent": 50}]


def _row(content: Content, draw: st.DrawFn) -> int:
    return draw(st.integers(0, len(content["worked_time"]["months"]) - 1))


def leave_reversed(c: Content, draw: st.DrawFn) -> str:
    start = draw(st.dates(dt.date(2019, 3, 2), END))
    end = start - dt.timedelta(days=draw(st.integers(1, (start - START).days)))
    _leave(c, start.isoformat(), end.isoformat())
    return "employment.leaves.0.period.end"


def no_end_date(c: Content, draw: st.DrawFn) -> str:
    del c["employment"]["period"]["end"]
    return "employment.period.end"


def end_passed(c: Content, draw: st.DrawFn) -> str:
    _still_employed(c, keep_end=True)
    return "employment.period.end"


def reason_while_employed(c: Content, draw: st.DrawFn) -> str:
    c["employment"]["still_employed"] = True
    del c["employment"]["period"]["end"]
    return "termination.reason"


def no_reason(c: Content, draw: st.DrawFn) -> str:
    del c["termination"]
    return "termination.reason"


def notice_late(c: Content, draw: st.DrawFn) -> str:
    c["termination"]["notice_date"] = _day(draw, END + dt.timedelta(days=1), dt.date(2026, 6, 1))
    return "termination.notice_date"


def notice_early(c: Content, draw: st.DrawFn) -> str:
    c["termination"]["notice_date"] = _day(draw, dt.date(2010, 1, 1), START - dt.timedelta(1))
    return "termination.notice_date"


def leaves_overlapping(c: Content, draw: st.DrawFn) -> str:
    first = draw(st.dates(START, END - dt.timedelta(days=60)))
    second = first + dt.timedelta(days=draw(st.integers(0, 59)))
    c["employment"]["on_leave"] = True
    c["employment"]["leaves"] = [
        {
            "period": {"start": first.isoformat(), "end": (first + dt.timedelta(60)).isoformat()},
            "percent": draw(st.integers(50, 100)),
        },
        {"period": {"start": second.isoformat(), "end": END.isoformat()}, "percent": 51},
    ]
    return "employment.leaves.1.percent"


def leave_before_start(c: Content, draw: st.DrawFn) -> str:
    _leave(c, _day(draw, dt.date(2015, 1, 1), START - dt.timedelta(1)), "2019-04-01")
    return "employment.leaves.0.period.start"


def probation_ends_before_start(c: Content, draw: st.DrawFn) -> str:
    c["employment_form"] = {
        "type": "Provanstallning",
        "probation_end_date": _day(draw, dt.date(2015, 1, 1), START - dt.timedelta(1)),
    }
    return "employment_form.probation_end_date"


def future_month(c: Content, draw: st.DrawFn) -> str:
    _still_employed(c)
    index = _row(c, draw)
    later = draw(st.integers(2, 30))
    today = swedish_today()
    year, month = divmod(today.year * 12 + today.month - 1 + later, 12)
    c["worked_time"]["months"][index] |= {"year": year, "month": month + 1}
    c["worked_time"]["period"].pop("end")
    return f"worked_time.months.{index}.month"


def month_overfull(c: Content, draw: st.DrawFn) -> str:
    index = _row(c, draw)
    c["worked_time"]["months"][index] |= {
        "hours_worked": str(draw(st.integers(500, 744))),
        "absence": str(draw(st.integers(250, 744))),
    }
    return f"worked_time.months.{index}.hours_worked"


def month_outside_the_table(c: Content, draw: st.DrawFn) -> str:
    index = _row(c, draw)
    before = draw(st.dates(START, dt.date(2024, 6, 30)))
    c["worked_time"]["months"][index] |= {
        "year": before.year,
        "month": before.month,
        "hours_worked": "120.00",
    }
    return f"worked_time.months.{index}.month"


def probation_went_on(c: Content, draw: st.DrawFn) -> str:
    c["employment_form"] = {
        "type": "Provanstallning",
        "probation_end_date": _day(draw, START, dt.date(2019, 8, 31)),
    }
    c["termination"] = {"reason": draw(st.sampled_from(PROBATION_REASONS))}
    return "termination.reason"


def part_time_without_percent(c: Content, draw: st.DrawFn) -> str:
    c["working_time"] = {"type": "Deltid", "part_time_hours": "20", "full_time_hours": "40"}
    c["employment"]["employment_rate"] = "50"
    return "working_time.percent_of_full_time"


def full_time_without_hours(c: Content, draw: st.DrawFn) -> str:
    del c["working_time"]["full_time_hours"]
    return "working_time.full_time_hours"


def part_time_at_full(c: Content, draw: st.DrawFn) -> str:
    hours = str(draw(st.integers(1, 60)))
    c["working_time"] = {
        "type": "Deltid",
        "full_time_hours": hours,
        "part_time_hours": hours,
        "percent_of_full_time": "100",
    }
    c["employment"]["employment_rate"] = "50"
    return "working_time.percent_of_full_time"


def month_twice(c: Content, draw: st.DrawFn) -> str:
    months = c["worked_time"]["months"]
    first, second = sorted(draw(st.lists(st.integers(0, 11), min_size=2, max_size=2, unique=True)))
    months[second] |= {"year": months[first]["year"], "month": months[first]["month"]}
    return f"worked_time.months.{second}.month"


def form_without(kind: str, name: str) -> Change:
    def change(c: Content, draw: st.DrawFn) -> str:
        c["employment_form"] = {"type": kind}
        return f"employment_form.{name}"

    return change


def date_on_another_form(name: str) -> Change:
    def change(c: Content, draw: st.DrawFn) -> str:
        c["employment_form"][name] = _day(draw, START, END)
        return f"employment_form.{name}"

    return change


def other_reason_unexplained(c: Content, draw: st.DrawFn) -> str:
    c["termination"]["reason"] = "AnnanOrsak"
    return "termination.other_reason"


def explanation_without_other_reason(c: Content, draw: st.DrawFn) -> str:
    c["termination"]["other_reason"] = draw(st.sampled_from(["Projektet tog slut", "Flytt"]))
    return "termination.other_reason"


def reason(code: str) -> Change:
    def change(c: Content, draw: st.DrawFn) -> str:
        c["termination"]["reason"] = code
        return "termination.reason"

    return change


def fixed_term_notice_on_layoff(c: Content, draw: st.DrawFn) -> str:
    c["termination"]["fixed_term_notice_date"] = _day(draw, START, END)
    return "termination.fixed_term_notice_date"


def on_call_full_time(c: Content, draw: st.DrawFn) -> str:
    c["employment_form"] = {"type": "Behovsanstalld"}
    return "working_time.type"


def offer_detail_without_offer(c: Content, draw: st.DrawFn) -> str:
    name, value = draw(
        st.sampled_from([("accepted", True), ("permanent", False), ("part_time_hours", "20")])
    )
    c["continued_work_offer"][name] = value
    return f"continued_work_offer.{name}"


def declined_but_accepted(c: Content, draw: st.DrawFn) -> str:
    c["continued_work_offer"] = {
        "offer_exists": True,
        "accepted": True,
        "declined_date": _day(draw, dt.date(2025, 4, 1), END),
    }
    return "continued_work_offer.declined_date"


def sms_without_phone(c: Content, draw: st.DrawFn) -> str:
    del c["employee"]["phone"]
    return "employee.phone"


# Warnings: the content loads, and exactly this warning is found.


def fixed_term_ends_elsewhere(c: Content, draw: st.DrawFn) -> str:
    c["employment_form"] = {
        "type": "Tidsbegransad",
        "fixed_term_end_date": _day(draw, START, END - dt.timedelta(1)),
    }
    c["termination"] = {"reason": "TidsbegransadAnstallning"}
    return "employment_form.fixed_term_end_date"


def long_probation(c: Content, draw: st.DrawFn) -> str:
    c["employment_form"] = {
        "type": "Provanstallning",
        "probation_end_date": _day(draw, dt.date(2019, 9, 2), END),
    }
    return "employment_form.probation_end_date"


def table_a_year_early(c: Content, draw: st.DrawFn) -> str:
    c["worked_time"]["period"] = {"start": "2023-07-01", "end": "2024-06-30"}
    for row in c["worked_time"]["months"]:
        row["year"] -= 1
    return "worked_time.period.end"


def part_time_percent_off(c: Content, draw: st.DrawFn) -> str:
    hours = draw(st.integers(4, 36))
    off = draw(st.sampled_from([-3, 3]))
    c["working_time"] = {
        "type": "Deltid",
        "full_time_hours": "40",
        "part_time_hours": str(hours),
        "percent_of_full_time": str(hours * 100 // 40 + off),
    }
    c["employment"]["employment_rate"] = "50"
    return "working_time.percent_of_full_time"


def rate_below_full_time(c: Content, draw: st.DrawFn) -> str:
    c["employment"]["employment_rate"] = str(draw(st.integers(1, 99)))
    return "employment.employment_rate"


def month_above_schedule(c: Content, draw: st.DrawFn) -> str:
    index = _row(c, draw)
    c["worked_time"]["months"][index]["hours_worked"] = str(draw(st.integers(210, 500)))
    return f"worked_time.months.{index}.hours_worked"


def month_unaccounted(c: Content, draw: st.DrawFn) -> str:
    index = _row(c, draw)
    c["worked_time"]["months"][index]["hours_worked"] = str(draw(st.integers(0, 60)))
    return f"worked_time.months.{index}.hours_worked"


def same_hours_every_month(c: Content, draw: st.DrawFn) -> str:
    hours = str(draw(st.integers(100, 160)))
    for row in c["worked_time"]["months"]:
        row["hours_worked"] = hours
    return "worked_time.months"


def fewer_months(c: Content, draw: st.DrawFn) -> str:
    del c["worked_time"]["months"][draw(st.integers(1, 11)) :]
    return "worked_time.months"


def after_resigning(block: str, value: dict[str, Any], path: str) -> Change:
    def change(c: Content, draw: st.DrawFn) -> str:
        c["termination"]["reason"] = "EgenBegaran"
        c[block] = value
        return path

    return change


def offer_in_bankruptcy(c: Content, draw: st.DrawFn) -> str:
    c["termination"]["reason"] = "Konkurs"
    c["continued_work_offer"] = {"offer_exists": True}
    return "continued_work_offer.offer_exists"


FULL = ("full",)
INCOME = ("income_2025",)
BREAKERS = [
    Breaker("end_before_start", leave_reversed),
    Breaker("end_required_when_ended", no_end_date),
    Breaker("end_in_past_while_employed", end_passed),
    Breaker("forbidden_while_employed", reason_while_employed),
    Breaker("required_when_ended", no_reason),
    Breaker("notice_after_end", notice_late),
    Breaker("notice_before_start", notice_early),
    Breaker("outside_employment", leave_before_start),
    Breaker("leaves_over_full_time", leaves_overlapping),
    Breaker("before_employment_start", probation_ends_before_start),
    Breaker("month_in_future", future_month, FULL),
    Breaker("month_hours_impossible", month_overfull, FULL),
    Breaker("month_outside_worked_period", month_outside_the_table, FULL),
    Breaker("probation_ended_after_its_end", probation_went_on),
    Breaker("required_for_part_time", part_time_without_percent),
    Breaker("full_time_hours_required", full_time_without_hours),
    Breaker("part_time_not_below_full_time", part_time_at_full),
    Breaker("duplicate_month", month_twice, FULL),
    Breaker("required_for_probation", form_without("Provanstallning", "probation_end_date")),
    Breaker("only_for_probation", date_on_another_form("probation_end_date")),
    Breaker("required_for_fixed_term", form_without("Tidsbegransad", "fixed_term_end_date")),
    Breaker("only_for_fixed_term", date_on_another_form("fixed_term_end_date")),
    Breaker("required_for_other_reason", other_reason_unexplained),
    Breaker("only_for_other_reason", explanation_without_other_reason),
    Breaker("reason_needs_fixed_term", reason("TidsbegransadAnstallning")),
    Breaker("reason_needs_probation", reason("SlutProvanstallningArbetsgivareBeslut")),
    Breaker("only_for_fixed_term_reason", fixed_term_notice_on_layoff),
    Breaker("on_call_full_time", on_call_full_time),
    Breaker("only_with_offer", offer_detail_without_offer),
    Breaker("only_when_declined", declined_but_accepted),
    Breaker("sms_needs_phone", sms_without_phone),
    Breaker("fixed_term_end_differs", fixed_term_ends_elsewhere),
    Breaker("probation_over_six_months", long_probation),
    Breaker("worked_time_ends_early", table_a_year_early, FULL),
    Breaker("part_time_percent_mismatch", part_time_percent_off, INCOME),
    Breaker("employment_rate_vs_working_time", rate_below_full_time, INCOME),
    Breaker("month_hours_above_schedule", month_above_schedule, FULL),
    Breaker("month_hours_below_schedule", month_unaccounted, FULL),
    Breaker("identical_months", same_hours_every_month, FULL),
    Breaker("fewer_than_12_months", fewer_months, FULL),
    Breaker(
        "severance_after_own_decision",
        after_resigning("severance", {"agreement": True}, "severance.agreement"),
    ),
    Breaker(
        "offer_after_own_decision",
        after_resigning(
            "continued_work_offer", {"offer_exists": True}, "continued_work_offer.offer_exists"
        ),
    ),
    Breaker("offer_in_bankruptcy", offer_in_bankruptcy),
]
BY_CODE = {breaker.code: breaker for breaker in BREAKERS}


@st.composite
def broken(
    draw: st.DrawFn, breakers: list[Breaker] = BREAKERS
) -> tuple[Breaker, str, Content, str]:
    """(breaker, variant, content breaking exactly its rule, the field it points at)."""
    breaker = draw(st.sampled_from(breakers))
    variant = draw(st.sampled_from(breaker.variants))
    content = example(variant)
    field = breaker.change(content, draw)
    return breaker, variant, content, field
