"""Which reminder each sent certificate last got, so that the reminder job reads only those newly
due, and the fund's list index in list order (approved_at, id) for keyset paging (see
bench/inbox.py).

Existing certificates start at 0: the first pass after the upgrade finds those past day 14 once
more, sends nothing twice (the outbox keys) and records them.

Revision ID: 8325289eed4b
Revises: 4e913e56d269
Create Date: 2026-11-30 05:53:16.421596
"""

from alembic import op
import sqlalchemy as sa


revision = "8325289eed4b"
down_revision = "4e913e56d269"
branch_labels = None
depends_on = None

APPROVED = sa.text("state = 'approved'")
SENT = sa.text("state = 'sent'")


def upgrade():
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminders_sent", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.drop_index("ix_certificate_akassa_approved")
        batch_op.create_index(
            "ix_certificate_akassa_approved",
            ["akassa_id", "approved_at", "id"],
            unique=False,
            postgresql_where=APPROVED,
            sqlite_where=APPROVED,
        )
        batch_op.create_index(
            "ix_certificate_sent_reminders",
            ["reminders_sent", "delivered_at"],
            unique=False,
            postgresql_where=SENT,
            sqlite_where=SENT,
        )


def downgrade():
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index("ix_certificate_sent_reminders")
        batch_op.drop_index("ix_certificate_akassa_approved")
        batch_op.create_index(
            "ix_certificate_akassa_approved",
            ["akassa_id", "approved_at"],
            unique=False,
            postgresql_where=APPROVED,
            sqlite_where=APPROVED,
        )
        batch_op.drop_column("reminders_sent")
