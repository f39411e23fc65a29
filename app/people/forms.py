"""The person's own profile form: contact details and how to be told that something arrived.
Messages are Swedish message ids, as everywhere."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Optional, StopValidation

from app.people.models import NotifyBy
from app.people.service import EMAIL_MAX_LENGTH, normalise_mobile
from app.web.form_fields import at_most as _at_most
from app.web.form_fields import email as _email
from app.web.form_fields import strip as _strip


def _mobile(_form: Any, field: Any) -> None:
    try:
        field.data = normalise_mobile(field.data)
    except ValueError as error:
        raise StopValidation(
            str(_l("Ange ett svenskt mobilnummer, till exempel 070-123 45 67."))
        ) from error


NOTIFY_CHOICES = (
    SelectChoice(NotifyBy.EMAIL.value, _l("E-post")),
    SelectChoice(NotifyBy.SMS.value, _l("SMS")),
    SelectChoice(NotifyBy.BOTH.value, _l("Både e-post och SMS")),
    SelectChoice(NotifyBy.NONE.value, _l("Inte alls: jag loggar in och tittar själv")),
)
LANGUAGE_CHOICES = (SelectChoice("sv", "Svenska"), SelectChoice("en", "English"))


def _one_of(choices: tuple[SelectChoice, ...]) -> AnyOf:
    """WTForms' own check would answer in English; this one speaks the page's language."""
    return AnyOf([choice.value for choice in choices], message=_l("Välj ett av alternativen."))


class ProfileForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    email = EmailField(
        _l("E-postadress"),
        [Optional(), _at_most(EMAIL_MAX_LENGTH), _email],
        filters=[_strip],
    )
    mobile = TelField(
        _l("Mobilnummer"),
        [Optional(), _mobile],
        filters=[_strip],
        description=_l("Ett svenskt mobilnummer, till exempel 070-123 45 67."),
    )
    notify_by = RadioField(
        _l("Hur vill du få besked när ett intyg kommer?"),
        choices=NOTIFY_CHOICES,
        validate_choice=False,
        validators=[
            DataRequired(message=_l("Välj hur du vill få besked.")),
            _one_of(NOTIFY_CHOICES),
        ],
    )
    language = RadioField(
        _l("Språk"),
        choices=LANGUAGE_CHOICES,
        validate_choice=False,
        validators=[DataRequired(message=_l("Välj språk.")), _one_of(LANGUAGE_CHOICES)],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """Each way of being told needs its address; the error goes on the missing field."""
        valid: bool = super().validate(extra_validators)
        wants = self.notify_by.data
        if wants in (NotifyBy.SMS, NotifyBy.BOTH) and not self.mobile.data:
            self.mobile.errors.append(str(_l("Ange ett mobilnummer för att få besked med SMS.")))
            valid = False
        if wants in (NotifyBy.EMAIL, NotifyBy.BOTH) and not self.email.data:
            self.email.errors.append(str(_l("Ange en e-postadress för att få besked med e-post.")))
            valid = False
        return valid
