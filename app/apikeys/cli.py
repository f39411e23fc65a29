"""`flask api-key create|list|revoke`: keys for payroll systems, one transaction per command."""

from __future__ import annotations

import uuid

import click
from flask.cli import with_appcontext

from app.apikeys import service
from app.audit.service import Actor
from app.companies import service as companies
from app.companies.models import Company
from app.errors import DomainError
from app.extensions import db

CLI_ACTOR = Actor(label="cli")


@click.group("api-key")
def api_key_group() -> None:
    """Make, list and revoke a company's API keys."""


def _company(organisationsnummer: str) -> Company:
    try:
        company = companies.find_company(db.session, organisationsnummer)
    except ValueError as error:
        raise click.BadParameter(f"not an organisationsnummer: {organisationsnummer}") from error
    if company is None:
        raise click.ClickException(f"no company with organisationsnummer {organisationsnummer}")
    return company


@api_key_group.command("create")
@click.argument("organisationsnummer")
@click.argument("name")
@with_appcontext
def create_command(organisationsnummer: str, name: str) -> None:
    """Make a key for the company ORGNR, named NAME; the key is printed this once."""
    company = _company(organisationsnummer)
    try:
        made = service.create(db.session, company=company, name=name, actor=CLI_ACTOR)
    except DomainError as error:
        raise click.ClickException(error.code) from error
    db.commit()
    click.echo(f"API key {made.key.id} for {company.name} ({company.employer_id}), '{name}':")
    click.echo(made.plaintext)
    click.echo("Store it now: it is shown only this once.", err=True)


@api_key_group.command("list")
@click.argument("organisationsnummer")
@with_appcontext
def list_command(organisationsnummer: str) -> None:
    """The company's keys: id, start of the key, name, created, last used, revoked."""
    company = _company(organisationsnummer)
    for key in service.list_for_company(db.session, company.id):
        used = key.last_used_at.isoformat(timespec="minutes") if key.last_used_at else "never"
        revoked = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        click.echo(
            f"{key.id}  {key.display:<20} {key.name:<30} "
            f"created {key.created_at:%Y-%m-%d}  used {used}  {revoked}"
        )


@api_key_group.command("revoke")
@click.argument("organisationsnummer")
@click.argument("key_id", type=click.UUID)
@with_appcontext
def revoke_command(organisationsnummer: str, key_id: uuid.UUID) -> None:
    """Revoke the key KEY_ID of the company ORGNR."""
    company = _company(organisationsnummer)
    try:
        service.revoke(db.session, company_id=company.id, key_id=key_id, actor=CLI_ACTOR)
    except DomainError as error:
        raise click.ClickException(error.code) from error
    db.commit()
    click.echo(f"revoked {key_id}")
