"""What every content schema shares: strict input, message keys, and helpers for rules."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, pre_load

from schemas import fields as f
from schemas.messages import localize, msg


def errors_of(error: ValidationError) -> dict[str | int, Any]:
    """Marshmallow's errors of a schema load, always as a dict."""
    messages = error.messages
    return dict(messages) if isinstance(messages, dict) else {"_schema": messages}


class ContentInvalid(Exception):  # noqa: N818 - the name is part of the public interface
    """Content failed validation; `errors` holds message keys in marshmallow's nested shape."""

    def __init__(self, errors: Mapping[str | int, Any]) -> None:
        super().__init__("certificate content is invalid")
        self.errors: dict[str | int, Any] = dict(errors)

    def localized(self, locale: str) -> dict[str | int, Any]:
        """The same errors as human text in "sv" or "en"."""
        return dict(localize(self.errors, locale))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _at(tree: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(tree, Mapping):
            return None
        tree = tree.get(part)
    return tree


def given(data: Mapping[str, Any], original: Any, *path: str) -> bool:
    """Whether the user supplied a value at `path`: valid (kept in `data`) or not (raw input only).

    Rules that demand a field use this, so that an invalid value gets its own error and not a
    second "required" on top.
    """
    return _at(data, path) is not None or not _blank(_at(original, path))


def aligned_rows(data: Mapping[str, Any], original: Any, key: str) -> list[tuple[int, Any]]:
    """Rows of list `key` with their input index, for rules that report per row.

    A row that was null is dropped from `data` and would shift every index after it; that list
    already has an error, so its rows are left to be checked once it is fixed.
    """
    loaded = data.get(key, [])
    raw = _at(original, (key,))
    if not isinstance(raw, list | tuple) or len(raw) != len(loaded):
        return []
    return list(enumerate(loaded))


def within(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether `day` lies in the period from `start` to `end` (open when None)."""
    return (start is None or day >= start) and (end is None or day <= end)


def month_in(year: int, month: int, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether a calendar month overlaps the period from `start` to `end` (open when None)."""
    return (start is None or (year, month) >= (start.year, start.month)) and (
        end is None or (year, month) <= (end.year, end.month)
    )


class Problems:
    """Rule violations gathered at nested paths and raised once, in marshmallow's error shape."""

    def __init__(self) -> None:
        self.tree: dict[str | int, Any] = {}

    def add(self, key: str, *path: str | int) -> None:
        node = self.tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node.setdefault(path[-1], []).append(key)

    def raise_any(self) -> None:
        if self.tree:
            raise ValidationError(self.tree)


def _schema_messages() -> dict[str, str]:
    """Schema-level errors (input not an object, an unknown field) as message keys."""
    return {"type": msg("not_object"), "unknown": msg("unknown_field")}


class ContentSchema(Schema):
    """Base of every content schema: unknown fields rejected, errors as keys, blanks as absent."""

    class Meta:
        unknown = RAISE

    error_messages = _schema_messages()

    @pre_load
    def _drop_blanks(self, data: Any, **_: Any) -> Any:
        """Strip text and drop null or empty values of known fields: a blank form field and a
        missing key mean the same, in drafts and in full loads alike."""
        if not isinstance(data, Mapping):
            return data
        known = {field.data_key or name for name, field in self.load_fields.items()}
        cleaned = {
            key: value.strip() if key in known and isinstance(value, str) else value
            for key, value in data.items()
        }
        return {
            key: value for key, value in cleaned.items() if key not in known or not _blank(value)
        }


class PeriodSchema(ContentSchema):
    """A date range (`DatumOmfattning`); the end may be open."""

    start = f.date("Start", required=True)
    end = f.date("Slut")
