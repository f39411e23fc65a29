"""Outbox messages and import jobs keep the id of the request that queued them, so the worker's
log lines for them carry it.

Revision ID: a4c8e2f17b90
Revises: e5d3f81a6c42
Create Date: 2026-12-05 07:40:00
"""

from alembic import op
import sqlalchemy as sa

revision = "a4c8e2f17b90"
down_revision = "e5d3f81a6c42"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("outbox_message", "import_job"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))


def downgrade():
    for table in ("outbox_message", "import_job"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("request_id")
