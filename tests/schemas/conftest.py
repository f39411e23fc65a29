"""Fixtures for the schema tests: fresh example content and a loader that returns errors."""

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from schemas import ContentInvalid, load_content
from schemas.examples import full_example, income_2025_example


@pytest.fixture
def full() -> dict[str, Any]:
    return full_example()


@pytest.fixture
def income() -> dict[str, Any]:
    return income_2025_example()


def _errors(content: Mapping[str, Any], variant: str = "full", *, partial: bool = False) -> Any:
    try:
        load_content(content, variant, partial=partial)
    except ContentInvalid as invalid:
        return invalid.errors
    return {}


@pytest.fixture
def errors() -> Callable[..., Any]:
    """Load content and return its errors ({} when valid)."""
    return _errors
