"""Blocks C–F: the employment, its form, the working time and special circumstances."""

from schemas import fields as f
from schemas.base import ContentSchema, PeriodSchema
from schemas.codes import EMPLOYMENT_TYPES, FIXED_TERM, PROBATION, WORKING_TIME_TYPES
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


class WorkingTimeSchema(ContentSchema):
    """E. Working time (`Arbetstid`), hours per week."""

    type = f.choice("Typ", WORKING_TIME_TYPES, required=True)
    full_time_hours = f.number("ArbetstidHeltidTimmar", 0, 168)
    part_time_hours = f.number("ArbetstidDeltidTimmar", 0, 168)
    percent_of_full_time = f.number("ProcentAvHeltid", 0, 100)


class SpecialInformationSchema(ContentSchema):
    """F. Special circumstances (`SpeciellAnstallningsinformation`)."""

    staffing_agency = f.flag("AnstalldBemanning")
    shift_work = f.flag("Skiftarbete")
