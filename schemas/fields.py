"""Field types whose every error is a message key, and the factories the blocks declare fields with.

Every field carries its element name in the original SOAP service as ``metadata["xml"]`` (a short
path such as ``"OvrigUpplysning/OvrigUpplysning"`` where the service wraps a value), the row
element of repeated blocks as ``metadata["xml_item"]``, and ``metadata["extension"]`` for what
Intyga adds to that service.
"""

import datetime as dt
import decimal
import re
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, types

from schemas.identity import (
    normalise_phone,
    normalise_postal_code,
    validate_organisationsnummer,
    validate_personnummer,
)
from schemas.messages import msg

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"[-+]?\d+")
_CENT = decimal.Decimal("0.01")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def messages(**keys: str) -> types.ErrorMessages:
    """marshmallow's error names mapped to our message keys."""
    return dict(keys)


class _Keyed:
    """Mixin listed first, so its keys replace marshmallow's English defaults."""

    default_error_messages = messages(
        required=msg("required"), null=msg("null"), validator_failed=msg("invalid")
    )


class Text(_Keyed, fields.String):
    """Text; surrounding blanks are stripped by the schema before it gets here. Control
    characters (other than tab and line breaks) are refused: XML cannot carry them."""

    default_error_messages = messages(invalid=msg("not_text"), invalid_utf8=msg("not_text"))

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        given: str = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(given):
            raise ValidationError(msg("control_characters"))
        return given


