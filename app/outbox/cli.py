"""`flask outbox dead|retry`: the operators' view of messages given up after the last try,
for every recipient (company admins see their own in the portal)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.errors import NotFound
from app.extensions import db
from app.outbox import service


@click.group("outbox")
def outbox_group() -> None:
    """Look at and retry messages the worker gave up on."""


@outbox_group.command("dead")
@with_appcontext
def dead_command() -> None:
    """List dead letters, newest first: id, channel, template, tries, last error."""
    letters = service.dead_letters(db.session, None)
    for m in letters:
        click.echo(
            f"{m.id}\t{m.created_at:%Y-%m-%d %H:%M}\t{m.channel}\t{m.template}\t"
            f"{m.attempts}\t{m.last_error or ''}"
        )
    if not letters:
        click.echo("no dead letters")


@outbox_group.command("retry")
@click.argument("message_id", type=int)
@with_appcontext
def retry_command(message_id: int) -> None:
    """Put dead letter MESSAGE_ID back in line; the worker sends it on its next pass."""
    try:
        service.retry_dead_letter(db.session, None, message_id)
    except NotFound:
        raise click.ClickException(f"no dead letter with id {message_id}") from None
    db.commit()
    click.echo(f"message {message_id} will be sent again")
