"""Fuzzing, bounded so that `make test` stays quick: FUZZ_EXAMPLES cases per operation (or per
body kind), on whichever database the run uses (SQLite, or TEST_DATABASE_URL)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from tests.api.conftest import mine

__all__ = ["EXAMPLES", "FUZZ", "mine"]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

# The app, its tenant and the test's transaction are fixtures of the test function, shared by
# its examples on purpose: every case runs against the same company and key.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
