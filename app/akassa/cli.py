"""`flask akassa-staff add|list|remove`: an administrator sets up a fund's officers.

Officers log in with BankID like everyone; being listed here is what lets them choose the
a-kassa role and see the certificates approved to their fund.
"""

from __future__ import annotations

import difflib

import click
from flask.cli import with_appcontext

from app.akassa import service
from app.akassa.models import Akassa
from app.audit.service import Actor
from app.errors import Conflict, NotFound
from app.extensions import db
from schemas import validate_personnummer

CLI_ACTOR = Actor(label="cli")


@click.group("akassa-staff")
def akassa_staff_group() -> None:
    """Add, list and remove the officers of an a-kassa."""


def _personnummer(value: str) -> str:
    try:
        return validate_personnummer(value)
    except ValueError as error:
        raise click.BadParameter(f"not a personnummer: {value}") from error


def _unknown_fund(code: str) -> click.ClickException:
    """An unknown code is answered with the codes there are, closest first."""
    funds = service.active_funds(db.session)
    codes = sorted(fund.code for fund in funds)
    close = difflib.get_close_matches(code.lower(), codes, n=3, cutoff=0.6)
    listing = "\n".join(f"  {fund.code:<24} {fund.name}" for fund in sorted(funds, key=_code))
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return click.ClickException(
        f"no active a-kassa with the code {code!r}.{hint} Valid codes:\n{listing}"
    )


def _code(fund: Akassa) -> str:
    return fund.code


@akassa_staff_group.command("add")
@click.argument("personnummer")
@click.argument("akassa_code")
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@click.option("--email", default=None)
@with_appcontext
def add_command(
    personnummer: str, akassa_code: str, first_name: str, last_name: str, email: str | None
) -> None:
    """Make PERSONNUMMER an officer of the fund AKASSA_CODE (see app/akassa/data/akassor.json)."""
    try:
        staff = service.add_staff(
            db.session,
            personnummer=_personnummer(personnummer),
            akassa_code=akassa_code,
            first_name=first_name,
            last_name=last_name,
            email=email,
            actor=CLI_ACTOR,
        )
    except NotFound as error:
        raise _unknown_fund(akassa_code) from error
    except Conflict as error:
        raise click.ClickException(
            f"already staff of {error.details['akassa']}: remove them there first"
        ) from error
    db.commit()
    click.echo(
        f"{staff.person.full_name} ({staff.person.masked_personnummer}) "
        f"is now staff of {staff.akassa.name} ({staff.akassa.code})"
    )


@akassa_staff_group.command("list")
@click.argument("akassa_code", required=False)
@with_appcontext
def list_command(akassa_code: str | None) -> None:
    """Every officer (or only those of AKASSA_CODE): fund, masked personnummer, name, since."""
    try:
        found = service.list_staff(db.session, akassa_code)
    except NotFound as error:
        raise _unknown_fund(akassa_code or "") from error
    for staff in found:
        click.echo(
            f"{staff.akassa.code:<24} {staff.person.masked_personnummer:<13} "
            f"{staff.person.full_name:<30} since {staff.created_at:%Y-%m-%d}"
        )


@akassa_staff_group.command("remove")
@click.argument("personnummer")
@with_appcontext
def remove_command(personnummer: str) -> None:
    """End PERSONNUMMER's post at their fund."""
    try:
        staff = service.remove_staff(
            db.session, personnummer=_personnummer(personnummer), actor=CLI_ACTOR
        )
    except NotFound as error:
        raise click.ClickException("that person is not staff of any a-kassa") from error
    db.commit()
    click.echo(f"{staff.person.full_name} is no longer staff of {staff.akassa.name}")
