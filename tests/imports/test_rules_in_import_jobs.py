"""Every rule through a whole import job (upload, worker, job report), as `payroll_adapters` tests
it format by format: a record breaking one rule that drafts obey is a problem with that code at
its pointer, one breaking a rule that waits for signing becomes an unfinished draft, and one
breaking a warning becomes a draft that carries the warning."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates.models import CertificateVersion
from payroll_adapters import dump_json
from schemas import content_findings, content_warnings
from tests.api.conftest import Tenant
from tests.imports.conftest import RunJobs
from tests.imports.test_api_imports import job, upload
from tests.rule_cases import BREAKERS, example


def _luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def _personnummer(serial: int) -> str:
    """A distinct test number for each record (birth numbers 980-999 are reserved for tests)."""
    body = f"8001{1 + serial // 10:02d}98{serial % 10}"
    return "19" + body + str(_luhn(body))


@settings(
    max_examples=1,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_job_reports_each_rule_at_its_record(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs, session: Session, data: Any
) -> None:
    records, expected = [], {}
    for serial, breaker in enumerate(BREAKERS):
        variant = breaker.variants[0]
        content = example(variant)
        content["employee"]["personnummer"] = _personnummer(serial)
        field = breaker.change(content, data.draw)
        records.append({"variant": variant, **content})
        expected[breaker.code] = (len(records) - 1, field)
    queued = upload(client, mine, "json", dump_json(records))
    assert queued.status_code == 202, queued.get_data(as_text=True)
    run_jobs()
    done = job(client, mine, queued.headers["Location"])
    found = {(p["code"], p["pointer"]) for p in done["problems"]}
    drafts = {
        version.content["employee"]["personnummer"]: version.content
        for version in session.scalars(select(CertificateVersion))
    }
    for serial, breaker in enumerate(BREAKERS):
        index, field = expected[breaker.code]
        pointer = f"/certificates/{index}/" + field.replace(".", "/")
        if breaker.severity == "error" and breaker.in_drafts:
            assert (breaker.code, pointer) in found, breaker.code
            assert _personnummer(serial) not in drafts, breaker.code
            continue
        assert not any(p[1].startswith(f"/certificates/{index}/") for p in found), breaker.code
        draft = drafts[_personnummer(serial)]
        if breaker.severity == "warning":
            warnings = content_warnings(draft, breaker.variants[0])
            assert [key.split(":")[0] for key in warnings] == [breaker.code]
        else:  # waits for signing, which it stops
            findings = content_findings(draft, breaker.variants[0], complete=True)
            assert [f.code for f in findings if f.severity == "error"] == [breaker.code]
