"""`flask person export|erase`: a person's own data out, and erased as far as the law allows."""

from __future__ import annotations

import json

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.certificates.models import State
from app.people.models import Person
from app.people.service import find_person
from tests import factories as f


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_export_holds_the_persons_certificates_and_is_audited(
    runner: FlaskCliRunner, session: Session, w: f.World
) -> None:
    cert = f.certificate_in(session, w, State.SENT)
    session.commit()
    result = runner.invoke(args=["person", "export", f.EMPLOYEE_PNR])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["person"]["personnummer"] == f.EMPLOYEE_PNR
    assert document["person"]["first_name"] == "Tolvan"
    assert document["akassa_membership"]["akassa"] == "unionens"
    assert [c["id"] for c in document["certificates"]] == [str(cert.id)]
    assert document["certificates"][0]["state"] == State.SENT
    assert document["certificates"][0]["versions"][0]["content"]["employee"]["personnummer"] == (
        f.EMPLOYEE_PNR
    )
    assert any(event["action"] == "certificate.created" for event in document["audit_events"])
    (event,) = _events(session, "person.exported")
    assert event.data == {"person_id": str(w.employee.id), "certificates": 1}
    assert f.EMPLOYEE_PNR not in json.dumps(event.data)


def test_export_of_someone_unknown_says_so(runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(args=["person", "export", f.OUTSIDER_PNR])
    assert result.exit_code == 1
    assert "holds nothing" in result.output
    bad = runner.invoke(args=["person", "export", "19121212-1213"])
    assert bad.exit_code == 2
    assert "not a personnummer" in bad.output


def test_erasure_keeps_certificates_and_removes_contact_details(
    runner: FlaskCliRunner, session: Session, w: f.World
) -> None:
    f.certificate_in(session, w, State.SENT)
    session.commit()
    result = runner.invoke(args=["person", "erase", f.EMPLOYEE_PNR, "--yes"])
    assert result.exit_code == 0, result.output
    assert "removed  contact_details: 2" in result.output  # e-mail and mobile
    assert "removed  akassa_membership: 1" in result.output
    assert "removed  logins: 0" in result.output
    assert "kept     certificates: 1 (the employer's statement" in result.output
    session.expire_all()
    person = find_person(session, f.EMPLOYEE_PNR)
    assert person is not None
    assert (person.email, person.mobile, person.notify_by) == (None, None, "none")
    (event,) = _events(session, "person.erased")
    assert event.data["kept"] == {"certificates": 1}


def test_a_person_nothing_refers_to_is_deleted_entirely(
    runner: FlaskCliRunner, session: Session, w: f.World
) -> None:
    before = session.scalar(select(func.count()).select_from(Person))
    result = runner.invoke(args=["person", "erase", f.EMPLOYEE_PNR, "--yes"])
    assert result.exit_code == 0, result.output
    assert "deleted entirely" in result.output
    session.expire_all()
    assert find_person(session, f.EMPLOYEE_PNR) is None
    assert session.scalar(select(func.count()).select_from(Person)) == (before or 0) - 1
    colleague = runner.invoke(args=["person", "erase", f.CERTIFIER_PNR, "--yes"])
    assert "kept     employer_roles: 1" in colleague.output
    assert find_person(session, f.CERTIFIER_PNR) is not None


def test_erasure_asks_first(runner: FlaskCliRunner, session: Session, w: f.World) -> None:
    result = runner.invoke(args=["person", "erase", f.EMPLOYEE_PNR], input="n\n")
    assert result.exit_code == 1
    session.expire_all()
    assert find_person(session, f.EMPLOYEE_PNR) is not None
    assert _events(session, "person.erased") == []
