"""Which fields the certificate form has, in the order of the paper form (blocks A–M), and
which of them apply.

Whether a part applies is decided from a few controlling answers (variant, form of employment,
whether the employment has ended, leave, part time, an offer of continued work), so the server
shows only what applies and no page needs JavaScript. Knows nothing of Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from schemas.codes import (
    EMPLOYMENT_TYPES,
    FIXED_TERM,
    PROBATION,
    SALARY_TYPES,
    SUPPLEMENT_TYPES,
    TERMINATION_REASONS,
    WORKING_TIME_TYPES,
)

Kind = Literal["text", "textarea", "date", "number", "whole", "flag", "choice", "email", "tel"]


@dataclass(frozen=True)
class Situation:
    """The answers that decide which parts of the form apply."""

    variant: str
    employment_type: str
    still_employed: str
    on_leave: str
    working_time_type: str
    offer_exists: str

    @classmethod
    def of(cls, variant: str, values: Mapping[str, str]) -> Situation:
        return cls(
            variant=variant,
            employment_type=values.get("employment_form.type", ""),
            still_employed=values.get("employment.still_employed", ""),
            on_leave=values.get("employment.on_leave", ""),
            working_time_type=values.get("working_time.type", ""),
            offer_exists=values.get("continued_work_offer.offer_exists", ""),
        )


Rule = Callable[[Situation], bool]


def _full(s: Situation) -> bool:
    return s.variant == "full"


def _ended(s: Situation) -> bool:
    return s.still_employed != "true"


def _probation(s: Situation) -> bool:
    return s.employment_type == PROBATION


def _fixed_term(s: Situation) -> bool:
    return s.employment_type == FIXED_TERM


def _on_leave(s: Situation) -> bool:
    return s.on_leave == "true"


def _not_full_time(s: Situation) -> bool:
    return s.working_time_type != "Heltid"


def _offer(s: Situation) -> bool:
    return s.offer_exists == "true"


@dataclass(frozen=True)
class Field:
    path: str
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    applies: Rule | None = None
    controls: bool = False  # changing it changes which parts apply

    @property
    def id(self) -> str:
        return "f-" + self.path.replace(".", "-")


@dataclass(frozen=True)
class Table:
    """Rows of a list field; `columns` are paths inside one row, `totals` the summed columns."""

    path: str
    columns: tuple[Field, ...]
    totals: tuple[str, ...] = ()
    applies: Rule | None = None

    def cell(self, index: int, column: Field) -> Field:
        return Field(f"{self.path}.{index}.{column.path}", column.kind, column.choices)


@dataclass(frozen=True)
class Section:
    key: str
    items: tuple[Field | Table, ...]
    applies: Rule | None = None


def _f(path: str, kind: Kind = "text", **options: Any) -> Field:
    return Field(path, kind, **options)


SECTIONS: tuple[Section, ...] = (
    Section(
        "employee",
        (
            _f("employee.first_name"),
            _f("employee.last_name"),
            _f("employee.personnummer"),
            _f("employee.email", "email"),
            _f("employee.phone", "tel"),
            _f("employee.notify_by_sms", "flag"),
        ),
    ),
    Section(
        "employer",
        (
            _f("employer.name"),
            _f("employer.organisation_number"),
            _f("employer.address.street"),
            _f("employer.address.care_of"),
            _f("employer.address.postal_code"),
            _f("employer.address.city"),
            _f("employer.email", "email"),
            _f("employer.phone", "tel"),
            _f("employer.use_registered_information", "flag"),
            _f("employer.consent", "flag"),
            _f("employer.related_employer", "flag"),
            _f("employer.other_information", "textarea"),
        ),
    ),
    Section(
        "employment",
        (
            _f("employment.period.start", "date"),
            _f("employment.still_employed", "flag", controls=True),
            _f("employment.period.end", "date"),
            _f("employment.position"),
            _f("employment.employment_rate", "number"),
            _f("employment.last_full_time_day", "date"),
            _f("employment.on_leave", "flag", controls=True),
            Table(
                "employment.leaves",
                (
                    _f("period.start", "date"),
                    _f("period.end", "date"),
                    _f("percent", "whole"),
                    _f("reason"),
                ),
                applies=_on_leave,
            ),
        ),
    ),
    Section(
        "employment_form",
        (
            _f("employment_form.type", "choice", choices=EMPLOYMENT_TYPES, controls=True),
            _f("employment_form.probation_end_date", "date", applies=_probation),
            _f("employment_form.fixed_term_end_date", "date", applies=_fixed_term),
        ),
    ),
    Section(
        "working_time",
        (
            _f("working_time.type", "choice", choices=WORKING_TIME_TYPES, controls=True),
            _f("working_time.full_time_hours", "number"),
            _f("working_time.part_time_hours", "number", applies=_not_full_time),
            _f("working_time.percent_of_full_time", "number", applies=_not_full_time),
        ),
    ),
    Section(
        "special_information",
        (
            _f("special_information.staffing_agency", "flag"),
            _f("special_information.shift_work", "flag"),
        ),
    ),
    Section(
        "termination",
        (
            _f("termination.reason", "choice", choices=TERMINATION_REASONS),
            _f("termination.other_reason"),
            _f("termination.notice_date", "date"),
            _f("termination.fixed_term_notice_date", "date", applies=_fixed_term),
        ),
        applies=_ended,
    ),
    Section("severance", (_f("severance.agreement", "flag"),)),
    Section(
        "continued_work_offer",
        (
            _f("continued_work_offer.offer_exists", "flag", controls=True),
            _f("continued_work_offer.period.start", "date", applies=_offer),
            _f("continued_work_offer.period.end", "date", applies=_offer),
            _f("continued_work_offer.permanent", "flag", applies=_offer),
            _f("continued_work_offer.full_time_hours", "number", applies=_offer),
            _f("continued_work_offer.part_time_hours", "number", applies=_offer),
            _f("continued_work_offer.percent_of_full_time", "number", applies=_offer),
            _f(
                "continued_work_offer.working_time_type",
                "choice",
                choices=WORKING_TIME_TYPES,
                applies=_offer,
            ),
            _f("continued_work_offer.accepted", "flag", applies=_offer),
            _f("continued_work_offer.declined_date", "date", applies=_offer),
        ),
    ),
    Section(
        "worked_time",
        (
            _f("worked_time.period.start", "date"),
            _f("worked_time.period.end", "date"),
            Table(
                "worked_time.months",
                (
                    _f("year", "whole"),
                    _f("month", "whole"),
                    _f("hours_worked", "number"),
                    _f("absence", "number"),
                    _f("overtime", "number"),
                    _f("extra_time", "number"),
                ),
                totals=("hours_worked", "absence", "overtime", "extra_time"),
            ),
            _f("worked_time.sick_pay", "flag"),
            _f("worked_time.teaching_time", "flag"),
            _f("worked_time.teaching_hours", "number"),
        ),
        applies=_full,
    ),
    Section(
        "salary",
        (
            _f("salary.year", "whole"),
            _f("salary.salary_type", "choice", choices=SALARY_TYPES),
            _f("salary.amount", "number"),
            _f("salary.varying_hourly_rate", "flag"),
            _f("salary.overtime_supplement", "number"),
            _f("salary.extra_time_supplement", "number"),
            _f("salary.extra_salary", "flag"),
            Table(
                "salary.supplements",
                (
                    _f("year", "whole"),
                    _f("month", "whole"),
                    _f("supplement_type", "choice", choices=SUPPLEMENT_TYPES),
                    _f("days", "number"),
                    _f("hours", "number"),
                    _f("amount", "number"),
                    _f("description"),
                ),
                totals=("amount",),
            ),
        ),
        applies=_full,
    ),
    Section(
        "teacher_salary",
        (
            _f("teacher_salary.holiday_pay", "flag"),
            _f("teacher_salary.holiday_pay_days", "whole"),
            _f("teacher_salary.holiday_pay_amount", "number"),
            _f("teacher_salary.retainer_pay", "flag"),
            _f("teacher_salary.retainer_pay_amount", "number"),
            _f("teacher_salary.holiday_period.start", "date"),
            _f("teacher_salary.holiday_period.end", "date"),
        ),
        applies=_full,
    ),
    Section("other_information", (_f("other_information", "textarea"),)),
)

TABLES: dict[str, Table] = {
    item.path: item for section in SECTIONS for item in section.items if isinstance(item, Table)
}


def _applies(rule: Rule | None, situation: Situation) -> bool:
    return rule is None or rule(situation)


def layout(situation: Situation) -> list[Section]:
    """The sections and items that apply, in the order of the paper form."""
    shown = []
    for section in SECTIONS:
        if not _applies(section.applies, situation):
            continue
        items = tuple(item for item in section.items if _applies(item.applies, situation))
        shown.append(Section(section.key, items))
    return shown
