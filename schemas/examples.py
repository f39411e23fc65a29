"""Complete, valid and already normalised content for each variant: demo data and test fixtures.

Each call returns a fresh dict, so callers may change it freely.
"""

import calendar
import re
from datetime import date
from typing import Any

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Actual hours, July 2024 to June 2025; paid holiday in July counts as worked time.
_MONTHS = (
    (2024, 7, "168.00"),
    (2024, 8, "176.00"),
    (2024, 9, "168.00"),
    (2024, 10, "184.00"),
    (2024, 11, "160.00"),
    (2024, 12, "144.00"),
    (2025, 1, "168.00"),
    (2025, 2, "160.00"),
    (2025, 3, "168.00"),
    (2025, 4, "158.50"),
    (2025, 5, "152.00"),
    (2025, 6, "160.00"),
)


def _common() -> dict[str, Any]:
    return {
        "employee": {
            "first_name": "Tolvan",
            "last_name": "Tolvansson",
            "personnummer": "191212121212",
            "email": "tolvan@example.com",
            "phone": "0701234567",
            "notify_by_sms": True,
        },
        "employer": {
            "name": "Byggbolaget Demo AB",
            "organisation_number": "5599999991",
            "address": {"street": "Byggvägen 1", "postal_code": "12345", "city": "Stockholm"},
            "email": "lon@example.com",
            "phone": "081234567",
            "use_registered_information": False,
            "consent": True,
            "related_employer": False,
        },
        "employment": {
            "period": {"start": "2019-03-01", "end": "2025-06-30"},
            "still_employed": False,
            "position": "Snickare",
            "employment_rate": "100.00",
            "on_leave": False,
        },
        "employment_form": {"type": "Tillsvidare"},
        "working_time": {"type": "Heltid", "full_time_hours": "40.00"},
        "special_information": {"staffing_agency": False, "shift_work": False},
        "termination": {"reason": "UppsagdArbetsbrist", "notice_date": "2025-03-31"},
        "severance": {"agreement": False},
        "continued_work_offer": {"offer_exists": False},
        "other_information": "Uppsagd på grund av arbetsbrist när projektet avslutades.",
    }


def full_example() -> dict[str, Any]:
    """A finished `full` certificate: blocks A–K and M."""
    content = _common()
    content["worked_time"] = {
        "period": {"start": "2024-07-01", "end": "2025-06-30"},
        "months": [
            {"year": year, "month": month, "hours_worked": hours} for year, month, hours in _MONTHS
        ],
        "sick_pay": False,
    }
    content["salary"] = {
        "year": 2025,
        "salary_type": "Manadslon",
        "amount": "34500.00",
        "varying_hourly_rate": False,
        "overtime_supplement": "85.00",
        "extra_salary": False,
        "supplements": [
            {
                "year": 2025,
                "month": 2,
                "hours": "12.00",
                "description": "OB-tillägg kväll",
                "amount": "540.00",
                "supplement_type": "OB",
            },
            {
                "year": 2025,
                "month": 6,
                "days": "14.00",
                "amount": "18400.00",
                "supplement_type": "Semesterersattning",
            },
        ],
    }
    return content


def income_2025_example() -> dict[str, Any]:
    """A finished `income_2025` certificate: blocks A–I and M, with the last full-time day."""
    content = _common()
    content["employment"]["last_full_time_day"] = "2025-06-30"
    return content


def shifted(content: Any, months: int) -> Any:
    """`content` with every date and every year/month pair moved `months` on (a day past the end
    of the new month becomes its last day), a year on its own by whole years. The examples end in
    June 2025, before the income-based rules; demo data and tests move them into their reach."""
    if isinstance(content, dict):
        moved = {key: shifted(item, months) for key, item in content.items()}
        year, month = content.get("year"), content.get("month")
        if isinstance(year, int) and isinstance(month, int):
            moved["year"], moved["month"] = _add_months(year, month, months)
        elif isinstance(year, int):
            moved["year"] = year + months // 12
        return moved
    if isinstance(content, list):
        return [shifted(item, months) for item in content]
    if isinstance(content, str) and _ISO_DATE.fullmatch(content):
        day = date.fromisoformat(content)
        year, month = _add_months(day.year, day.month, months)
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1])).isoformat()
    return content


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    years, index = divmod(year * 12 + month - 1 + months, 12)
    return years, index + 1
