"""Rules between fields and blocks, each broken and kept, in full loads and in drafts."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from schemas.examples import full_example, income_2025_example

DELETE = object()

# The `errors` fixture (conftest.py): load content, return its errors or {}.
Errors = Callable[..., dict[Any, Any]]


def apply(content: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Set (or, with DELETE, remove if there) values at dotted paths; a digit indexes a list."""
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = content
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is DELETE:
            node.pop(last, None)
        elif last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return content


def example(variant: str) -> dict[str, Any]:
    return full_example() if variant == "full" else income_2025_example()


def error_pick(errors: Any, path: str) -> Any:
    for part in path.split("."):
        errors = errors.get(int(part) if part.isdigit() else part, {})
    return errors


@dataclass(frozen=True)
class Rule:
    """A broken case (`breaks`, giving `key` at `path`) and a kept case (`keeps`) of one rule.

    `in_drafts` says whether drafts enforce it: rules that demand a missing value do not.
    """

    name: str
    key: str
    path: str
    breaks: dict[str, Any]
    keeps: dict[str, Any]
    in_drafts: bool
    variants: tuple[str, ...] = ("full", "income_2025")
    extra: dict[str, Any] = field(default_factory=dict)


PROBATION_ENDED = {
    "employment_form": {"type": "Provanstallning", "probation_end_date": "2019-08-31"},
    "termination": {"reason": "SlutProvanstallningArbetsgivareBeslut"},
    "employment.last_full_time_day": "2019-08-01",
}

OFFER = {
    "offer_exists": True,
    "period": {"start": "2025-07-01", "end": "2025-12-31"},
    "permanent": False,
    "full_time_hours": "40.00",
    "part_time_hours": "20.00",
    "percent_of_full_time": "50.00",
    "working_time_type": "Deltid",
    "accepted": False,
    "declined_date": "2025-06-15",
}
STILL_EMPLOYED = {
    "employment.still_employed": True,
    "employment.period.end": DELETE,
    "termination": DELETE,
}
FIXED_TERM_ENDED = {
    "employment_form": {"type": "Tidsbegransad", "fixed_term_end_date": "2025-06-30"},
    "termination": {"reason": "TidsbegransadAnstallning"},
}
OFFER_WITHOUT_DECLINED_DATE = {
    name: value for name, value in OFFER.items() if name != "declined_date"
}
OFFER_DETAILS = [name for name in OFFER if name != "offer_exists"]

