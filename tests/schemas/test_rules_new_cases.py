"""Where the rules on probation and on months without their hours stop: a month the employment
only partly covers, or one with leave, says nothing about the schedule; six months are counted
as the law counts months."""

import datetime as dt

import pytest

from schemas import content_warnings, load_content
from schemas.examples import full_example
from schemas.rules.ending import six_months_on


def _warnings(content: dict[str, object]) -> list[str]:
    return [key.split(":")[0] for key in content_warnings(load_content(content, "full"), "full")]


def test_a_whole_month_with_few_hours_warns() -> None:
    content = full_example()
    content["worked_time"]["months"][3]["hours_worked"] = "40.00"
    assert _warnings(content) == ["month_hours_below_schedule"]
    content["worked_time"]["months"][3]["absence"] = "140.00"
    assert _warnings(content) == []


def test_a_month_partly_employed_or_on_leave_does_not() -> None:
    content = full_example()
    content["worked_time"]["months"][-1]["hours_worked"] = "40.00"
    content["employment"]["period"]["end"] = "2025-06-10"
    content["worked_time"]["period"]["end"] = "2025-06-10"
    assert _warnings(content) == []
    content = full_example()
    content["worked_time"]["months"][3]["hours_worked"] = "40.00"
    content["employment"]["on_leave"] = True
    content["employment"]["leaves"] = [
        {"period": {"start": "2024-10-20", "end": "2024-12-31"}, "percent": 100}
    ]
    assert _warnings(content) == []


@pytest.mark.parametrize(
    ("start", "limit"),
    [
        (dt.date(2019, 3, 1), dt.date(2019, 9, 1)),
        (dt.date(2019, 8, 31), dt.date(2020, 2, 29)),
        (dt.date(2024, 12, 15), dt.date(2025, 6, 15)),
    ],
)
def test_six_months_are_counted_as_months(start: dt.date, limit: dt.date) -> None:
    assert six_months_on(start) == limit


def test_a_probation_of_six_months_does_not_warn_and_a_day_more_does() -> None:
    content = full_example()
    content["employment"]["period"] = {"start": "2024-07-01", "end": "2025-06-30"}
    content["employment_form"] = {"type": "Provanstallning", "probation_end_date": "2025-01-01"}
    assert _warnings(content) == []
    content["employment_form"]["probation_end_date"] = "2025-01-02"
    assert _warnings(content) == ["probation_over_six_months"]
