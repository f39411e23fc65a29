"""Hypothesis strategies: varied certificates that are still valid, and damaged documents."""

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from stdnum import luhn

from schemas import load_content
from schemas.codes import (
    EMPLOYMENT_TYPES,
    SALARY_TYPES,
    SUPPLEMENT_TYPES,
    TERMINATION_REASONS,
    WORKING_TIME_TYPES,
)

SETTINGS = settings(
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Letters, digits and the characters that XML and CSV must escape or quote.
_TEXT = "abcdefghijklmnopqrstuvwxyzåäöéABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789 -&<>\"';,."


def words(max_size: int, alphabet: str = _TEXT) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=max_size).filter(lambda text: bool(text.strip()))


def iso(day: dt.date) -> str:
    return day.isoformat()


@st.composite
def personnummer(draw: st.DrawFn) -> str:
    born = draw(st.dates(dt.date(1940, 1, 1), dt.date(2005, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    body = f"{born:%y%m}{day:02d}{draw(st.integers(1, 999)):03d}"
    return f"{born:%Y}"[:2] + body + luhn.calc_check_digit(body)


@st.composite
def organisationsnummer(draw: st.DrawFn) -> str:
    body = f"{draw(st.integers(10, 99))}{draw(st.integers(2, 9))}{draw(st.integers(0, 999999)):06d}"
    return body + luhn.calc_check_digit(body)


def amount(high: int) -> st.SearchStrategy[str]:
    return st.integers(0, high * 100).map(lambda cents: f"{cents // 100}.{cents % 100:02d}")


def maybe(draw: st.DrawFn, target: dict[str, Any], key: str, value: st.SearchStrategy[Any]) -> None:
    """Set `key` to a drawn value about half of the time."""
    if draw(st.booleans()):
        target[key] = draw(value)


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@st.composite
def _parties(draw: st.DrawFn) -> dict[str, Any]:
    employee: dict[str, Any] = {
        "first_name": draw(words(20)),
        "last_name": draw(words(35)),
        "personnummer": draw(personnummer()),
    }
    maybe(draw, employee, "email", st.just("anna.berg@example.com"))
    if draw(st.booleans()):
        employee["phone"] = "07" + draw(st.text("0123456789", min_size=8, max_size=8))
        maybe(draw, employee, "notify_by_sms", st.booleans())
    employer: dict[str, Any] = {
        "name": draw(words(50)),
        "organisation_number": draw(organisationsnummer()),
    }
    if draw(st.booleans()):
        employer["address"] = {
            "street": draw(words(100)),
            "postal_code": draw(st.text("0123456789", min_size=5, max_size=5)),
            "city": draw(words(50)),
        }
        maybe(draw, employer["address"], "care_of", words(100))
    for flag in ("use_registered_information", "consent", "related_employer"):
        maybe(draw, employer, flag, st.booleans())
    maybe(draw, employer, "other_information", words(200, _TEXT + "\n"))
    return {"employee": employee, "employer": employer}


@st.composite
def _employment(draw: st.DrawFn, variant: str) -> tuple[dict[str, Any], dt.date, dt.date]:
    start = draw(st.dates(dt.date(2000, 1, 1), dt.date(2023, 6, 30)))
    end = start + dt.timedelta(days=draw(st.integers(0, 900)))
    ended = draw(st.booleans())
    period = {"start": iso(start), "end": iso(end)} if ended else {"start": iso(start)}
    employment: dict[str, Any] = {
        "period": period,
        "still_employed": not ended,
        "position": draw(words(60)),
    }
    maybe(draw, employment, "employment_rate", amount(100))
    maybe(draw, employment, "on_leave", st.booleans())
    if draw(st.booleans()):
        employment["leaves"] = [
            {"period": {"start": iso(start), "end": iso(end)}, "percent": draw(st.integers(0, 100))}
        ]
    if variant == "income_2025":
        employment["last_full_time_day"] = iso(start + (end - start) * draw(st.integers(0, 4)) // 4)
    return employment, start, end


def fits(reason: str, kind: str) -> bool:
    """Whether a reason for ending fits the form of employment."""
    if reason == "TidsbegransadAnstallning":
        return kind in ("Tidsbegransad", "Behovsanstalld")
    return not reason.startswith("SlutProvanstallning") or kind == "Provanstallning"


@st.composite
def _terms(draw: st.DrawFn, end: dt.date, ended: bool) -> dict[str, Any]:
    kind = draw(st.sampled_from(EMPLOYMENT_TYPES))
    form: dict[str, Any] = {"type": kind}
    if kind == "Provanstallning":
        form["probation_end_date"] = iso(end)
    if kind == "Tidsbegransad":
        form["fixed_term_end_date"] = iso(end)
    # The rules across fields (schemas.rules): on-call work has no fixed full time, part time is
    # a share of full time, and the reason for ending fits the form of employment.
    on_call = kind == "Behovsanstalld"
    working = draw(st.sampled_from(WORKING_TIME_TYPES[1:] if on_call else WORKING_TIME_TYPES))
    working_time: dict[str, Any] = {"type": working}
    if working == "Heltid":
        working_time["full_time_hours"] = draw(amount(168))
    if working == "Deltid":
        hours = draw(st.integers(1, 39))
        working_time |= {
            "full_time_hours": "40",
            "part_time_hours": str(hours),
            "percent_of_full_time": f"{hours / 40 * 100:.2f}",
        }
    result: dict[str, Any] = {"employment_form": form, "working_time": working_time}
    if ended:
        reason = draw(st.sampled_from([r for r in TERMINATION_REASONS if fits(r, kind)]))
        result["termination"] = {"reason": reason, "notice_date": iso(end)}
        if reason == "AnnanOrsak":
            result["termination"]["other_reason"] = draw(words(256))
    if draw(st.booleans()):
        result["special_information"] = {"staffing_agency": draw(st.booleans())}
    if draw(st.booleans()):
        result["severance"] = {"agreement": draw(st.booleans())}
    result["continued_work_offer"] = {"offer_exists": False}
    maybe(draw, result, "other_information", words(300, _TEXT + "\n"))
    return result


@st.composite
def _pay_blocks(draw: st.DrawFn, start: dt.date, end: dt.date) -> dict[str, Any]:
    months = draw(
        st.lists(st.sampled_from(_months(start, end)), min_size=1, max_size=13, unique=True)
    )
    rows = []
    for year, month in sorted(months):
        # Together never more than the shortest month's 672 hours.
        row: dict[str, Any] = {"year": year, "month": month, "hours_worked": draw(amount(300))}
        for measure in ("absence", "overtime", "extra_time"):
            maybe(draw, row, measure, amount(120))
        rows.append(row)
    worked: dict[str, Any] = {"period": {"start": iso(start), "end": iso(end)}, "months": rows}
    maybe(draw, worked, "sick_pay", st.booleans())
    salary: dict[str, Any] = {
        "year": draw(st.integers(2000, 2026)),
        "salary_type": draw(st.sampled_from(SALARY_TYPES)),
        "amount": draw(amount(200_000)),
    }
    maybe(draw, salary, "overtime_supplement", amount(1000))
    maybe(draw, salary, "extra_salary", st.booleans())
    supplements = []
    for year, month in sorted(months)[: draw(st.integers(0, 2))]:
        supplement: dict[str, Any] = {
            "year": year,
            "month": month,
            "amount": draw(amount(50_000)),
            "supplement_type": draw(st.sampled_from(SUPPLEMENT_TYPES)),
        }
        maybe(draw, supplement, "hours", amount(744))
        maybe(draw, supplement, "description", words(256))
        supplements.append(supplement)
    if supplements:
        salary["supplements"] = supplements
    blocks = {"worked_time": worked, "salary": salary}
    if draw(st.booleans()):
        blocks["teacher_salary"] = {
            "holiday_pay": True,
            "holiday_pay_days": draw(st.integers(0, 60)),
        }
    return blocks


@st.composite
def certificates(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """(variant, content): valid, and already normalised by `load_content`."""
    variant = draw(st.sampled_from(("full", "income_2025")))
    content = draw(_parties())
    employment, start, end = draw(_employment(variant))
    content["employment"] = employment
    content |= draw(_terms(end, not employment["still_employed"]))
    if variant == "full":
        content |= draw(_pay_blocks(start, end))
    return variant, load_content(content, variant)


@st.composite
def income_tables(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Income tables as `load_income_table` returns them, with the CSV format's source."""
    months = draw(
        st.lists(
            st.sampled_from(_months(dt.date(2023, 1, 1), dt.date(2025, 12, 1))),
            max_size=6,
            unique=True,
        )
    )
    return [
        {"year": year, "month": month, "amount": draw(st.integers(0, 150_000)), "source": "payroll"}
        for year, month in sorted(months)
    ]


@st.composite
def damaged(draw: st.DrawFn, document: bytes) -> bytes:
    """`document` after a few random byte flips, insertions, deletions and a possible cut."""
    data = bytearray(document)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(("flip", "insert", "delete", "markup")))
        if action == "flip" and data:
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 16))]
        else:
            data[position:position] = draw(
                st.sampled_from([b"<", b">", b"&", b"</a>", b"<!--", b"]]>", b"\x00", b"\xff\xfe"])
            )
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)
