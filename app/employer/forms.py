"""Flask-WTF forms of the employer's pages (all but the certificate form, which the content
schemas validate: see `certificate_form`). Messages are Swedish message ids, as everywhere."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, StopValidation

from app.companies.models import Role
from app.web.form_fields import at_most as _at_most
from app.web.form_fields import email as _email
from app.web.form_fields import organisationsnummer as _organisationsnummer
from app.web.form_fields import personnummer as _personnummer
from app.web.form_fields import required as _required
from app.web.form_fields import strip as _strip
from schemas.identity import normalise_postal_code


def _postal_code(_form: Any, field: Any) -> None:
    if field.data:
        try:
            field.data = normalise_postal_code(field.data)
        except ValueError as error:
            raise StopValidation(str(_l("Ange postnumret med fem siffror."))) from error


class CompanyDetailsForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """The company's own data: when registering and in the settings."""

    name = StringField(_l("Företagets namn"), [_required(), _at_most(50)], filters=[_strip])
    street = StringField(_l("Gatuadress"), [Optional(), _at_most(100)], filters=[_strip])
    care_of = StringField(_l("c/o"), [Optional(), _at_most(100)], filters=[_strip])
    postal_code = StringField(_l("Postnummer"), [Optional(), _postal_code], filters=[_strip])
    city = StringField(_l("Ort"), [Optional(), _at_most(50)], filters=[_strip])
    notification_email = EmailField(
        _l("E-post för aviseringar"),
        [Optional(), _at_most(254), _email],
        filters=[_strip],
        description=_l("Hit skickar vi besked när en arbetstagare ber om komplettering."),
    )

    def details(self) -> dict[str, str | None]:
        """The optional details, blanks as None (the name is required and passed on its own)."""
        return {
            name: (getattr(self, name).data or None)
            for name in ("street", "care_of", "postal_code", "city", "notification_email")
        }


class RegisterCompanyForm(CompanyDetailsForm):
    organisationsnummer = StringField(
        _l("Organisationsnummer"),
        [_required(), _organisationsnummer],
        filters=[_strip],
        description=_l("10 siffror. En enskild firma anger ägarens personnummer."),
    )


class SettingsForm(CompanyDetailsForm):
    notify_on_approval = BooleanField(_l("Meddela oss när en arbetstagare har godkänt ett intyg"))


ROLE_CHOICES = (
    SelectChoice(Role.CERTIFIER.value, _l("Intygsgivare: skapar, skriver under och skickar intyg")),
    SelectChoice(Role.ADMIN.value, _l("Administratör: dessutom kollegor och företagets uppgifter")),
)


class InvitationForm(FlaskForm):  # type: ignore[misc]
    personnummer = StringField(
        _l("Kollegans personnummer"), [_required(), _personnummer], filters=[_strip]
    )
    email = EmailField(
        _l("Kollegans e-postadress"), [_required(), _at_most(254), _email], filters=[_strip]
    )
    role = RadioField(
        _l("Roll"),
        choices=ROLE_CHOICES,
        default=Role.CERTIFIER.value,
        validators=[DataRequired(message=_l("Välj en roll."))],
    )


class RoleForm(FlaskForm):  # type: ignore[misc]
    role = RadioField(
        _l("Roll"), choices=ROLE_CHOICES, validators=[DataRequired(message=_l("Välj en roll."))]
    )


class WithdrawForm(FlaskForm):  # type: ignore[misc]
    reason = TextAreaField(
        _l("Varför återkallas intyget?"),
        [_required(), _at_most(2000)],
        filters=[_strip],
        description=_l("Arbetstagaren får veta att intyget har återkallats."),
    )


class DeclineRequestForm(FlaskForm):  # type: ignore[misc]
    reason = TextAreaField(
        _l("Varför kan ni inte skriva intyget?"),
        [_required(), _at_most(1000)],
        filters=[_strip],
        description=_l("Arbetstagaren får läsa svaret."),
    )
