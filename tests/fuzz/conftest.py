"""Fuzzing, bounded so that `make test` stays quick: FUZZ_EXAMPLES cases per operation (or per
body kind), on whichever database the run uses (SQLite, or TEST_DATABASE_URL)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

from tests.api.conftest import mine
from tests.imports.conftest import run_jobs

__all__ = ["BODIES", "EXAMPLES", "FUZZ", "mine", "run_jobs"]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

# The app, its tenant and the test's transaction are fixtures of the test function, shared by
# its examples on purpose: every case runs against the same company and key.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    # No shrinking: each case runs against the app and its database, so a smaller example
    # costs requests and minutes; the first failing case is reported as it was found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)

# A body costs a fraction of an API operation's cases: four times as many.
BODIES = settings(FUZZ, max_examples=EXAMPLES * 4)
