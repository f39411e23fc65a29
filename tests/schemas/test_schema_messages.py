"""The message catalog: complete in Swedish and English, every key used, nothing else shown."""

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from marshmallow import Schema, fields

import schemas
from schemas import (
    CATALOG,
    ContentInvalid,
    IncomeMonthSchema,
    load_content,
    localize,
    schema_for,
)
from schemas.messages import LOCALES, describe, msg

PACKAGE = Path(schemas.__file__).parent


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _keys_used_in_code() -> set[str]:
    """Every first argument of a msg(...) or rule(...) call in the package, read from the
    source: a rule's code is its message key."""
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("msg", "rule")
            ):
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"msg() with a computed key in {path}"
                assert isinstance(first.value, str)
                used.add(first.value)
    return used


def test_every_key_used_in_code_is_in_the_catalog() -> None:
    assert _keys_used_in_code() <= set(CATALOG)


def test_every_catalog_key_is_used_in_code() -> None:
    assert set(CATALOG) <= _keys_used_in_code()


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_has_text_in_both_languages(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == set(LOCALES)
    assert all(entry[locale].strip() for locale in LOCALES)
    assert _placeholders(entry["sv"]) == _placeholders(entry["en"])
    assert entry["sv"] != entry["en"]


def _sample_key(key: str) -> str:
    count = len(_placeholders(CATALOG[key]["sv"]))
    return msg(key, *range(7, 7 + count))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_localises_with_its_parameters_filled(key: str, locale: str) -> None:
    shown = describe(_sample_key(key), locale)
    assert "{" not in shown
    assert shown.endswith(".")
    assert shown[0].isupper()


def test_swedish_text_reads_naturally() -> None:
    assert describe("required", "sv") == "Fältet måste fyllas i."
    assert describe("too_long:20", "sv") == "Högst 20 tecken."
    assert describe("out_of_range:0:744", "sv") == "Ange ett värde från 0 till 744."
    assert describe("out_of_range:0:744", "en") == "Enter a value from 0 to 744."


@pytest.mark.parametrize(("locale", "language"), [("sv_SE", "sv"), ("en-GB", "en"), ("EN", "en")])
def test_locale_regions_fall_back_to_the_language(locale: str, language: str) -> None:
    assert describe("required", locale) == CATALOG["required"][language]


def test_unsupported_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported locale"):
        describe("required", "de")


def test_msg_refuses_unknown_names() -> None:
    with pytest.raises(KeyError):
        msg("no_such_key")


def test_a_stored_key_that_left_the_catalog_still_shows_text() -> None:
    assert describe("retired_key:1", "sv") == CATALOG["invalid"]["sv"]


def test_localize_keeps_the_shape() -> None:
    errors = {"worked_time": {"months": {0: {"month": ["out_of_range:1:12", "duplicate_month"]}}}}
    assert localize(errors, "en") == {
        "worked_time": {
            "months": {
                0: {
                    "month": [
                        "Enter a value from 1 to 12.",
                        (
                            "This month is already in the table. Remove one of the rows or "
                            "change the month."
                        ),
                    ]
                }
            }
        }
    }


def test_localize_refuses_what_is_not_errors() -> None:
    with pytest.raises(TypeError):
        localize({"x": [3]}, "sv")


def test_content_invalid_localises_its_errors() -> None:
    with pytest.raises(ContentInvalid) as caught:
        load_content({"employee": {"first_name": "A" * 21}}, "full", partial=True)
    assert caught.value.errors == {"employee": {"first_name": ["too_long:20"]}}
    assert caught.value.localized("sv") == {"employee": {"first_name": ["Högst 20 tecken."]}}
    assert caught.value.localized("en") == {"employee": {"first_name": ["At most 20 characters."]}}


def _error_messages(schema: Schema) -> Iterator[Any]:
    """Every configured error message of a schema, its fields and its nested schemas."""
    yield from schema.error_messages.values()
    for declared in schema.fields.values():
        yield from declared.error_messages.values()
        inner = declared.inner if isinstance(declared, fields.List) else declared
        yield from inner.error_messages.values()
        if isinstance(inner, fields.Nested):
            assert isinstance(inner.schema, Schema)
            yield from _error_messages(inner.schema)


_KEY = re.compile(r"[a-z_0-9]+(:[^:]+)*")


@pytest.mark.parametrize(
    "schema", [schema_for("full"), schema_for("income_2025"), IncomeMonthSchema()], ids=type
)
def test_no_english_default_of_marshmallow_survives(schema: Schema) -> None:
    for key in _error_messages(schema):
        assert isinstance(key, str)
        assert _KEY.fullmatch(key), key
        assert key.split(":")[0] in CATALOG
