"""Command-line entry points; each command is one transaction, committed at the end."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app import seal
from app.akassa import service as akassa_service
from app.akassa.cli import akassa_staff_group
from app.api.docs import openapi_write_command
from app.apikeys.cli import api_key_group
from app.audit.cli import audit_anchor_command, audit_verify_command
from app.dataprotection.cli import person_group
from app.eid.provider import settings as eid_settings
from app.extensions import db
from app.migrate import LazyMigrationGroup
from app.outbox.cli import outbox_group
from app.privacy.service import rebuild_blind_indexes, rotate_keys
from app.verification import service as verification
from app.webhooks.receiver import webhook_listen_command
from app.worker.cli import archive_timestamps_command, worker_command
from signing.bankid.testserver.ca import CertificateAuthority


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo data (once) and print who is who."""
    # Only this command needs the demo (and, through its sealed documents, the PDF machinery).
    from app.demo import data as demo_data  # noqa: PLC0415
    from app.demo import signatures as demo_signatures  # noqa: PLC0415

    trust = eid_settings()
    issuer = demo_signatures.issuer(
        Path(current_app.config["BANKID_TEST_STATE"]),
        trusted_roots=trust.trusted_roots,
        service_name=trust.service_name,
        seal=seal.current(),
    )
    # The demo seals with timestamps and OCSP answers over HTTP, before the app serves them.
    with seal.test_pki_reachable():
        cast = demo_data.load(db.session, issuer=issuer)
    db.commit()
    if current_app.config["BANKID_TEST_SERVER"]:
        # Test BankIDs in the cast's own names, as one orders them in BankID's test environment.
        ca = CertificateAuthority(Path(current_app.config["BANKID_TEST_STATE"]))
        for member in cast:
            ca.user(member.person.personnummer, member.person.first_name, member.person.last_name)
    click.echo(f"{'role':<10} {'name':<22} {'personnummer':<14} company")
    for member in cast:
        pnr = member.person.personnummer
        click.echo(
            f"{member.role:<10} {member.person.full_name:<22} "
            f"{pnr[:8]}-{pnr[8:]:<5} {member.company or '-'}"
        )


@click.command("reference-data")
@with_appcontext
def reference_data_command() -> None:
    """Load or refresh the a-kassor from app/akassa/data/akassor.json."""
    added, updated = akassa_service.load_reference_data(db.session)
    db.commit()
    click.echo(f"a-kassor: {added} added, {updated} updated")


@click.command("rotate-keys")
@with_appcontext
def rotate_keys_command() -> None:
    """Re-encrypt all personal data under the first key in PII_KEYS (after adding a new key)."""
    rewritten = rotate_keys(db.session)
    db.commit()
    click.echo(f"re-encrypted {rewritten} values under the current key")


@click.command("rebuild-blind-indexes")
@with_appcontext
def rebuild_blind_indexes_command() -> None:
    """Recompute every blind index under BLIND_INDEX_KEY (after changing it, with the app
    servers and workers stopped: until this ends, lookups by personnummer miss)."""
    rebuilt = rebuild_blind_indexes(db.session)
    db.commit()
    for table, count in rebuilt.items():
        click.echo(f"{table}: {count} rows")
    click.echo(f"rebuilt {sum(rebuilt.values())} blind indexes under the current key")


@click.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default="sv",
    show_default=True,
    help="Language of the explanation when the file fails.",
)
@with_appcontext
def verify_command(path: Path, lang: str) -> None:
    """Check a sealed certificate (XML or PDF): who signed what and when, or why it fails."""
    report = verification.verify(
        path.read_bytes(),
        seals=seal.trusted(),
        bankid_roots=eid_settings().trusted_roots,
        max_bytes=50 * 1024 * 1024,
    )
    for line in verification.describe(report, lang):
        click.echo(line)
    if not report.ok:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    commands = (
        demo_command,
        reference_data_command,
        audit_verify_command,
        audit_anchor_command,
        rotate_keys_command,
        rebuild_blind_indexes_command,
        verify_command,
        api_key_group,
        openapi_write_command,
        worker_command,
        archive_timestamps_command,
        outbox_group,
        webhook_listen_command,
        akassa_staff_group,
        person_group,
    )
    for command in commands:
        app.cli.add_command(command)
    app.cli.add_command(LazyMigrationGroup())
