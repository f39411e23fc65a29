"""The employee's income table for the preliminary assessment: rows of year, month, amount and
an optional skip reason, the first day without work and the membership start. Rows are added
with a button (no JavaScript); a row without an amount is left out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from app.assessment import IncomeMonth, YearMonth
from app.web.form_fields import strip as _strip

MAX_ROWS = 120
ADDED_ROWS = 3
MONTHS = (
    _l("januari"),
    _l("februari"),
    _l("mars"),
    _l("april"),
    _l("maj"),
    _l("juni"),
    _l("juli"),
    _l("augusti"),
    _l("september"),
    _l("oktober"),
    _l("november"),
    _l("december"),
)
SKIP_REASONS = (
    SelectChoice("", _l("Nej")),
    SelectChoice("sickness", _l("Sjukdom")),
    SelectChoice("child_care", _l("Vård av eget barn")),
    SelectChoice("parental_benefit", _l("Föräldrapenning eller graviditetspenning")),
    SelectChoice("full_time_study", _l("Heltidsstudier")),
    SelectChoice("business", _l("Näringsverksamhet")),
)

REASON_CODES = {choice.value for choice in SKIP_REASONS}


def _date(required: bool) -> Any:
    def check(_form: Any, field: Any) -> None:
        if not field.data:
            if required:
                raise StopValidation(str(_l("Fältet måste fyllas i.")))
            field.data = None
            return
        try:
            field.data = date.fromisoformat(field.data)
        except (TypeError, ValueError) as error:
            raise StopValidation(str(_l("Ange ett datum som ÅÅÅÅ-MM-DD."))) from error

    return check


class IncomeRowForm(Form):  # type: ignore[misc]  # WTForms ships no type hints
    """One month; the CSRF token is the outer form's."""

    year = StringField(_l("År"), filters=[_strip])
    # Choices are checked by the form itself, so a missing or odd value is a message on the row.
    month = SelectField(
        _l("Månad"),
        validate_choice=False,
        choices=[
            SelectChoice("", "–"),
            *(SelectChoice(str(n), name) for n, name in enumerate(MONTHS, start=1)),
        ],
    )
    amount = StringField(_l("Inkomst före skatt (kr)"), filters=[_strip])
    skip_reason = SelectField(_l("Kan hoppas över"), choices=SKIP_REASONS, validate_choice=False)

    @property
    def blank(self) -> bool:
        return not self.amount.data


class AssessmentForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    unemployed_on = StringField(
        _l("Första dagen utan arbete"),
        [_date(required=True)],
        filters=[_strip],
        render_kw={"type": "date"},
        description=_l("Ramtiden är de tolv månaderna före den månaden."),
    )
    member_since = StringField(
        _l("Medlem i a-kassan sedan"),
        [_date(required=False)],
        filters=[_strip],
        render_kw={"type": "date"},
        description=_l("Lämna tomt om du inte är medlem. Medlemstiden avgör nivån."),
    )
    rows = FieldList(FormField(IncomeRowForm), min_entries=1, max_entries=MAX_ROWS)

    def validate_rows_in(self, today: date) -> bool:
        """Each filled-in row: a year and month not after this month, each month once, an
        amount in whole kronor, not negative. Errors go on the row's fields."""
        ok = True
        seen: set[YearMonth] = set()
        for entry in self.rows:
            row = entry.form
            if row.blank:
                continue
            when = _when(row)
            amount = _amount(row)
            if when is not None and when > YearMonth.of(today):
                row.month.errors.append(str(_l("Månaden har inte varit än.")))
                when = None
            elif when is not None and when in seen:
                row.month.errors.append(str(_l("Månaden finns redan i tabellen.")))
            if (row.skip_reason.data or "") not in REASON_CODES:
                row.skip_reason.errors.append(str(_l("Välj ett av skälen i listan.")))
                ok = False
            if when is None or amount is None or row.month.errors:
                ok = False
                continue
            seen.add(when)
        return ok

    def months(self) -> list[IncomeMonth]:
        """The filled-in rows as income months (call after validation)."""
        found = []
        for entry in self.rows:
            row = entry.form
            when, amount = (None, None) if row.blank else (_when(row), _amount(row))
            if when is not None and amount is not None:
                reason = row.skip_reason.data or None
                found.append(IncomeMonth(when.year, when.month, amount, "manual", reason))
        return found

    def set_rows(self, rows: list[tuple[YearMonth, Decimal | None, str | None]]) -> None:
        """Replace the table, keeping room to add more."""
        while len(self.rows.entries):
            self.rows.pop_entry()
        for when, amount, reason in rows:
            self.rows.append_entry(
                {
                    "year": str(when.year),
                    "month": str(when.month),
                    "amount": "" if amount is None else f"{amount.quantize(Decimal(1))}",
                    "skip_reason": reason or "",
                }
            )

    def add_rows(self) -> None:
        for _ in range(min(ADDED_ROWS, MAX_ROWS - len(self.rows.entries))):
            self.rows.append_entry()


def _when(row: IncomeRowForm) -> YearMonth | None:
    year = row.year.data or ""
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        if not row.year.errors:
            row.year.errors.append(str(_l("Ange året med fyra siffror.")))
        return None
    month = row.month.data or ""
    if not (month.isdigit() and 1 <= int(month) <= 12):
        if not row.month.errors:
            row.month.errors.append(str(_l("Välj en månad.")))
        return None
    return YearMonth(int(year), int(month))


def _amount(row: IncomeRowForm) -> Decimal | None:
    text = "".join((row.amount.data or "").split()).removesuffix("kr")
    sign, digits = ("-", text[1:]) if text.startswith(("-", "−")) else ("", text)
    if not digits.isdigit():
        if not row.amount.errors:
            row.amount.errors.append(str(_l("Ange beloppet i hela kronor.")))
        return None
    if sign:
        if not row.amount.errors:
            row.amount.errors.append(str(_l("Beloppet kan inte vara negativt.")))
        return None
    return Decimal(digits)
