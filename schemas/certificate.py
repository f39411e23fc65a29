"""The certificate as a whole: one schema per variant, loading, and non-blocking warnings."""

import decimal
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, validates_schema

from schemas import fields as f
from schemas.base import (
    ContentInvalid,
    ContentSchema,
    Problems,
    aligned_rows,
    errors_of,
    given,
    month_in,
)
from schemas.blocks.employment import (
    EmploymentFormSchema,
    EmploymentSchema,
    Income2025EmploymentSchema,
    SpecialInformationSchema,
    WorkingTimeSchema,
)
from schemas.blocks.ending import ContinuedWorkOfferSchema, SeveranceSchema, TerminationSchema
from schemas.blocks.parties import EmployeeSchema, EmployerSchema
from schemas.blocks.pay import SalarySchema, TeacherSalarySchema, WorkedTimeSchema
from schemas.messages import msg

VARIANTS: tuple[str, ...] = ("full", "income_2025")


class CertificateSchema(ContentSchema):
    """Blocks A–I and M, common to both variants, and the rules that span blocks."""

    employee = f.block(EmployeeSchema, "Arbetstagare", required=True)
    employer = f.block(EmployerSchema, "Arbetsgivare", required=True)
    employment = f.block(EmploymentSchema, "Anstallning", required=True)
    employment_form = f.block(EmploymentFormSchema, "Anstallningsform", required=True)
    working_time = f.block(WorkingTimeSchema, "Arbetstid", required=True)
    special_information = f.block(SpecialInformationSchema, "SpeciellAnstallningsinformation")
    termination = f.block(TerminationSchema, "Upphorandeorsak")
    severance = f.block(SeveranceSchema, "Avgangsvederlag")
    continued_work_offer = f.block(ContinuedWorkOfferSchema, "ErbjudandeOmFortsattArbete")
    other_information = f.text("OvrigUpplysning/OvrigUpplysning", 2000)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _across_blocks(
        self, data: Mapping[str, Any], original: Any, *, partial: bool | None, **_: Any
    ) -> None:
        problems = Problems()
        employment = data.get("employment", {})
        period = employment.get("period", {})
        start, end = period.get("start"), period.get("end")
        still_employed = employment.get("still_employed")
        termination = data.get("termination", {})
        if still_employed is True and "reason" in termination:
            problems.add(msg("forbidden_while_employed"), "termination", "reason")
        if (
            still_employed is False
            and not partial
            and not given(data, original, "termination", "reason")
        ):
            problems.add(msg("required_when_ended"), "termination", "reason")
        for name in ("notice_date", "fixed_term_notice_date"):
            if end is not None and name in termination and termination[name] > end:
                problems.add(msg("notice_after_end"), "termination", name)
        worked_time = data.get("worked_time", {})
        raw_worked_time = original.get("worked_time") if isinstance(original, Mapping) else None
        for index, row in aligned_rows(worked_time, raw_worked_time, "months"):
            if (
                "year" in row
                and "month" in row
                and not month_in(row["year"], row["month"], start, end)
            ):
                problems.add(msg("outside_employment"), "worked_time", "months", index, "month")
        problems.raise_any()


class FullCertificateSchema(CertificateSchema):
    """Variant `full`: every block, for benefit periods decided before 2025-10-01."""

    worked_time = f.block(WorkedTimeSchema, "ArbetadTid", required=True)
    salary = f.block(SalarySchema, "Lon", required=True)
    teacher_salary = f.block(TeacherSalarySchema, "Lararlon")


class Income2025CertificateSchema(CertificateSchema):
    """Variant `income_2025`: income comes from AGI, so J–L are refused by name."""

    employment = f.block(Income2025EmploymentSchema, "Anstallning", required=True)
    worked_time = f.not_in_variant("ArbetadTid")
    salary = f.not_in_variant("Lon")
    teacher_salary = f.not_in_variant("Lararlon")


_SCHEMAS: dict[str, CertificateSchema] = {
    "full": FullCertificateSchema(),
    "income_2025": Income2025CertificateSchema(),
}


def schema_for(variant: str) -> CertificateSchema:
    """The schema of a variant. Raises ValueError for an unknown one."""
    try:
        return _SCHEMAS[variant]
    except KeyError:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}") from None


def load_content(data: Mapping[str, Any], variant: str, *, partial: bool = False) -> dict[str, Any]:
    """Validate and normalise certificate content into a JSON-serialisable dict.

    Dates become 'YYYY-MM-DD', decimals strings with two decimals, personnummer 12 digits,
    organisationsnummer 10 digits, phone numbers their national form. `partial=True` is for
    drafts: nothing is required, but every value present is checked, and so is every rule whose
    fields are all present. Raises ContentInvalid, or ValueError for an unknown variant.
    """
    schema = schema_for(variant)
    try:
        loaded = schema.load(data, partial=partial)
    except ValidationError as error:
        raise ContentInvalid(errors_of(error)) from error
    return dict(schema.dump(loaded))


def content_warnings(content: Mapping[str, Any], variant: str) -> list[str]:
    """Message keys of what looks wrong but may be true, for loaded content (drafts too)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
    months = content.get("worked_time", {}).get("months")
    if months is None:
        return []
    warnings = []
    hours = [decimal.Decimal(str(row["hours_worked"])) for row in months if "hours_worked" in row]
    if len(hours) >= 2 and len(hours) == len(months) and len(set(hours)) == 1:
        warnings.append(msg("identical_months"))
    covered = {(row["year"], row["month"]) for row in months if "year" in row and "month" in row}
    if len(covered) < 12:
        warnings.append(msg("fewer_than_12_months"))
    return warnings
