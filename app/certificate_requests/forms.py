"""The employee's form for asking a company for a certificate. Messages are Swedish message ids."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Optional, StopValidation
from wtforms.widgets import DateInput

from app.certificate_requests.service import MESSAGE_MAX_LENGTH
from app.web.form_fields import at_most as _at_most
from app.web.form_fields import organisationsnummer as _organisationsnummer
from app.web.form_fields import required as _required
from app.web.form_fields import strip as _strip


def _iso_date(_form: Any, field: Any) -> None:
    try:
        date.fromisoformat(field.data)
    except ValueError as error:
        raise StopValidation(str(_l("Ange datumet som ÅÅÅÅ-MM-DD."))) from error


def as_date(value: str) -> date:
    return date.fromisoformat(value)


class CertificateRequestForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    organisationsnummer = StringField(
        _l("Arbetsgivarens organisationsnummer"),
        [_required(), _organisationsnummer],
        filters=[_strip],
        description=_l("10 siffror, till exempel 559999-9991. Står ofta på lönebeskedet."),
    )
    period_start = StringField(
        _l("Anställd från och med"), [_required(), _iso_date], filters=[_strip], widget=DateInput()
    )
    period_end = StringField(
        _l("Anställd till och med"), [_required(), _iso_date], filters=[_strip], widget=DateInput()
    )
    message = TextAreaField(
        _l("Meddelande till arbetsgivaren (frivilligt)"),
        [Optional(), _at_most(MESSAGE_MAX_LENGTH)],
        filters=[_strip],
    )

    def validate_period_end(self, field: Any) -> None:
        """The period must not end before it starts (both dates already well-formed)."""
        if self.period_start.errors or not self.period_start.data:
            return
        if as_date(field.data) < as_date(self.period_start.data):
            raise StopValidation(str(_l("Slutdatumet kan inte vara före startdatumet.")))
