"""The guided form's steps, without HTTP: every part of the form asked exactly once, in the
paper form's order, and a new part slotting in where it stands."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.employer import certificate_form as cf
from app.employer import form_spec as spec
from app.employer import form_steps as steps
from tests import factories as f


def _situation(variant: str = "full", **answers: str) -> spec.Situation:
    values, _counts = cf.from_content(f.content(variant))
    return spec.Situation.of(variant, values | answers)


def test_every_field_is_asked_in_exactly_one_step_in_the_paper_forms_order() -> None:
    situation = _situation()
    _values, counts = cf.from_content(f.content("full"))
    asked: list[str] = []
    for step in steps.steps(situation):
        asked.extend(
            item.path for section in steps.sections(step, situation) for item in section.items
        )
    every = [item.path for section in spec.layout(situation) for item in section.items]
    assert sorted(asked) == sorted(every), "each field or table once, none left out"
    assert len(asked) == len(set(asked))
    later = [path for path in asked if path not in steps.FIRST.fields]
    assert later == [path for path in every if path not in steps.FIRST.fields]
    assert steps.value_keys(steps.FIRST, situation, counts) == set(steps.FIRST.fields)


def test_the_number_of_steps_follows_the_answers() -> None:
    full = _situation()
    assert [s.key for s in steps.steps(full)] == [
        "om-intyget",
        "personer",
        "anstallning",
        "avslut",
        "tid-och-lon",
        "ovrigt",
    ]
    assert steps.number(steps.BY_KEY["personer"], full) == (2, 6)
    income = _situation("income_2025")
    assert "tid-och-lon" not in [s.key for s in steps.steps(income)]
    assert steps.number(steps.BY_KEY["ovrigt"], income) == (5, 5)
    assert steps.after(steps.BY_KEY["avslut"], income) == steps.BY_KEY["ovrigt"]
    assert steps.after(steps.BY_KEY["ovrigt"], income) is None
    assert steps.before(steps.FIRST, income) is None


def test_a_new_section_is_asked_with_the_section_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    added = spec.Section("union_information", (spec.Field("union_information.name"),))
    at = [s.key for s in spec.SECTIONS].index("severance")
    monkeypatch.setattr(spec, "SECTIONS", (*spec.SECTIONS[:at], added, *spec.SECTIONS[at:]))
    grouped = {step.key: step.sections for step in steps._content_steps()}
    assert grouped["avslut"] == (
        "termination",
        "union_information",
        "severance",
        "continued_work_offer",
    )


def test_errors_belong_to_the_step_that_asks_the_field() -> None:
    errors = {
        "employee.personnummer": ["x"],
        "employment_form.type": ["y"],
        "employment.period": ["z"],
        "worked_time.months.2.hours_worked": ["w"],
        "": ["whole form"],
    }
    assert steps.errors_of(steps.BY_KEY["personer"], errors) == {"employee.personnummer": ["x"]}
    assert steps.errors_of(steps.FIRST, errors) == {"employment_form.type": ["y"]}
    assert steps.errors_of(steps.BY_KEY["anstallning"], errors) == {"employment.period": ["z"]}
    assert list(steps.errors_of(steps.BY_KEY["tid-och-lon"], errors)) == [
        "worked_time.months.2.hours_worked"
    ]


def test_the_month_table_starts_with_the_twelve_months_up_to_the_end() -> None:
    assert steps.months_before("2025-06-30") == [(2024, m) for m in range(7, 13)] + [
        (2025, m) for m in range(1, 7)
    ]
    assert steps.months_before("2026-01-15", 2) == [(2025, 12), (2026, 1)]
    values = {"employment.period.start": "2025-03-10", "employment.period.end": "2025-06-30"}
    counts: dict[str, int] = {}
    assert steps.prefill_months(values, counts, _situation())
    assert counts["worked_time.months"] == 4, "not before the employment began"
    assert (values["worked_time.months.0.year"], values["worked_time.months.0.month"]) == (
        "2025",
        "3",
    )
    assert values["worked_time.period.start"] == "2025-03-10", "from the employment's first day"
    assert values["worked_time.period.end"] == "2025-06-30"
    assert not steps.prefill_months(values, counts, _situation()), "rows exist already"
    later = {"employment.period.start": "2019-03-01", "employment.period.end": "2025-06-30"}
    assert steps.prefill_months(later, {}, _situation())
    assert later["worked_time.period.start"] == "2024-07-01", "from the table's first month"
    assert not steps.prefill_months({}, {}, _situation()), "no end, no months"
    assert not steps.prefill_months(dict(values), {}, replace(_situation(), variant="income_2025"))
