"""Flask-WTF forms of the employee's pages: approving to an a-kassa, asking for a completion.
Messages are Swedish message ids, as everywhere."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired

from app.certificates.service import MESSAGE_MAX_LENGTH
from app.web.form_fields import at_most as _at_most
from app.web.form_fields import strip as _strip


def _whole(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


class ApproveForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """The version and lock the page showed travel with the form: approving signs exactly that."""

    akassa = SelectField(
        _l("A-kassa som ska få intyget"),
        validators=[DataRequired(message=_l("Välj din a-kassa."))],
    )
    confirm = BooleanField(
        _l("Jag har läst intyget och vill skicka det till a-kassan"),
        validators=[DataRequired(message=_l("Bekräfta att du har läst intyget."))],
    )
    version = HiddenField(filters=[_whole], validators=[DataRequired()])
    lock_version = HiddenField(filters=[_whole], validators=[DataRequired()])


class CompletionForm(FlaskForm):  # type: ignore[misc]
    message = TextAreaField(
        _l("Vad behöver arbetsgivaren rätta eller lägga till?"),
        [
            DataRequired(message=_l("Skriv ett meddelande.")),
            _at_most(MESSAGE_MAX_LENGTH),
        ],
        filters=[_strip],
        description=_l(
            "Arbetsgivaren får ett meddelande och gör en ny version. Du får sedan sex nya "
            "veckor att svara."
        ),
    )
