"""Certificate requests: an employee asks a company for a certificate over a period; the company
fulfils it with a draft (linked) or declines with a reason.

Revision ID: 575bf842f0ee
Revises: cceeaaa9d41b
Create Date: 2026-11-30 04:59:52.780399
"""

from alembic import op
import sqlalchemy as sa


revision = "575bf842f0ee"
down_revision = "cceeaaa9d41b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificate_request",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("fulfilled_certificate_id", sa.Uuid(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'fulfilled', 'declined')",
            name=op.f("ck_certificate_request_state_known"),
        ),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_certificate_request_period_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_certificate_request_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["fulfilled_certificate_id"],
            ["certificate.id"],
            name=op.f("fk_certificate_request_fulfilled_certificate_id_certificate"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_certificate_request_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_request")),
    )
    with op.batch_alter_table("certificate_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_certificate_request_company_state",
            ["company_id", "state", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_certificate_request_person_id"), ["person_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("certificate_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_request_person_id"))
        batch_op.drop_index("ix_certificate_request_company_state")

    op.drop_table("certificate_request")
