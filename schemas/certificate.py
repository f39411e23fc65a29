"""The certificate as a whole: one schema per variant, loading it with its rules, and warnings."""

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

from schemas import fields as f
from schemas import rules
from schemas.base import ContentInvalid, ContentSchema, errors_of
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
from schemas.rules.engine import merge

VARIANTS: tuple[str, ...] = ("full", "income_2025")


class CertificateSchema(ContentSchema):
    """Blocks A–I and M, common to both variants; the rules across them are in `schemas.rules`."""

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


def load_content(
    data: Mapping[str, Any],
    variant: str,
    *,
    partial: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Validate and normalise certificate content into a JSON-serialisable dict.

    Dates become 'YYYY-MM-DD', decimals strings with two decimals, personnummer 12 digits,
    organisationsnummer 10 digits, phone numbers their national form. Then the rules across
    fields (`schemas.rules`) run over what loaded, so one answer holds every problem. Their
    errors refuse the content; their warnings do not (see `content_warnings`). `partial=True`
    is for drafts: nothing is required, but every value present is checked, and so is every
    rule whose fields are all present. Raises ContentInvalid, or ValueError for an unknown
    variant.
    """
    return load_checked(data, variant, partial=partial, today=today)[0]


def load_checked(
    data: Mapping[str, Any],
    variant: str,
    *,
    partial: bool = False,
    today: dt.date | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """`load_content`, and the `content_warnings` of what it returns, from one load and one pass
    of the rules: a draft's warnings are those of the rules that hold for drafts."""
    schema = schema_for(variant)
    errors: dict[str | int, Any] = {}
    try:
        loaded = schema.load(data, partial=partial)
    except ValidationError as error:
        errors = errors_of(error)
        loaded = error.valid_data if isinstance(error.valid_data, dict) else {}
    findings = rules.evaluate(loaded, variant, complete=not partial, today=today, raw=data)
    merge(errors, rules.error_tree(findings))
    if errors:
        raise ContentInvalid(errors)
    warnings = [
        finding.key
        for finding in findings
        if finding.severity == rules.WARNING and (partial or rules.RULES[finding.code].in_drafts)
    ]
    return stored_form(loaded), warnings


def stored_form(loaded: Mapping[str, Any]) -> dict[str, Any]:
    """What the schema's dump makes of loaded content, in one walk rather than a second pass
    through every field (a fifth of the API's write path): dates as 'YYYY-MM-DD', amounts as
    text with their two decimals, the rest JSON already. A property test holds it to the dump."""
    return {key: _json_value(value) for key, value in loaded.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_json_value(inner) for inner in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return value


def content_findings(
    content: Mapping[str, Any],
    variant: str,
    *,
    complete: bool = False,
    today: dt.date | None = None,
) -> list[rules.Finding]:
    """What the rules find in content already stored (drafts too), errors and warnings alike.

    Values that fail their own field checks are left out, as a draft may hold them."""
    schema = schema_for(variant)
    try:
        loaded = schema.load(content, partial=not complete)
    except ValidationError as error:
        loaded = error.valid_data if isinstance(error.valid_data, dict) else {}
    return rules.evaluate(loaded, variant, complete=complete, today=today, raw=content)


def content_warnings(
    content: Mapping[str, Any], variant: str, *, today: dt.date | None = None
) -> list[str]:
    """Message keys of what looks wrong but may be true, for stored content (drafts too).

    These are shown next to the draft, and the signer confirms them before signing."""
    return [
        finding.key
        for finding in content_findings(content, variant, today=today)
        if finding.severity == rules.WARNING
    ]
