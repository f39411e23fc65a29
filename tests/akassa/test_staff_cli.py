"""`flask akassa-staff add|list|remove`: an administrator sets up a fund's officers."""

from __future__ import annotations

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.akassa.models import AkassaStaff
from app.audit.models import AuditEvent
from app.people import service as people
from tests.akassa.support import OFFICER_PNR, OTHER_OFFICER_PNR

ADD = ["akassa-staff", "add"]
NAMES = ["--first-name", "Oskar", "--last-name", "Handläggare"]


def test_add_list_and_remove(runner: FlaskCliRunner, session: Session) -> None:
    added = runner.invoke(args=[*ADD, "19700101-9806", "unionens", *NAMES, "--email", "o@a.test"])
    assert added.exit_code == 0, added.output
    assert "Oskar Handläggare (700101-****) is now staff of Unionens a-kassa" in added.output
    person = people.find_person(session, OFFICER_PNR)
    assert person is not None
    assert person.email == "o@a.test"
    staff = session.scalars(select(AkassaStaff)).one()
    assert staff.person_id == person.id
    assert staff.akassa.code == "unionens"
    runner.invoke(args=[*ADD, OTHER_OFFICER_PNR, "if-metall", "--first-name", "Ida", *NAMES[2:]])

    listed = runner.invoke(args=["akassa-staff", "list"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("if-metall")
    assert "650505-****" in lines[0]
    assert lines[1].startswith("unionens")
    assert "Oskar Handläggare" in lines[1]
    assert "9806" not in listed.output, "the list shows masked personnummer only"
    one_fund = runner.invoke(args=["akassa-staff", "list", "unionens"])
    assert one_fund.output.splitlines() == lines[1:]

    removed = runner.invoke(args=["akassa-staff", "remove", OFFICER_PNR])
    assert removed.exit_code == 0, removed.output
    assert "no longer staff of Unionens a-kassa" in removed.output
    assert session.scalars(select(AkassaStaff.akassa_id)).all() == [
        session.scalars(select(AkassaStaff)).one().akassa_id
    ]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("akassa_staff.%"))
    ).all()
    assert actions == ["akassa_staff.added", "akassa_staff.added", "akassa_staff.removed"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*ADD, "19700101-9807", "unionens", *NAMES], "not a personnummer"),
        ([*ADD, "12345", "unionens", *NAMES], "not a personnummer"),
        ([*ADD, OFFICER_PNR, "ingen-sadan-kassa", *NAMES], "no active a-kassa"),
        ([*ADD, OFFICER_PNR, "unionens"], "Missing option '--first-name'"),
        (["akassa-staff", "list", "ingen-sadan-kassa"], "no active a-kassa"),
        (["akassa-staff", "remove", "19700101-9807"], "not a personnummer"),
        (["akassa-staff", "remove", OFFICER_PNR], "not staff of any a-kassa"),
    ],
)
def test_bad_input_fails_clearly(
    runner: FlaskCliRunner, session: Session, args: list[str], message: str
) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert session.scalars(select(AkassaStaff)).all() == []


def test_a_person_serves_one_fund_at_a_time(runner: FlaskCliRunner, session: Session) -> None:
    assert runner.invoke(args=[*ADD, OFFICER_PNR, "unionens", *NAMES]).exit_code == 0
    again = runner.invoke(args=[*ADD, OFFICER_PNR, "if-metall", *NAMES])
    assert again.exit_code == 1
    assert "already staff of unionens" in again.output
    assert [s.akassa.code for s in session.scalars(select(AkassaStaff))] == ["unionens"]


def test_an_unknown_fund_is_answered_with_the_valid_codes(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=[*ADD, OFFICER_PNR, "unionen", *NAMES])
    assert result.exit_code == 1
    assert "no active a-kassa with the code 'unionen'. Did you mean 'unionens'?" in result.output
    assert "Valid codes:" in result.output
    assert "  unionens" in result.output
    assert "if-metall" in result.output
