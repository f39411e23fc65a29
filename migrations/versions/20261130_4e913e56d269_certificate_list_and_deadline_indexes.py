"""Certificate indexes for the a-kassa list and the deadline jobs: the fund's index holds approved
rows only (its list counts them from the index alone), and the jobs find sent certificates by
deadline and drafts by last change without reading the whole table (see bench/inbox.py).

Revision ID: 4e913e56d269
Revises: fdc4bb3d0bf6
Create Date: 2026-11-30 05:22:48.517870
"""

from alembic import op
import sqlalchemy as sa


revision = "4e913e56d269"
down_revision = "fdc4bb3d0bf6"
branch_labels = None
depends_on = None

APPROVED = sa.text("state = 'approved'")


def upgrade():
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index("ix_certificate_akassa_approved")
        batch_op.create_index(
            "ix_certificate_akassa_approved",
            ["akassa_id", "approved_at"],
            unique=False,
            postgresql_where=APPROVED,
            sqlite_where=APPROVED,
        )
        batch_op.create_index(
            "ix_certificate_state_deadline", ["state", "answer_deadline"], unique=False
        )
        batch_op.create_index("ix_certificate_state_updated", ["state", "updated_at"], unique=False)


def downgrade():
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index("ix_certificate_state_updated")
        batch_op.drop_index("ix_certificate_state_deadline")
        batch_op.drop_index("ix_certificate_akassa_approved")
        batch_op.create_index(
            "ix_certificate_akassa_approved", ["akassa_id", "approved_at"], unique=False
        )
