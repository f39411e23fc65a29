"""The certificate form's mapping between form fields and content, without HTTP."""

from __future__ import annotations

from decimal import Decimal

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
    assert cf.totals(values, counts, table)["hours_worked"] == Decimal("1798.50"), (
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
    found = [c.sentence for c in diff.changes(before, after)]
    assert found == [
        "Anställningstid, till och med ändrad från 2025-06-30 till 2025-07-31",
        "Orsak ändrad från Uppsagd på grund av arbetsbrist till Egen begäran",
        "Ändrad månad: oktober 2024, 100 arbetade timmar (förut 184)",
        (
            "M. Övriga upplysningar borttagen (var Uppsagd på grund av arbetsbrist när projektet"
            " avslutades.)"
        ),
    ]
    assert diff.changes(before, before) == []
    assert diff.changes(before, after, "en")[0].sentence == (
        "Period of employment, to changed from 30 Jun 2025 to 31 Jul 2025"
    )


def test_the_change_list_reads_one_sentence_per_month() -> None:
    before = f.content("full")
    after = f.content("full")
    removed = after["worked_time"]["months"].pop(0)
    after["worked_time"]["months"].insert(
        0, {"year": 2025, "month": 7, "hours_worked": "168.00", "absence": "8.00"}
    )
    sentences = [c.sentence for c in diff.changes(before, after)]
    assert sentences == [
        f"Borttagen månad: juli 2024 ({removed['hours_worked'][:3]} arbetade timmar)",
        "Ny månad: juli 2025, 168 arbetade timmar, 8 timmar frånvaro",
    ]
    english = [c.sentence for c in diff.changes(before, after, "en")]
    assert english[1] == "New month: July 2025, 168 hours worked, 8 hours of absence"
    assert not any("(tomt)" in s for s in sentences)
