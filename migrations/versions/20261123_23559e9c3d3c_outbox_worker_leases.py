"""Outbox worker leases: who holds a message and until when, the "sending" state, and an index
for a company's dead letters.

Revision ID: 23559e9c3d3c
Revises: b55b56b90300
Create Date: 2026-11-23 19:35:48.529176
"""

from alembic import op
import sqlalchemy as sa


revision = '23559e9c3d3c'
down_revision = 'b55b56b90300'
branch_labels = None
depends_on = None

STATUS_KNOWN = "ck_outbox_message_status_known"


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_outbox_message_company_status', ['recipient_company_id', 'status'], unique=False)
        batch_op.drop_constraint(op.f(STATUS_KNOWN), type_="check")
        batch_op.create_check_constraint(
            op.f(STATUS_KNOWN), "status IN ('pending', 'sending', 'sent', 'dead')"
        )


def downgrade():
    op.execute("UPDATE outbox_message SET status = 'pending' WHERE status = 'sending'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(STATUS_KNOWN), type_="check")
        batch_op.create_check_constraint(
            op.f(STATUS_KNOWN), "status IN ('pending', 'sent', 'dead')"
        )
        batch_op.drop_index('ix_outbox_message_company_status')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
