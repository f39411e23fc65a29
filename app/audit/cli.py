"""`flask audit-verify` proves the trail; `flask audit-anchor` links and seals the head now."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app import seal
from app.audit import anchors
from app.audit.chain import Linker
from app.audit.service import verify_chain
from app.extensions import db


def build_linker(app: Flask) -> Linker:
    """The worker's audit step, configured from the app."""
    return Linker(
        sessions=db.new_session,
        seal=seal.current(),
        anchor_dir=Path(app.config["AUDIT_ANCHOR_DIR"]),
        anchor_every=timedelta(seconds=float(app.config["AUDIT_ANCHOR_INTERVAL"])),
    )


@click.command("audit-verify")
@with_appcontext
def audit_verify_command() -> None:
    """Prove every audit event and check the chain against the sealed anchors; exit 1 if not."""
    directory = Path(current_app.config["AUDIT_ANCHOR_DIR"])
    try:
        sealed = anchors.load(directory, [seal.current().certificate])
    except anchors.AnchorInvalidError as exc:
        click.echo(f"audit anchor REFUSED: {exc}", err=True)
        raise SystemExit(1) from exc
    report = verify_chain(db.session, anchors=sealed)
    if report.ok:
        click.echo(
            f"audit chain intact: {report.checked} events verified in the chain, "
            f"{report.pending} awaiting the linker (each proven by its MAC), "
            f"{report.anchors} anchors matched"
        )
        return
    click.echo(
        f"audit chain BROKEN at position {report.broken_at}: {report.reason} "
        f"({report.checked} events verified before it)",
        err=True,
    )
    raise SystemExit(1)


@click.command("audit-anchor")
@with_appcontext
def audit_anchor_command() -> None:
    """Link every pending event and seal the head into AUDIT_ANCHOR_DIR now (cron, backups)."""
    linker = build_linker(current_app)
    report = linker.run()
    made = linker.anchor()
    click.echo(f"linked {report['audit_events_linked']} events")
    click.echo(
        f"anchor sealed: {made.path}" if made else "the newest anchor already holds the head"
    )
