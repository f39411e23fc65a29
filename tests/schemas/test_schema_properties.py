"""Properties over generated content: normalising is idempotent, and errors are always keys."""

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from schemas import CATALOG, ContentInvalid, load_content
from schemas.certificate import schema_for, stored_form
from schemas.codes import (
    EMPLOYMENT_TYPES,
    SALARY_TYPES,
    SUPPLEMENT_TYPES,
    TERMINATION_REASONS,
    WORKING_TIME_TYPES,
)
from schemas.examples import full_example

SETTINGS = settings(
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LETTERS = "abcdefghijklmnopqrstuvwxyzåäöéABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"


def words(max_size: int) -> st.SearchStrategy[str]:
    return st.text(LETTERS + " -", min_size=1, max_size=max_size).filter(
        lambda text: bool(text.strip())
    )


@st.composite
def personnummer(draw: st.DrawFn) -> str:
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2007, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    body = f"{born:%y%m}{day:02d}{draw(st.integers(1, 999)):03d}"
    check = luhn.calc_check_digit(body)
    century = f"{born:%Y}"[:2]
    return draw(
        st.sampled_from(
            [
                f"{century}{body}{check}",
                f"{century}{body[:6]}-{body[6:]}{check}",
                f" {century}{body}{check} ",
            ]
        )
    )


@st.composite
def organisation_number(draw: st.DrawFn) -> str:
    body = f"{draw(st.integers(10, 99))}{draw(st.integers(2, 9))}{draw(st.integers(0, 999999)):06d}"
    number = body + luhn.calc_check_digit(body)
    return draw(st.sampled_from([number, f"{number[:6]}-{number[6:]}", f"16{number}"]))


@st.composite
def phone(draw: st.DrawFn) -> str:
    rest = draw(st.text("0123456789", min_size=8, max_size=9))
    return draw(
        st.sampled_from([f"07{rest}", f"+46 7{rest[:2]} {rest[2:]}", f"07{rest[:1]}-{rest[1:]}"])
    )


@st.composite
def amount(draw: st.DrawFn, high: int) -> Any:
    cents = draw(st.integers(0, high * 100))
    text = f"{cents // 100}.{cents % 100:02d}"
    return draw(
        st.sampled_from([text, text.replace(".", ","), cents / 100 if cents % 100 == 0 else text])
    )


def iso(day: dt.date) -> str:
    return day.isoformat()


def fits(reason: str, kind: str) -> bool:
    """Whether a reason for ending fits the form of employment (rules in schemas.rules)."""
    if reason == "TidsbegransadAnstallning":
        return kind in ("Tidsbegransad", "Behovsanstalld")
    return not reason.startswith("SlutProvanstallning") or kind == "Provanstallning"


@st.composite
def content(draw: st.DrawFn, variant: str) -> dict[str, Any]:
    start = draw(st.dates(dt.date(2000, 1, 1), dt.date(2021, 12, 31)))
    end = start + dt.timedelta(days=draw(st.integers(0, 1000)))
    still_employed = draw(st.booleans())
    # Still employed: no end date in the past (the generated ones all are).
    period = {"start": iso(start)} if still_employed else {"start": iso(start), "end": iso(end)}
    employment: dict[str, Any] = {
        "period": period,
        "still_employed": still_employed,
        "position": draw(words(60)),
        "employment_rate": draw(amount(100)),
    }
    if variant == "income_2025":
        employment["last_full_time_day"] = iso(start + (end - start) * draw(st.integers(0, 4)) // 4)
    kind = draw(st.sampled_from(EMPLOYMENT_TYPES))
    employment_form: dict[str, Any] = {"type": kind}
    if kind == "Provanstallning":
        employment_form["probation_end_date"] = iso(end)
    if kind == "Tidsbegransad":
        employment_form["fixed_term_end_date"] = iso(end)
    on_call = kind == "Behovsanstalld"
    working = draw(st.sampled_from(WORKING_TIME_TYPES[1:] if on_call else WORKING_TIME_TYPES))
    working_time: dict[str, Any] = {"type": working, "full_time_hours": draw(amount(168))}
    if working == "Deltid":
        hours = draw(st.integers(1, 39))
        working_time |= {
            "full_time_hours": "40",
            "part_time_hours": str(hours),
            "percent_of_full_time": f"{hours / 40 * 100:.2f}",
        }
    result: dict[str, Any] = {
        "employee": {
            "first_name": draw(words(20)),
            "last_name": draw(words(35)),
            "personnummer": draw(personnummer()),
            "phone": draw(phone()),
            "notify_by_sms": draw(st.booleans()),
        },
        "employer": {
            "name": draw(words(50)),
            "organisation_number": draw(organisation_number()),
            "address": {
                "street": draw(words(100)),
                "postal_code": draw(st.from_regex(r"\A\d{3} ?\d{2}\Z")),
                "city": draw(words(50)),
            },
            "related_employer": draw(st.booleans()),
        },
        "employment": employment,
        "employment_form": employment_form,
        "working_time": working_time,
        "continued_work_offer": {"offer_exists": False},
    }
    if not still_employed:
        reason = draw(st.sampled_from([r for r in TERMINATION_REASONS if fits(r, kind)]))
        result["termination"] = {"reason": reason, "notice_date": iso(end)}
        if reason == "AnnanOrsak":
            result["termination"]["other_reason"] = draw(words(256))
    if variant == "full":
        months = sorted({(day.year, day.month) for day in (start, end)})
        result["worked_time"] = {
            "period": {"start": iso(start), "end": iso(end)},
            "months": [
                {"year": year, "month": month, "hours_worked": draw(amount(672))}
                for year, month in months
            ],
        }
        result["salary"] = {
            "year": end.year,
            "salary_type": draw(st.sampled_from(SALARY_TYPES)),
            "amount": draw(amount(200000)),
            "supplements": [
                {
                    "year": end.year,
                    "month": end.month,
                    "amount": draw(amount(50000)),
                    "supplement_type": draw(st.sampled_from(SUPPLEMENT_TYPES)),
                }
            ],
        }
    return result


@SETTINGS
@given(
    st.sampled_from(["full", "income_2025"]).flatmap(lambda v: st.tuples(st.just(v), content(v)))
)
def test_valid_content_round_trips_unchanged(generated: tuple[str, dict[str, Any]]) -> None:
    variant, raw = generated
    loaded = load_content(raw, variant)
    assert load_content(loaded, variant) == loaded
    assert json.loads(json.dumps(loaded)) == loaded
    assert len(loaded["employee"]["personnummer"]) == 12
    assert len(loaded["employer"]["organisation_number"]) == 10
    assert len(loaded["employee"]["phone"]) <= 15


@SETTINGS
@given(
    st.sampled_from(["full", "income_2025"]).flatmap(lambda v: st.tuples(st.just(v), content(v))),
    st.booleans(),
)
def test_the_stored_form_is_the_schemas_dump(
    generated: tuple[str, dict[str, Any]], partial: bool
) -> None:
    variant, raw = generated
    schema = schema_for(variant)
    loaded = schema.load(raw, partial=partial)
    assert stored_form(loaded) == schema.dump(loaded)
    assert json.dumps(stored_form(loaded)) == json.dumps(schema.dump(loaded))


def _leaf_paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(tree, dict):
        return [prefix] + [
            path for key, value in tree.items() for path in _leaf_paths(value, (*prefix, key))
        ]
    if isinstance(tree, list):
        return [prefix] + [
            path
            for index, value in enumerate(tree)
            for path in _leaf_paths(value, (*prefix, index))
        ]
    return [prefix]


PATHS = _leaf_paths(full_example())[1:]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _keys_in(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [key for value in errors.values() for key in _keys_in(value)]
    if isinstance(errors, list):
        return [key for value in errors for key in _keys_in(value)]
    return [errors]


@SETTINGS
@given(st.sampled_from(PATHS), JSON, st.sampled_from(["full", "income_2025"]), st.booleans())
def test_any_input_gives_keys_from_the_catalog(
    path: tuple[Any, ...], value: Any, variant: str, partial: bool
) -> None:
    raw = full_example()
    node: Any = raw
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    try:
        loaded = load_content(raw, variant, partial=partial)
    except ContentInvalid as invalid:
        for key in _keys_in(invalid.errors):
            assert isinstance(key, str)
            assert key.split(":")[0] in CATALOG, key
        invalid.localized("sv")
    else:
        assert load_content(loaded, variant, partial=partial) == loaded
