"""Employer portal: invitations of colleagues (accepted at their next eID login) and the role
(employer or employee) a person last chose to come as.

Revision ID: 5d7ee24eb174
Revises: dc64e2343b16
Create Date: 2026-11-23 19:36:20.293079
"""

from alembic import op
import sqlalchemy as sa


revision = '5d7ee24eb174'
down_revision = 'dc64e2343b16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('personnummer', sa.Text(), nullable=False),
    sa.Column('personnummer_index', sa.String(length=64), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('invited_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'certifier')", name=op.f('ck_invitation_role_known')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_invitation_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['person.id'], name=op.f('fk_invitation_invited_by_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_personnummer_index'), ['personnummer_index'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('portal_role', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            'portal_role_known', "portal_role IS NULL OR portal_role IN ('employer', 'employee')"
        )



def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_person_portal_role_known'), type_='check')
        batch_op.drop_column('portal_role')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_personnummer_index'))
        batch_op.drop_index(batch_op.f('ix_invitation_company_id'))

    op.drop_table('invitation')
