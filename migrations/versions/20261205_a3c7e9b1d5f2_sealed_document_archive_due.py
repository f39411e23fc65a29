"""Sealed PDFs at PAdES B-LTA say when their next archive timestamp is due, for the worker's
renewal job (an index, since it looks for the due ones every pass).

Revision ID: a3c7e9b1d5f2
Revises: e5d3f81a6c42
Create Date: 2026-12-05 07:30:00
"""

from alembic import op
import sqlalchemy as sa

revision = "a3c7e9b1d5f2"
down_revision = "e5d3f81a6c42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sealed_document") as batch:
        batch.add_column(sa.Column("archive_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_sealed_document_archive_due_at", ["archive_due_at"], unique=False)


def downgrade():
    with op.batch_alter_table("sealed_document") as batch:
        batch.drop_index("ix_sealed_document_archive_due_at")
        batch.drop_column("archive_due_at")
