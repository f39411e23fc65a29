"""Filters and validators every portal's forms share, so a field is cleaned and a mistake worded
the same wherever it is typed. Messages are Swedish message ids, as everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from marshmallow.validate import Email
from wtforms.validators import DataRequired, Length, StopValidation

from schemas import validate_organisationsnummer, validate_personnummer


def posted_lock_version() -> int | None:
    """The `lock_version` a form read with its record and posts back, for the optimistic lock:
    None when the form posts none, and a value that is no version can match nothing."""
    raw = request.form.get("lock_version")
    if raw is None:
        return None
    return int(raw) if raw.isdigit() and len(raw) < 10 else -1


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


def _normalised(normalise: Callable[[str], str], message: LazyString) -> Callable[[Any, Any], None]:
    """A check that stores the number in its normal form, or stops with `message`."""

    def check(_form: Any, field: Any) -> None:
        try:
            field.data = normalise(field.data or "")
        except ValueError as error:
            raise StopValidation(str(message)) from error

    return check


organisationsnummer = _normalised(
    validate_organisationsnummer,
    _l("Kontrollera organisationsnumret: 10 siffror, till exempel 559999-9991."),
)
personnummer = _normalised(
    validate_personnummer,
    _l("Kontrollera personnumret: 10 eller 12 siffror, till exempel 19121212-1212."),
)
