"""Blocks C–F: the employment, its form, the working time and special circumstances."""

from collections.abc import Mapping
from typing import Any

from marshmallow import validates_schema

from schemas import fields as f
from schemas.base import ContentSchema, PeriodSchema, Problems, aligned_rows, given, within
from schemas.codes import EMPLOYMENT_TYPES, FIXED_TERM, PART_TIME, PROBATION, WORKING_TIME_TYPES
from schemas.messages import msg


class LeaveSchema(ContentSchema):
    """One leave of absence (`Tjanstledighet`)."""

    period = f.block(PeriodSchema, "Period", required=True)
    percent = f.whole("OmfattningProcent", 0, 100, required=True)
    reason = f.text("Orsak", 256)


class EmploymentSchema(ContentSchema):
    """C. The employment (`Anstallning`)."""

    period = f.block(PeriodSchema, "AnstallningstidPeriod", required=True)
    still_employed = f.flag("FortfarandeAnstalld", required=True)
    position = f.text("Befattning", 60, required=True)
    employment_rate = f.number("ArbetstidOmfattning", 0, 100)
    on_leave = f.flag("Tjanstledig")
    leaves = f.rows(LeaveSchema, "Tjanstledigheter", "Tjanstledighet")
    # What the income-based insurance (from 2025-10-01) asks first; the SOAP service lacks it.
    last_full_time_day = f.date("SistaDagMedHeltidsarbete", extension=True)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _inside_the_period(
        self, data: Mapping[str, Any], original: Any, *, partial: bool | None, **_: Any
    ) -> None:
        problems = Problems()
        period = data.get("period", {})
        start, end = period.get("start"), period.get("end")
        ended = data.get("still_employed") is False
        if ended and not partial and not given(data, original, "period", "end"):
            problems.add(msg("end_required_when_ended"), "period", "end")
        last_day = data.get("last_full_time_day")
        if last_day is not None and not within(last_day, start, end):
            problems.add(msg("outside_employment"), "last_full_time_day")
        for index, leave in aligned_rows(data, original, "leaves"):
            leave_period = leave.get("period", {})
            for edge in ("start", "end"):
                day = leave_period.get(edge)
                if day is not None and not within(day, start, end):
                    problems.add(msg("outside_employment"), "leaves", index, "period", edge)
        problems.raise_any()


class Income2025EmploymentSchema(EmploymentSchema):
    """C for `income_2025`: the last day of full-time work becomes mandatory."""

    last_full_time_day = f.date(
        "SistaDagMedHeltidsarbete",
        required=True,
        extension=True,
        required_message=msg("required_in_income_2025"),
    )


_END_DATES = (
    (PROBATION, "probation_end_date", msg("required_for_probation"), msg("only_for_probation")),
    (
        FIXED_TERM,
        "fixed_term_end_date",
        msg("required_for_fixed_term"),
        msg("only_for_fixed_term"),
    ),
)


class EmploymentFormSchema(ContentSchema):
    """D. Form of employment (`Anstallningsform`)."""

    type = f.choice("Typ", EMPLOYMENT_TYPES, required=True)
    probation_end_date = f.date("ProvanstallningSlutdatum")
    fixed_term_end_date = f.date("TidsbegransadAnstallningSlutdatum")

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _end_date_matches_type(
        self, data: Mapping[str, Any], original: Any, *, partial: bool | None, **_: Any
    ) -> None:
        kind = data.get("type")
        if kind is None:
            return
        problems = Problems()
        for code, name, required_key, only_key in _END_DATES:
            if kind == code and not partial and not given(data, original, name):
                problems.add(required_key, name)
            if kind != code and name in data:
                problems.add(only_key, name)
        problems.raise_any()


class WorkingTimeSchema(ContentSchema):
    """E. Working time (`Arbetstid`), hours per week."""

    type = f.choice("Typ", WORKING_TIME_TYPES, required=True)
    full_time_hours = f.number("ArbetstidHeltidTimmar", 0, 168)
    part_time_hours = f.number("ArbetstidDeltidTimmar", 0, 168)
    percent_of_full_time = f.number("ProcentAvHeltid", 0, 100)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _part_time_is_measured(
        self, data: Mapping[str, Any], original: Any, *, partial: bool | None, **_: Any
    ) -> None:
        if data.get("type") != PART_TIME or partial:
            return
        problems = Problems()
        for name in ("part_time_hours", "percent_of_full_time"):
            if not given(data, original, name):
                problems.add(msg("required_for_part_time"), name)
        problems.raise_any()


class SpecialInformationSchema(ContentSchema):
    """F. Special circumstances (`SpeciellAnstallningsinformation`)."""

    staffing_agency = f.flag("AnstalldBemanning")
    shift_work = f.flag("Skiftarbete")
