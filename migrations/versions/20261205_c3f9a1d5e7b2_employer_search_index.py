"""The employer's search by employee: a company's certificates per employee and state, so the
capped count per tab of a search reads this index alone (see app/employer/listing.py).

Revision ID: c3f9a1d5e7b2
Revises: a3c7e9b1d5f2
Create Date: 2026-12-05 08:50:00.000000
"""

from alembic import op

revision = "c3f9a1d5e7b2"
down_revision = "a3c7e9b1d5f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_certificate_company_employee",
        "certificate",
        ["company_id", "employee_id", "state"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_certificate_company_employee", table_name="certificate")
