"""Filters and validators every portal's forms share, so a field is cleaned and a mistake worded
the same wherever it is typed. Messages are Swedish message ids, as everywhere."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from marshmallow.validate import Email
from wtforms.validators import DataRequired, Length, StopValidation

from schemas import validate_organisationsnummer, validate_personnummer


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def required() -> DataRequired:
    return DataRequired(message=_l("Fältet måste fyllas i."))


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Högst %(max)d tecken.", max=limit))


def email(_form: Any, field: Any) -> None:
    if field.data:
        try:
            Email()(field.data)
        except ValidationError as error:
            raise StopValidation(str(_l("Ange en giltig e-postadress."))) from error


def organisationsnummer(_form: Any, field: Any) -> None:
    """Checks the number and stores it normalised (ten digits)."""
    try:
        field.data = validate_organisationsnummer(field.data or "")
    except ValueError as error:
        raise StopValidation(
            str(_l("Kontrollera organisationsnumret: 10 siffror, till exempel 559999-9991."))
        ) from error


def personnummer(_form: Any, field: Any) -> None:
    """Checks the number and stores it normalised (twelve digits)."""
    try:
        field.data = validate_personnummer(field.data or "")
    except ValueError as error:
        raise StopValidation(
            str(_l("Kontrollera personnumret: 10 eller 12 siffror, till exempel 19121212-1212."))
        ) from error
