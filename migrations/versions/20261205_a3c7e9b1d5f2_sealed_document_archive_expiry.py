"""Sealed PDFs at PAdES B-LTA say when the certificates under their last archive timestamp
expire, for the worker's renewal job (an index: it looks for the ones due every pass).

Revision ID: a3c7e9b1d5f2
Revises: a4c7e2f91b36
Create Date: 2026-12-05 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a3c7e9b1d5f2"
down_revision = "a4c7e2f91b36"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sealed_document") as batch:
        batch.add_column(sa.Column("archive_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(
            "ix_sealed_document_archive_expires_at", ["archive_expires_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("sealed_document") as batch:
        batch.drop_index("ix_sealed_document_archive_expires_at")
        batch.drop_column("archive_expires_at")
