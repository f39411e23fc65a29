"""Found by fuzzing: a NUL byte in a key or column name that an import reports back. PostgreSQL
stores no NUL in text or JSONB; the job must still finish and name the real problem."""

from __future__ import annotations

import json

from flask.testing import FlaskClient

from tests.api.conftest import Tenant
from tests.api.support import certificate_json
from tests.imports.conftest import RunJobs
from tests.imports.test_api_imports import job, upload


def test_a_nul_in_a_json_key_is_reported_as_the_unknown_field(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs
) -> None:
    record = certificate_json() | {"bad\x00key": 1}
    queued = upload(client, mine, "json", json.dumps({"certificates": [record]}).encode())
    assert run_jobs() == {"imports_done": 1}
    done = job(client, mine, queued.headers["Location"])
    assert (done["state"], done["failed"]) == ("done", 1)
    [problem] = done["problems"]
    assert problem["code"] != "import_internal_error"
    assert "bad\N{SYMBOL FOR NULL}key" in problem["pointer"] + json.dumps(
        problem, ensure_ascii=False
    )
