"""The intake tests use the API tests' tenants and the import tests' worker pass."""

from __future__ import annotations

from tests.api.conftest import mine
from tests.imports.conftest import run_jobs

__all__ = ["mine", "run_jobs"]
