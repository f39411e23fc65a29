"""`flask person export|erase PERSONNUMMER`: a person's rights, carried out by an operator.

Each is audited (who ran it, what it counted; never the personnummer) and one transaction.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.auth import logins
from app.database import utcnow
from app.dataprotection.erasure import KEPT_BECAUSE, Erasure, erase_payroll, erase_person
from app.dataprotection.export import export_person, payroll_records
from app.extensions import db
from app.people.models import Person
from app.people.service import find_person, personnummer_index
from schemas import mask_personnummer, validate_personnummer

OPERATOR = Actor(label="cli")


@click.group("person")
def person_group() -> None:
    """Export or erase what Intyga holds about one person."""


def _person(personnummer: str) -> tuple[Person | None, str, dict[str, list[dict[str, Any]]]]:
    """The person (None when only payroll systems named them), the personnummer's blind index
    and the payroll records held under it."""
    try:
        index = personnummer_index(personnummer)
    except ValueError as error:
        raise click.BadParameter(
            f"not a personnummer or samordningsnummer: {personnummer}"
        ) from error
    person = find_person(db.session, personnummer)
    payroll = payroll_records(db.session, index)
    if person is None and not any(payroll.values()):
        raise click.ClickException("Intyga holds nothing about this personnummer.")
    return person, index, payroll


@person_group.command("export")
@click.argument("personnummer")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="file to write (default: standard output)",
)
@with_appcontext
def export_command(personnummer: str, output: Path | None) -> None:
    """Write everything held about the person as JSON."""
    person, _index, payroll = _person(personnummer)
    now = utcnow()
    document: dict[str, Any] = {"exported_at": now.isoformat(), "person": None}
    if person is not None:
        document = export_person(db.session, person, now)
        document["logins"] = [
            {
                "started_at": login.started_at.isoformat(),
                "last_seen_at": login.last_seen_at.isoformat(),
            }
            for login in logins().active(person.id, now)
        ]
    document.update(payroll)
    record_audit(
        db.session,
        action="person.exported",
        actor=OPERATOR,
        data={
            "person_id": str(person.id) if person is not None else None,
            "certificates": len(document.get("certificates", [])),
            **{name: len(rows) for name, rows in payroll.items()},
        },
    )
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        output.chmod(0o600)
        click.echo(f"written to {output}", err=True)
    db.commit()


@person_group.command("erase")
@click.argument("personnummer")
@click.option("--yes", is_flag=True, help="erase without asking")
@with_appcontext
def erase_command(personnummer: str, yes: bool) -> None:
    """Erase what the law allows and say what stays, and why."""
    person, index, _payroll = _person(personnummer)
    if not yes:
        masked = mask_personnummer(validate_personnummer(personnummer))
        click.confirm(f"Erase {masked}?", abort=True)
    person_id = str(person.id) if person is not None else None
    result = Erasure()
    if person is not None:
        ended = logins().end_all(person.id)
        result = erase_person(db.session, person)
        result.removed["logins"] = ended
    erase_payroll(db.session, index, result)
    record_audit(
        db.session,
        action="person.erased",
        actor=OPERATOR,
        data={"person_id": person_id, "removed": result.removed, "kept": result.kept},
    )
    db.commit()
    for name, count in sorted(result.removed.items()):
        click.echo(f"removed  {name}: {count}")
    for name, count in sorted(result.kept.items()):
        click.echo(f"kept     {name}: {count} ({KEPT_BECAUSE[name]})")
    if result.person_deleted:
        click.echo("The person is deleted entirely: nothing else refers to them.")
