"""The certificate domain: people, companies, a-kassor, certificates, audit trail, outbox.

Revision ID: df7d15428147
Revises: 
Create Date: 2026-11-23 18:41:43.373699
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'df7d15428147'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('akassa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_akassa')),
    sa.UniqueConstraint('code', name=op.f('uq_akassa_code'))
    )
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    op.create_table('audit_event',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_label', sa.String(length=80), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('certificate_id', sa.Uuid(), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_event_hash'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_company_id'), ['company_id'], unique=False)

    op.create_table('company',
    sa.Column('organisationsnummer', sa.Text(), nullable=False),
    sa.Column('organisationsnummer_index', sa.String(length=64), nullable=False),
    sa.Column('employer_id', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('street', sa.String(length=100), nullable=True),
    sa.Column('care_of', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=5), nullable=True),
    sa.Column('city', sa.String(length=50), nullable=True),
    sa.Column('notification_email', sa.String(length=254), nullable=True),
    sa.Column('notify_on_approval', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company')),
    sa.UniqueConstraint('employer_id', name=op.f('uq_company_employer_id')),
    sa.UniqueConstraint('organisationsnummer_index', name=op.f('uq_company_organisationsnummer_index'))
    )
    op.create_table('person',
    sa.Column('personnummer', sa.Text(), nullable=False),
    sa.Column('personnummer_index', sa.String(length=64), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('notify_by', sa.String(length=5), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('sv', 'en')", name=op.f('ck_person_language_known')),
    sa.CheckConstraint("notify_by IN ('email', 'sms', 'both', 'none')", name=op.f('ck_person_notify_by_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('personnummer_index', name=op.f('uq_person_personnummer_index'))
    )
    op.create_table('akassa_membership',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('akassa_id', sa.Integer(), nullable=False),
    sa.Column('member_since', sa.Date(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['akassa_id'], ['akassa.id'], name=op.f('fk_akassa_membership_akassa_id_akassa')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_akassa_membership_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_akassa_membership')),
    sa.UniqueConstraint('person_id', name=op.f('uq_akassa_membership_person_id'))
    )
    with op.batch_alter_table('akassa_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_akassa_membership_akassa_id'), ['akassa_id'], unique=False)

    op.create_table('certificate',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('employee_id', sa.Uuid(), nullable=False),
    sa.Column('variant', sa.String(length=12), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('akassa_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'signed', 'sent', 'completion_requested', 'approved', 'expired', 'withdrawn')", name=op.f('ck_certificate_state_known')),
    sa.CheckConstraint("variant IN ('full', 'income_2025')", name=op.f('ck_certificate_variant_known')),
    sa.ForeignKeyConstraint(['akassa_id'], ['akassa.id'], name=op.f('fk_certificate_akassa_id_akassa')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_certificate_company_id_company')),
    sa.ForeignKeyConstraint(['employee_id'], ['person.id'], name=op.f('fk_certificate_employee_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_akassa_approved', ['akassa_id', 'approved_at'], unique=False)
        batch_op.create_index('ix_certificate_company_state', ['company_id', 'state', 'updated_at'], unique=False)
        batch_op.create_index('ix_certificate_employee_delivered', ['employee_id', 'delivered_at'], unique=False)

    op.create_table('membership',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'certifier')", name=op.f('ck_membership_role_known')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_membership_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_membership_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('company_id', 'person_id', name=op.f('uq_membership_company_id_person_id'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_person_id'), ['person_id'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('recipient_person_id', sa.Uuid(), nullable=True),
    sa.Column('recipient_company_id', sa.Uuid(), nullable=True),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('email', 'sms', 'webhook')", name=op.f('ck_outbox_message_channel_known')),
    sa.CheckConstraint("status IN ('pending', 'sent', 'dead')", name=op.f('ck_outbox_message_status_known')),
    sa.ForeignKeyConstraint(['recipient_company_id'], ['company.id'], name=op.f('fk_outbox_message_recipient_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_person_id'], ['person.id'], name=op.f('fk_outbox_message_recipient_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_message_idempotency_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('certificate_version',
    sa.Column('certificate_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_by_label', sa.String(length=80), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_certificate_version_certificate_id_certificate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_certificate_version_created_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_version')),
    sa.UniqueConstraint('certificate_id', 'number', name=op.f('uq_certificate_version_certificate_id_number'))
    )
    op.create_table('completion_message',
    sa.Column('certificate_id', sa.Uuid(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('author_role', sa.String(length=8), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("author_role IN ('employee', 'employer')", name=op.f('ck_completion_message_author_role_known')),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_completion_message_author_id_person')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_completion_message_certificate_id_certificate'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completion_message'))
    )
    with op.batch_alter_table('completion_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completion_message_certificate_id'), ['certificate_id'], unique=False)

    op.create_table('signature',
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('document_hash', sa.String(length=64), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("role IN ('employer', 'employee')", name=op.f('ck_signature_role_known')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_signature_person_id_person')),
    sa.ForeignKeyConstraint(['version_id'], ['certificate_version.id'], name=op.f('fk_signature_version_id_certificate_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature')),
    sa.UniqueConstraint('version_id', 'role', name=op.f('uq_signature_version_id_role'))
    )


def downgrade():
    op.drop_table('signature')
    with op.batch_alter_table('completion_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completion_message_certificate_id'))

    op.drop_table('completion_message')
    op.drop_table('certificate_version')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')

    op.drop_table('outbox_message')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_person_id'))

    op.drop_table('membership')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_employee_delivered')
        batch_op.drop_index('ix_certificate_company_state')
        batch_op.drop_index('ix_certificate_akassa_approved')

    op.drop_table('certificate')
    with op.batch_alter_table('akassa_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_akassa_membership_akassa_id'))

    op.drop_table('akassa_membership')
    op.drop_table('person')
    op.drop_table('company')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_company_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_certificate_id'))

    op.drop_table('audit_event')
    op.drop_table('audit_chain_head')
    op.drop_table('akassa')
