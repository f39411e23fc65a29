"""Retention of payroll data: when a file or an administrator last named each employment
number, and AGI income findable by month, for the retention job (app/dataprotection/retention.py).

Revision ID: d8b2f6a4c1e9
Revises: c3f9a1d5e7b2
Create Date: 2026-12-05 12:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "d8b2f6a4c1e9"
down_revision = "c3f9a1d5e7b2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employment_number") as batch:
        batch.add_column(
            sa.Column(
                "seen_at", sa.DateTime(timezone=True), nullable=True, server_default=sa.func.now()
            )
        )
    # Numbers known before this revision count as seen when it ran.
    op.execute("UPDATE employment_number SET seen_at = updated_at")
    with op.batch_alter_table("employment_number") as batch:
        batch.alter_column("seen_at", nullable=False, server_default=None)
        batch.create_index("ix_employment_number_seen_at", ["seen_at"])
    op.create_index("ix_agi_income_period", "agi_income", ["year", "month"])


def downgrade():
    op.drop_index("ix_agi_income_period", table_name="agi_income")
    with op.batch_alter_table("employment_number") as batch:
        batch.drop_index("ix_employment_number_seen_at")
        batch.drop_column("seen_at")
