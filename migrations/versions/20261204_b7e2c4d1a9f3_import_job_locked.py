"""Import jobs count the records left alone because their certificate was already signed.

Revision ID: b7e2c4d1a9f3
Revises: 6f1c0a9d2e77
Create Date: 2026-12-04 17:20:00
"""

from alembic import op
import sqlalchemy as sa

revision = "b7e2c4d1a9f3"
down_revision = "6f1c0a9d2e77"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_job") as batch:
        batch.add_column(sa.Column("locked", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("import_job") as batch:
        batch.drop_column("locked")
