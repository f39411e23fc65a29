"""The employer's list in its order for keyset paging: a company's certificates by last change
(every tab together) and per state by last change, each ending in the id that breaks ties, so a
page is an index seek to the previous page's last entry (see bench/pages.py).

Revision ID: e5d3f81a6c42
Revises: b7e2c4d1a9f3
Create Date: 2026-12-04 17:20:00.000000
"""

from alembic import op


revision = "e5d3f81a6c42"
down_revision = "b7e2c4d1a9f3"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_certificate_company_state", table_name="certificate")
    op.create_index(
        "ix_certificate_company_state",
        "certificate",
        ["company_id", "state", "updated_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_certificate_company_updated",
        "certificate",
        ["company_id", "updated_at", "id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_certificate_company_updated", table_name="certificate")
    op.drop_index("ix_certificate_company_state", table_name="certificate")
    op.create_index(
        "ix_certificate_company_state",
        "certificate",
        ["company_id", "state", "updated_at"],
        unique=False,
    )
