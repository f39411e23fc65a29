"""Blocks J–L (`full` variant only): worked time, salary and teachers' pay.

Under the income-based insurance the a-kassa takes income from the employer declarations (AGI)
instead, so `income_2025` certificates leave these out.
"""

from schemas import fields as f
from schemas.base import ContentSchema, PeriodSchema
from schemas.codes import SALARY_TYPES, SUPPLEMENT_TYPES

# Hours in a month can never exceed 31 days of 24 hours.
MONTH_HOURS = 744


class WorkedMonthSchema(ContentSchema):
    """One calendar month of actual hours (`ArbetadTidManad`); paid holiday counts as worked."""

    year = f.whole("Ar", 1900, 2100, required=True)
    month = f.whole("Manad", 1, 12, required=True)
    hours_worked = f.number("ArbetadeTimmar", 0, MONTH_HOURS, required=True)
    absence = f.number("Franvaro", 0, MONTH_HOURS)
    overtime = f.number("Overtid", 0, MONTH_HOURS)
    extra_time = f.number("Mertid", 0, MONTH_HOURS)


class WorkedTimeSchema(ContentSchema):
    """J. Worked time (`ArbetadTid`): one row per calendar month, never averages."""

    period = f.block(PeriodSchema, "ArbetadTidDatumOmfattning", required=True)
    months = f.rows(WorkedMonthSchema, "ArbetadTidManader", "ArbetadTidManad", required=True)
    sick_pay = f.flag("Sjuklon")
    teaching_time = f.flag("Undervisningstid")
    teaching_hours = f.number("Undervisningstimmar", 0, MONTH_HOURS)


class SupplementSchema(ContentSchema):
    """One other pay supplement (`AndraLonetillaggRad`); holiday pay at termination goes in the
    last month."""

    year = f.whole("Ar", 1900, 2100, required=True)
    month = f.whole("Manad", 1, 12, required=True)
    days = f.number("Dagar", 0, 31)
    hours = f.number("Timmar", 0, MONTH_HOURS)
    description = f.text("Beskrivning", 256)
    amount = f.number("Belopp", 0, None, required=True)
    supplement_type = f.choice("Lonetillaggstyp", SUPPLEMENT_TYPES, required=True)


class SalarySchema(ContentSchema):
    """K. Salary (`Lon`), gross amounts in kronor."""

    year = f.whole("Ar", 1900, 2100, required=True)
    salary_type = f.choice("TypAvLon", SALARY_TYPES, required=True)
    amount = f.number("Belopp", 0, None, required=True)
    varying_hourly_rate = f.flag("VarierandeTimlon")
    # Supplements per hour, in kronor (the service types them as amounts, not yes/no).
    overtime_supplement = f.number("Overtidstillagg", 0, None)
    extra_time_supplement = f.number("Mertidstillagg", 0, None)
    extra_salary = f.flag("ExtraLon")
    supplements = f.rows(SupplementSchema, "AndraLonetillaggLista", "AndraLonetillaggRad")


class TeacherSalarySchema(ContentSchema):
    """L. Teachers' holiday and retainer pay (`Lararlon`)."""

    holiday_pay = f.flag("Ferielon")
    holiday_pay_days = f.whole("FerielonDagar", 0, 366)
    holiday_pay_amount = f.number("FerielonBelopp", 0, None)
    retainer_pay = f.flag("Uppehallslon")
    retainer_pay_amount = f.number("UppehallslonBelopp", 0, None)
    holiday_period = f.block(PeriodSchema, "SemesterDatumOmfattning")
