"""The command line: demo data and reference data."""

from __future__ import annotations

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.akassa.models import Akassa, AkassaMembership
from app.audit.service import verify_chain
from app.certificates.models import Certificate, State
from app.companies.models import Membership


def test_demo_loads_every_state_and_prints_who_is_who(
    runner: FlaskCliRunner, session: Session
) -> None:
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["role", "name", "personnummer", "company"]
    assert any(line.startswith("admin") and "19800101-9804" in line for line in lines)
    assert any(line.startswith("certifier") and "Byggbolaget Demo AB" in line for line in lines)
    assert any(line.startswith("employee") and "19121212-1212" in line for line in lines)
    assert any(line.startswith("akassa") and "IF Metalls a-kassa" in line for line in lines)
    states = set(session.scalars(select(Certificate.state).distinct()))
    assert states == {s.value for s in State}
    assert session.scalar(select(func.count()).select_from(Membership)) == 2
    funds = session.scalars(select(Akassa.code).join(AkassaMembership).distinct())
    assert set(funds) == {"unionens", "if-metall"}
    assert verify_chain(session).ok


def test_demo_twice_creates_nothing_new(runner: FlaskCliRunner, session: Session) -> None:
    first = runner.invoke(args=["demo"])
    count = session.scalar(select(func.count()).select_from(Certificate))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert second.output == first.output
    assert session.scalar(select(func.count()).select_from(Certificate)) == count


def test_reference_data_is_loaded_from_the_data_file(
    runner: FlaskCliRunner, session: Session
) -> None:
    result = runner.invoke(args=["reference-data"])
    assert result.exit_code == 0
    assert result.output.strip() == "a-kassor: 0 added, 0 updated"
    names = set(session.scalars(select(Akassa.name)))
    assert {"Unionens a-kassa", "IF Metalls a-kassa"} <= names