class Normalised(Text):
    """Text that a function turns into its one stored form, or rejects with `error`."""

    def __init__(self, normalise: Callable[[str], str], error: str, **kwargs: Any) -> None:
        self.normalise = normalise
        self.error = error
        super().__init__(**kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        given = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self.normalise(given)
        except ValueError as error:
            raise ValidationError(self.error) from error


class Email(_Keyed, fields.Email):
    default_error_messages = messages(invalid=msg("invalid_email"), invalid_utf8=msg("not_text"))


class Choice(Text):
    """One of the official codes; case is forgiven on input and the code stored as written."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        self.choices = choices
        self._by_folded = {choice.casefold(): choice for choice in choices}
        super().__init__(**kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        given = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self._by_folded[given.casefold()]
        except KeyError:
            raise ValidationError(msg("invalid_choice", ", ".join(self.choices))) from None


class Date(_Keyed, fields.Date):
    """A calendar date written YYYY-MM-DD (or a `date`), never a date-time."""

    default_error_messages = messages(
        invalid=msg("invalid_date"),
        invalid_awareness=msg("invalid_date"),
        format=msg("invalid_date"),
    )

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.make_error("invalid")


class Flag(_Keyed, fields.Boolean):
    default_error_messages = messages(invalid=msg("not_boolean"))


class Whole(_Keyed, fields.Integer):
    """An integer; integral floats and digit strings are accepted, 12.5 is not silently cut."""

    default_error_messages = messages(invalid=msg("not_integer"), too_large=msg("not_integer"))

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _WHOLE.fullmatch(value):
            return int(value)
        raise self.make_error("invalid")


class Number(_Keyed, fields.Decimal):
    """A decimal with at most two decimals, stored as a string such as "37.50".

    A decimal comma and spaces between thousands ("1 234,5") are accepted, as Swedish users and
    spreadsheets write them.
    """

    default_error_messages = messages(
        invalid=msg("not_number"), too_large=msg("not_number"), special=msg("not_number")
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(places=2, as_string=True, **kwargs)

    def _validated(self, value: Any) -> decimal.Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str | decimal.Decimal):
            raise self.make_error("invalid")
        if isinstance(value, str):
            value = re.sub(r"\s", "", value)
            if "," in value and "." in value:
                raise self.make_error("invalid")
            value = value.replace(",", ".")
        try:
            number = decimal.Decimal(str(value))
            rounded = number.quantize(_CENT) if number.is_finite() else None
        except decimal.InvalidOperation as error:
            raise self.make_error("invalid") from error
        if rounded is None:
            raise self.make_error("special")
        if rounded != number:
            raise ValidationError(msg("too_many_decimals", 2))
        return rounded.copy_abs() if rounded.is_zero() else rounded


class Block(_Keyed, fields.Nested):
    default_error_messages = messages(type=msg("not_object"))


class Rows(_Keyed, fields.List[Any]):
    default_error_messages = messages(invalid=msg("not_list"))


class NotInVariant(_Keyed, fields.Field[Any]):
    """A block the variant leaves out: named, so that sending it gets a clear error."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        raise ValidationError(msg("not_in_variant"))


def max_length(limit: int) -> types.Validator:
    def check(value: str) -> None:
        if len(value) > limit:
            raise ValidationError(msg("too_long", limit))

    return check


class InRange:
    """A bound check with our messages. Its `min` and `max` are what apispec reads, so the
    OpenAPI document states the same bounds the server enforces (as JSON numbers)."""

    def __init__(self, low: decimal.Decimal | int, high: decimal.Decimal | int | None) -> None:
        self.low, self.high = low, high
        self.min, self.max = _json_number(low), None if high is None else _json_number(high)

    def __call__(self, value: decimal.Decimal | int) -> None:
        if self.high is None and value < self.low:
            raise ValidationError(msg("too_small", self.low))
        if self.high is not None and not self.low <= value <= self.high:
            raise ValidationError(msg("out_of_range", self.low, self.high))


def _json_number(number: decimal.Decimal | int) -> int | float:
    return int(number) if number == int(number) else float(number)


def in_range(low: decimal.Decimal | int, high: decimal.Decimal | int | None) -> types.Validator:
    return InRange(low, high)


def xml(name: str, *, item: str | None = None, extension: bool = False) -> dict[str, Any]:
    """Field metadata naming the SOAP element (and the row element of a list)."""
    return {"xml": name, "xml_item": item, "extension": extension}


def text(name: str, limit: int, *, required: bool = False) -> Text:
    return Text(required=required, validate=max_length(limit), metadata=xml(name))


def personnummer(name: str, *, required: bool = False) -> Normalised:
    """The employee's personnummer or samordningsnummer; one of them is needed to issue a
    certificate at all, and the required message says so."""
    needed = msg("personnummer_required")
    return Normalised(
        validate_personnummer,
        msg("invalid_personnummer"),
        required=required,
        error_messages={"required": needed, "null": needed},
        metadata=xml(name),
    )


def organisation_number(name: str, *, required: bool = False) -> Normalised:
    return Normalised(
        validate_organisationsnummer, msg("invalid_orgnr"), required=required, metadata=xml(name)
    )


def postal_code(name: str, *, required: bool = False) -> Normalised:
    return Normalised(
        normalise_postal_code, msg("invalid_postal_code"), required=required, metadata=xml(name)
    )


def phone(name: str) -> Normalised:
    """A phone number, held to the 15-character limit only once normalised."""
    return Normalised(
        normalise_phone, msg("invalid_phone"), validate=max_length(15), metadata=xml(name)
    )


def email(name: str) -> Email:
    return Email(validate=max_length(254), metadata=xml(name))


def choice(
    name: str, choices: tuple[str, ...], *, required: bool = False, extension: bool = False
) -> Choice:
    return Choice(choices, required=required, metadata=xml(name, extension=extension))


def date(
    name: str,
    *,
    required: bool = False,
    extension: bool = False,
    required_message: str | None = None,
) -> Date:
    return Date(
        required=required,
        error_messages={"required": required_message} if required_message else None,
        metadata=xml(name, extension=extension),
    )


def flag(name: str, *, required: bool = False, extension: bool = False) -> Flag:
    return Flag(required=required, metadata=xml(name, extension=extension))


def whole(
    name: str, low: int, high: int | None, *, required: bool = False, extension: bool = False
) -> Whole:
    return Whole(
        required=required, validate=in_range(low, high), metadata=xml(name, extension=extension)
    )


def number(name: str, low: int, high: int | None, *, required: bool = False) -> Number:
    return Number(required=required, validate=in_range(low, high), metadata=xml(name))


def block(schema: type[Schema], name: str, *, required: bool = False) -> Block:
    return Block(schema, required=required, metadata=xml(name))


def rows(schema: type[Schema], name: str, item: str, *, required: bool = False) -> Rows:
    return Rows(Block(schema), required=required, metadata=xml(name, item=item))


def not_in_variant(name: str) -> NotInVariant:
    return NotInVariant(metadata=xml(name))
