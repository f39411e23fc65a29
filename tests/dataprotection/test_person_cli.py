"""`flask person export|erase`: a person's own data out, and erased as far as the law allows."""

from __future__ import annotations

import json

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.audit.models import AuditEvent
from app.audit.service import Actor
from app.certificates.models import State
from app.employments import service as employments
from app.employments.models import EmploymentNumber
from app.income import service as income
from app.income.models import AgiIncome
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
    assert event.data == {
        "person_id": str(w.employee.id),
        "certificates": 1,
        "employment_numbers": 0,
        "agi_income": 0,
    }
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


def _payroll(session: Session, w: f.World, pnr: str) -> None:
    """`pnr` in the company's register (E-17) with two months of income, beside a colleague
    (same company) and another company's employee, whose rows must stay."""
    other = f.company(session, w.admin, orgnr="5560160680", name="Andrabolaget AB")
    for company, number, who, first in (
        (w.company, "E-17", pnr, "Tolvan"),
        (w.company, "E-18", f.OTHER_EMPLOYEE_PNR, "Kollega"),
        (other, "E-17", f.OUTSIDER_PNR, "Annan"),
    ):
        employments.save(
            session,
            company_id=company.id,
            number=number,
            personnummer=who,
            first_name=first,
            last_name="Persson",
            actor=Actor.person(w.admin.id),
        )
    orgnr = "165599999991"
    income.store(session, w.company.id, [f.agi_statement(orgnr, 2025, 1, 31000, pnr=pnr)])
    income.store(session, None, [f.agi_statement(orgnr, 2025, 2, 32000, pnr=pnr)])
    income.store(
        session, w.company.id, [f.agi_statement(orgnr, 2025, 1, 1, pnr=f.OTHER_EMPLOYEE_PNR)]
    )
    income.store(
        session, other.id, [f.agi_statement("165560160680", 2025, 1, 2, pnr=f.OUTSIDER_PNR)]
    )


def _held(session: Session, personnummer: InstrumentedAttribute[str]) -> set[str]:
    return set(session.scalars(select(personnummer)))


def test_export_and_erasure_cover_employment_numbers_and_agi_income(
    runner: FlaskCliRunner, session: Session, w: f.World
) -> None:
    _payroll(session, w, f.EMPLOYEE_PNR)
    session.commit()
    exported = runner.invoke(args=["person", "export", f.EMPLOYEE_PNR])
    assert exported.exit_code == 0, exported.output
    document = json.loads(exported.stdout)
    (entry,) = document["employment_numbers"]
    assert entry["company"] == "Testbolaget AB"
    assert (entry["employment_number"], entry["first_name"], entry["source"]) == (
        "E-17",
        "Tolvan",
        "portal",
    )
    assert [(r["period"], r["cash_pay"], r["imported_by"]) for r in document["agi_income"]] == [
        ("2025-01", 31000, "Testbolaget AB"),
        ("2025-02", 32000, None),
    ]
    (event,) = _events(session, "person.exported")
    assert event.data == {
        "person_id": str(w.employee.id),
        "certificates": 0,
        "employment_numbers": 1,
        "agi_income": 2,
    }

    erased = runner.invoke(args=["person", "erase", f.EMPLOYEE_PNR, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "removed  employment_numbers: 1" in erased.output
    assert "removed  agi_income: 2" in erased.output
    session.expire_all()
    assert _held(session, EmploymentNumber.personnummer) == {f.OTHER_EMPLOYEE_PNR, f.OUTSIDER_PNR}
    assert _held(session, AgiIncome.personnummer) == {f.OTHER_EMPLOYEE_PNR, f.OUTSIDER_PNR}
    (event,) = _events(session, "person.erased")
    assert event.data["removed"]["agi_income"] == 2
    assert f.EMPLOYEE_PNR not in json.dumps(event.data)


def test_agi_income_stays_with_a_kept_certificate(
    runner: FlaskCliRunner, session: Session, w: f.World
) -> None:
    f.certificate_in(session, w, State.SENT)
    _payroll(session, w, f.EMPLOYEE_PNR)
    session.commit()
    result = runner.invoke(args=["person", "erase", f.EMPLOYEE_PNR, "--yes"])
    assert result.exit_code == 0, result.output
    assert "removed  employment_numbers: 1" in result.output
    assert "kept     agi_income: 2 (the a-kassa assesses" in result.output
    session.expire_all()
    assert f.EMPLOYEE_PNR not in _held(session, EmploymentNumber.personnummer)
    assert f.EMPLOYEE_PNR in _held(session, AgiIncome.personnummer)


def test_someone_only_payroll_systems_named_is_exported_and_erased(
    runner: FlaskCliRunner, session: Session, w: f.World
) -> None:
    unknown = "198112189876"
    _payroll(session, w, unknown)
    session.commit()
    assert find_person(session, unknown) is None
    exported = runner.invoke(args=["person", "export", unknown])
    assert exported.exit_code == 0, exported.output
    document = json.loads(exported.stdout)
    assert document["person"] is None
    assert len(document["employment_numbers"]) == 1
    assert len(document["agi_income"]) == 2
    erased = runner.invoke(args=["person", "erase", unknown, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "removed  agi_income: 2" in erased.output
    again = runner.invoke(args=["person", "export", unknown])
    assert again.exit_code == 1
    assert "holds nothing" in again.output
