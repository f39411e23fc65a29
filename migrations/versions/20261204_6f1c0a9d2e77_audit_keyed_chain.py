"""The audit trail keyed (HMAC under AUDIT_KEY) and linked afterwards: events take a number from a
sequence and carry their own MAC; the worker chains them (`pos`, `link`) and seals the head.

Existing events are carried over only if their unkeyed SHA-256 chain still holds (gap-free, every
link, and the old head): the upgrade refuses otherwise, so a trail already broken is never
blessed with a key. Each is then given its MAC under the configured AUDIT_KEY, and the worker's
first pass links them, oldest first, into the keyed chain.

Revision ID: 6f1c0a9d2e77
Revises: c3a91f0d5e27
Create Date: 2026-12-04 17:10:00.000000
"""

import hashlib
import hmac
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op
from flask import current_app
from sqlalchemy.dialects import postgresql

revision = "6f1c0a9d2e77"
down_revision = "c3a91f0d5e27"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
PAGE = 1000
NUMBER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UNLINKED = sa.text("pos IS NULL")

events = sa.table(
    "audit_event",
    sa.column("seq", sa.Integer()),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("action", sa.String()),
    sa.column("actor_id", sa.Uuid()),
    sa.column("actor_label", sa.String()),
    sa.column("company_id", sa.Uuid()),
    sa.column("certificate_id", sa.Uuid()),
    sa.column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
    sa.column("mac", sa.String()),
)
old_head = sa.table(
    "audit_chain_head",
    sa.column("id", sa.Integer()),
    sa.column("seq", sa.Integer()),
    sa.column("last_hash", sa.String()),
)
CONTENT = (
    "seq",
    "occurred_at",
    "action",
    "actor_id",
    "actor_label",
    "company_id",
    "certificate_id",
    "data",
)


def _content(row):
    occurred_at = row.occurred_at
    occurred_at = (
        occurred_at.replace(tzinfo=UTC)
        if occurred_at.tzinfo is None
        else occurred_at.astimezone(UTC)
    )
    return {
        "seq": row.seq,
        "occurred_at": occurred_at.isoformat(),
        "action": row.action,
        "actor_id": str(row.actor_id) if row.actor_id else None,
        "actor_label": row.actor_label,
        "company_id": str(row.company_id) if row.company_id else None,
        "certificate_id": str(row.certificate_id) if row.certificate_id else None,
        "data": row.data,
    }


def _canonical(fields):
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _pages(bind, *columns):
    after = 0
    while True:
        rows = bind.execute(
            sa.select(*columns).where(events.c.seq > after).order_by(events.c.seq).limit(PAGE)
        ).all()
        if not rows:
            return
        yield rows
        after = rows[-1].seq


def _check_legacy_chain(bind):
    """The old chain, checked as the previous version's audit-verify did, before any change."""
    expected, count = GENESIS, 0
    content = [events.c[name] for name in CONTENT]
    for rows in _pages(bind, *content, events.c.prev_hash, events.c.hash):
        for row in rows:
            fields = _content(row) | {"prev_hash": row.prev_hash}
            legacy = hashlib.sha256(_canonical(fields)).hexdigest()
            if row.seq != count + 1 or row.prev_hash != expected or legacy != row.hash:
                msg = (
                    f"audit trail broken at event {count + 1} before this upgrade: "
                    "investigate with the previous version's `flask audit-verify` first"
                )
                raise RuntimeError(msg)
            expected, count = row.hash, row.seq
    head = bind.execute(sa.select(old_head.c.seq, old_head.c.last_hash)).first()
    head_at = (head.seq, head.last_hash) if head else (0, GENESIS)
    if head_at != (count, expected):
        raise RuntimeError("audit trail cut at its end before this upgrade (head does not match)")
    return count


def upgrade():
    bind = op.get_bind()
    count = _check_legacy_chain(bind)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    key = current_app.config["AUDIT_KEY"].encode() if count else b""
    for rows in _pages(bind, *(events.c[name] for name in CONTENT)):
        macs = [
            {
                "key": row.seq,
                "mac": hmac.new(
                    key, b"event:" + _canonical(_content(row)), hashlib.sha256
                ).hexdigest(),
            }
            for row in rows
        ]
        bind.execute(
            events.update()
            .where(events.c.seq == sa.bindparam("key"))
            .values(mac=sa.bindparam("mac")),
            macs,
        )

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_event_hash", type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.alter_column("mac", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("seq", existing_type=sa.Integer(), type_=NUMBER)
        batch_op.add_column(sa.Column("pos", NUMBER, nullable=True))
        batch_op.add_column(sa.Column("link", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_pos"), ["pos"])
        batch_op.create_index(
            "ix_audit_event_unlinked",
            ["seq"],
            unique=False,
            postgresql_where=UNLINKED,
            sqlite_where=UNLINKED,
        )
    op.drop_table("audit_chain_head")
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("pos", NUMBER, nullable=False),
        sa.Column("link", sa.String(length=64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    if bind.dialect.name == "postgresql":
        op.execute(sa.schema.CreateSequence(sa.Sequence("audit_event_seq")))
        op.execute("SELECT setval('audit_event_seq', (SELECT max(seq) FROM audit_event))")


def downgrade():
    """Back to the unkeyed chain, recomputed over the events in number order. Numbers the
    sequence skipped (rolled-back transactions) read as gaps to the old verifier."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(sa.schema.DropSequence(sa.Sequence("audit_event_seq")))
    op.drop_table("audit_chain_head")
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_unlinked")
        batch_op.drop_constraint(batch_op.f("uq_audit_event_pos"), type_="unique")
        batch_op.drop_column("link")
        batch_op.drop_column("pos")
        batch_op.alter_column("seq", existing_type=NUMBER, type_=sa.Integer())
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    content = [events.c[name] for name in CONTENT]
    previous, seq = GENESIS, 0
    for rows in _pages(bind, *content):
        hashes = []
        for row in rows:
            fields = _content(row) | {"prev_hash": previous}
            digest = hashlib.sha256(_canonical(fields)).hexdigest()
            hashes.append({"key": row.seq, "prev": previous, "digest": digest})
            previous, seq = digest, row.seq
        bind.execute(
            events.update()
            .where(events.c.seq == sa.bindparam("key"))
            .values(prev_hash=sa.bindparam("prev"), hash=sa.bindparam("digest")),
            hashes,
        )
    if seq:
        bind.execute(sa.insert(old_head).values(id=1, seq=seq, last_hash=previous))
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_hash"), ["hash"])
        batch_op.drop_column("mac")
