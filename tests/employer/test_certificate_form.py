"""The certificate form's mapping between form fields and content, without HTTP."""

from __future__ import annotations

from app.certificates import diff
from app.employer import certificate_form as cf
from app.employer import form_spec as spec
from schemas import load_content
from tests import factories as f


def test_content_survives_the_form_both_ways() -> None:
    for variant in ("full", "income_2025"):
        content = f.content(variant)
        values, counts = cf.from_content(content)
        assert load_content(cf.to_content(values, counts, variant), variant) == content


def test_parts_that_do_not_apply_are_neither_shown_nor_read() -> None:
    values, counts = cf.from_content(f.content("full"))
    values["employment.still_employed"] = "true"
    values["employment_form.probation_end_date"] = "2025-01-01"
    shown = cf.to_content(values, counts, "income_2025")
    assert "termination" not in shown
    assert "worked_time" not in shown
    assert "salary" not in shown
    assert "probation_end_date" not in shown["employment_form"]
    keys = [s.key for s in spec.layout(spec.Situation.of("full", values))]
    assert keys[:3] == ["employee", "employer", "employment"]
    assert "termination" not in keys
    assert keys[-1] == "other_information"
    values["employment_form.type"] = "Provanstallning"
    assert cf.to_content(values, counts, "full")["employment_form"]["probation_end_date"]


def test_month_rows_are_added_after_the_last_month_and_removed_in_place() -> None:
    values, counts = cf.from_content(f.content("full"))
    assert counts["worked_time.months"] == 12
    cf.add_row(values, counts, "worked_time.months")
    assert (values["worked_time.months.12.year"], values["worked_time.months.12.month"]) == (
        "2025",
        "7",
    )
    cf.remove_row(values, counts, "worked_time.months", 0)
    assert counts["worked_time.months"] == 12
    assert values["worked_time.months.0.month"] == "8"
    assert values["worked_time.months.11.month"] == "7"
    assert "worked_time.months.12.month" not in values
    table = spec.TABLES["worked_time.months"]
    assert cf.totals(values, counts, table)["hours_worked"] == "1798.50", (
        "July 2024 (168 h) is gone"
    )


def test_blank_rows_are_left_out() -> None:
    values, counts = cf.from_content(f.content("full"))
    cf.add_row(values, counts, "salary.supplements")
    content = cf.to_content(values, counts, "full")
    assert len(content["salary"]["supplements"]) == 2


def test_nested_errors_become_paths() -> None:
    errors = {
        "employee": {"personnummer": ["fel"]},
        "worked_time": {"months": {3: {"month": ["x"]}}},
    }
    assert cf.flat_errors(errors) == {
        "employee.personnummer": ["fel"],
        "worked_time.months.3.month": ["x"],
    }
    assert cf.flat_errors({"_schema": ["a"], "salary": ["b"]}) == {"": ["a"], "salary": ["b"]}


def test_the_diff_names_what_changed_with_labels() -> None:
    before = f.content("full")
    after = f.content("full")
    after["employment"]["period"]["end"] = "2025-07-31"
    after["termination"]["reason"] = "EgenBegaran"
    after["worked_time"]["months"][3]["hours_worked"] = "100.00"
    del after["other_information"]
    found = {c.label: (c.before, c.after) for c in diff.changes(before, after)}
    assert found == {
        "Anställningstid: Till och med": ("2025-06-30", "2025-07-31"),
        "Orsak": ("Uppsagd på grund av arbetsbrist", "Egen begäran"),
        "Arbetad tid per månad 2024-10: Arbetade timmar": ("184.00", "100.00"),
        "M. Övriga upplysningar": (
            "Uppsagd på grund av arbetsbrist när projektet avslutades.",
            "",
        ),
    }
    assert diff.changes(before, before) == []
    assert diff.changes(before, after, "en")[0].label == "Period of employment: To"