RULES = [
    Rule(
        "leave ends before it starts",
        "end_before_start",
        "employment.leaves.0.period.end",
        {
            "employment.leaves": [
                {"period": {"start": "2020-05-10", "end": "2020-05-09"}, "percent": 50}
            ]
        },
        {
            "employment.leaves": [
                {"period": {"start": "2020-05-10", "end": "2020-05-10"}, "percent": 50}
            ]
        },
        in_drafts=True,
    ),
    Rule(
        "offer period ends before it starts",
        "end_before_start",
        "continued_work_offer.period.end",
        {"continued_work_offer": {**OFFER, "period": {"start": "2025-07-01", "end": "2025-06-30"}}},
        {"continued_work_offer": {**OFFER, "period": {"start": "2025-07-01"}}},
        in_drafts=True,
    ),
    Rule(
        "employment ends before it starts",
        "end_before_start",
        "employment.period.end",
        {"employment.period.start": "2025-07-01", "employment.last_full_time_day": DELETE},
        {"employment.period.start": "2024-07-01"},
        in_drafts=True,
        variants=("full",),
    ),
    Rule(
        "worked-time period ends before it starts",
        "end_before_start",
        "worked_time.period.end",
        {"worked_time.period.end": "2024-06-30"},
        {"worked_time.period.start": "2024-07-15"},
        in_drafts=True,
        variants=("full",),
    ),
    Rule(
        "ended employment without an end date",
        "end_required_when_ended",
        "employment.period.end",
        {"employment.period.end": DELETE},
        STILL_EMPLOYED,
        in_drafts=False,
    ),
    Rule(
        "notice after the end",
        "notice_after_end",
        "termination.notice_date",
        {"termination.notice_date": "2025-07-01"},
        {"termination.notice_date": "2025-06-30"},
        in_drafts=True,
    ),
    Rule(
        "fixed-term notice after the end",
        "notice_after_end",
        "termination.fixed_term_notice_date",
        {**FIXED_TERM_ENDED, "termination.fixed_term_notice_date": "2025-07-01"},
        {**FIXED_TERM_ENDED, "termination.fixed_term_notice_date": "2025-06-30"},
        in_drafts=True,
    ),
    Rule(
        "probation without its end date",
        "required_for_probation",
        "employment_form.probation_end_date",
        {"employment_form": {"type": "Provanstallning"}},
        {"employment_form": {"type": "Provanstallning", "probation_end_date": "2019-08-31"}},
        in_drafts=False,
    ),
    Rule(
        "probation end date on another type",
        "only_for_probation",
        "employment_form.probation_end_date",
        {"employment_form": {"type": "Tillsvidare", "probation_end_date": "2019-08-31"}},
        {"employment_form": {"type": "Tillsvidare"}},
        in_drafts=True,
    ),
    Rule(
        "fixed term without its end date",
        "required_for_fixed_term",
        "employment_form.fixed_term_end_date",
        {"employment_form": {"type": "Tidsbegransad"}},
        {"employment_form": {"type": "Tidsbegransad", "fixed_term_end_date": "2025-06-30"}},
        in_drafts=False,
    ),
    Rule(
        "fixed-term end date on another type",
        "only_for_fixed_term",
        "employment_form.fixed_term_end_date",
        {"employment_form": {"type": "Behovsanstalld", "fixed_term_end_date": "2025-06-30"}},
        {
            "employment_form": {"type": "Behovsanstalld"},
            "working_time": {"type": "VarierandeArbetstid"},
        },
        in_drafts=True,
    ),
    Rule(
        "part time without a percentage",
        "required_for_part_time",
        "working_time.percent_of_full_time",
        {"working_time": {"type": "Deltid", "part_time_hours": "20"}},
        {"working_time": {"type": "Deltid", "part_time_hours": "20", "percent_of_full_time": 50}},
        in_drafts=False,
    ),
    Rule(
        "part time without hours",
        "required_for_part_time",
        "working_time.part_time_hours",
        {"working_time": {"type": "Deltid", "percent_of_full_time": "50"}},
        {"working_time": {"type": "VarierandeArbetstid"}},
        in_drafts=False,
    ),
    Rule(
        "ended without a reason",
        "required_when_ended",
        "termination.reason",
        {"termination": {"notice_date": "2025-03-31"}},
        {"termination": {"reason": "EgenBegaran"}},
        in_drafts=False,
    ),
    Rule(
        "ended without the termination block",
        "required_when_ended",
        "termination.reason",
        {"termination": DELETE},
        {"termination": {"reason": "Konkurs"}},
        in_drafts=False,
    ),
    Rule(
        "a reason while still employed",
        "forbidden_while_employed",
        "termination.reason",
        {"employment.still_employed": True},
        STILL_EMPLOYED,
        in_drafts=True,
    ),
    Rule(
        "other reason without its text",
        "required_for_other_reason",
        "termination.other_reason",
        {"termination": {"reason": "AnnanOrsak"}},
        {"termination": {"reason": "AnnanOrsak", "other_reason": "Avsked på grund av misskötsel"}},
        in_drafts=False,
    ),
    Rule(
        "other-reason text with another reason",
        "only_for_other_reason",
        "termination.other_reason",
        {"termination.other_reason": "Projektet tog slut"},
        {"termination.other_reason": DELETE},
        in_drafts=True,
    ),
    Rule(
        "last full-time day after the end",
        "outside_employment",
        "employment.last_full_time_day",
        {"employment.last_full_time_day": "2025-07-01"},
        {"employment.last_full_time_day": "2025-06-30"},
        in_drafts=True,
    ),
    Rule(
        "last full-time day before the start",
        "outside_employment",
        "employment.last_full_time_day",
        {"employment.last_full_time_day": "2019-02-28"},
        {"employment.last_full_time_day": "2019-03-01"},
        in_drafts=True,
    ),
    Rule(
        "income_2025 without the last full-time day",
        "required_in_income_2025",
        "employment.last_full_time_day",
        {"employment.last_full_time_day": DELETE},
        {"employment.last_full_time_day": "2025-05-31"},
        in_drafts=False,
        variants=("income_2025",),
    ),
    Rule(
        "leave starting before the employment",
        "outside_employment",
        "employment.leaves.0.period.start",
        {
            "employment.leaves": [
                {"period": {"start": "2019-02-01", "end": "2019-04-01"}, "percent": 100}
            ]
        },
        {
            "employment.leaves": [
                {"period": {"start": "2019-03-01", "end": "2019-04-01"}, "percent": 100}
            ]
        },
        in_drafts=True,
    ),
    Rule(
        "leave ending after the employment",
        "outside_employment",
        "employment.leaves.0.period.end",
        {
            "employment.leaves": [
                {"period": {"start": "2025-06-01", "end": "2025-07-15"}, "percent": 100}
            ]
        },
        {"employment.leaves": [{"period": {"start": "2025-06-01"}, "percent": 100}]},
        in_drafts=True,
    ),
    Rule(
        "worked month twice",
        "duplicate_month",
        "worked_time.months.1.month",
        {"worked_time.months.1": {"year": 2024, "month": 7, "hours_worked": "10.00"}},
        {"worked_time.months.1": {"year": 2024, "month": 8, "hours_worked": "10.00"}},
        in_drafts=True,
        variants=("full",),
    ),
    Rule(
        "worked month before the employment",
        "outside_employment",
        "worked_time.months.0.month",
        {"worked_time.months.0": {"year": 2019, "month": 2, "hours_worked": "10.00"}},
        {
            "worked_time.months.0": {"year": 2019, "month": 3, "hours_worked": "10.00"},
            "worked_time.period.start": "2019-03-01",
        },
        in_drafts=True,
        variants=("full",),
    ),
    Rule(
        "worked month after the employment",
        "outside_employment",
        "worked_time.months.11.month",
        {"worked_time.months.11.month": 7, "worked_time.months.11.year": 2025},
        {"worked_time.months.11.month": 6, "worked_time.months.11.year": 2025},
        in_drafts=True,
        variants=("full",),
    ),
    Rule(
        "worked month outside the table's own period",
        "month_outside_worked_period",
        "worked_time.months.0.month",
        {"worked_time.months.0": {"year": 2024, "month": 6, "hours_worked": "10.00"}},
        {
            "worked_time.months.0": {"year": 2024, "month": 6, "hours_worked": "10.00"},
            "worked_time.period.start": "2024-06-01",
        },
        in_drafts=True,
        variants=("full",),
    ),
    Rule(
        "probation ended, but the employment went on past it",
        "probation_ended_after_its_end:2019-08-31",
        "termination.reason",
        {**PROBATION_ENDED, "employment.period.end": "2019-09-01"},
        {**PROBATION_ENDED, "employment.period.end": "2019-08-31"},
        in_drafts=True,
        variants=("income_2025",),
    ),
    *(
        Rule(
            f"offer detail {name} without an offer",
            "only_with_offer",
            f"continued_work_offer.{name}",
            {"continued_work_offer": {"offer_exists": False, name: OFFER[name]}},
            {"continued_work_offer": {"offer_exists": True, name: OFFER[name]}},
            in_drafts=True,
        )
        for name in OFFER_DETAILS
    ),
    Rule(
        "declined date on an accepted offer",
        "only_when_declined",
        "continued_work_offer.declined_date",
        {"continued_work_offer": {**OFFER, "accepted": True}},
        {"continued_work_offer": {**OFFER_WITHOUT_DECLINED_DATE, "accepted": True}},
        in_drafts=True,
    ),
    Rule(
        "SMS without a phone number",
        "sms_needs_phone",
        "employee.phone",
        {"employee.phone": DELETE},
        {"employee.phone": DELETE, "employee.notify_by_sms": False},
        in_drafts=False,
    ),
    *(
        Rule(
            f"{block} in income_2025",
            "not_in_variant",
            block,
            {block: full_example().get(block, {"holiday_pay": True})},
            {block: None},
            in_drafts=True,
            variants=("income_2025",),
        )
        for block in ("worked_time", "salary", "teacher_salary")
    ),
]

CASES = [
    pytest.param(rule, variant, id=f"{variant}: {rule.name}")
    for rule in RULES
    for variant in rule.variants
]


@pytest.mark.parametrize(("rule", "variant"), CASES)
def test_broken_rule_is_reported(errors: Errors, rule: Rule, variant: str) -> None:
    found = errors(apply(example(variant), rule.breaks), variant)
    assert rule.key in error_pick(found, rule.path)


@pytest.mark.parametrize(("rule", "variant"), CASES)
def test_kept_rule_loads(errors: Errors, rule: Rule, variant: str) -> None:
    assert errors(apply(example(variant), rule.keeps), variant) == {}


@pytest.mark.parametrize(("rule", "variant"), CASES)
def test_drafts_enforce_only_rules_about_values_present(
    errors: Errors, rule: Rule, variant: str
) -> None:
    found = errors(apply(example(variant), rule.breaks), variant, partial=True)
    assert (rule.key in error_pick(found, rule.path)) is rule.in_drafts
