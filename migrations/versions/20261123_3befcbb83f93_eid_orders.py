"""eID orders: BankID identifications and signatures, bound to the browser that started them.

Revision ID: 3befcbb83f93
Revises: df7d15428147
Create Date: 2026-11-23 18:51:40.242854
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '3befcbb83f93'
down_revision = 'df7d15428147'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('eid_order',
    sa.Column('order_ref', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=8), nullable=False),
    sa.Column('browser_key', sa.String(length=64), nullable=False),
    sa.Column('qr_start_token', sa.String(length=64), nullable=False),
    sa.Column('qr_start_secret', sa.Text(), nullable=False),
    sa.Column('auto_start_token', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('hint_code', sa.String(length=40), nullable=True),
    sa.Column('last_collected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('visible_data', sa.Text(), nullable=True),
    sa.Column('document_digest', sa.String(length=64), nullable=True),
    sa.Column('signer_id', sa.Uuid(), nullable=True),
    sa.Column('subject', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('completion', sa.Text(), nullable=True),
    sa.Column('verification', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consumed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("purpose IN ('login', 'sign')", name=op.f('ck_eid_order_purpose_known')),
    sa.CheckConstraint("status IN ('pending', 'complete', 'failed')", name=op.f('ck_eid_order_status_known')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_eid_order_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signer_id'], ['person.id'], name=op.f('fk_eid_order_signer_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eid_order')),
    sa.UniqueConstraint('order_ref', name=op.f('uq_eid_order_order_ref'))
    )


def downgrade():
    op.drop_table('eid_order')
