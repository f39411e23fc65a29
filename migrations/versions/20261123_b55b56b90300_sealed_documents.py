"""Sealed documents: each signed version as the service sealed it, XML and PDF, encrypted.

Revision ID: b55b56b90300
Revises: 3befcbb83f93
Create Date: 2026-11-23 18:56:26.268538
"""

from alembic import op
import sqlalchemy as sa


revision = 'b55b56b90300'
down_revision = '3befcbb83f93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sealed_document',
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=8), nullable=False),
    sa.Column('xml', sa.LargeBinary(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("stage IN ('signed', 'approved')", name=op.f('ck_sealed_document_stage_known')),
    sa.ForeignKeyConstraint(['version_id'], ['certificate_version.id'], name=op.f('fk_sealed_document_version_id_certificate_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_document')),
    sa.UniqueConstraint('version_id', 'stage', name=op.f('uq_sealed_document_version_id_stage'))
    )


def downgrade():
    op.drop_table('sealed_document')
