"""The employment-number register (a company's payroll ids and the people they stand for), and
import jobs that keep warnings about the records they stored beside their problems.

Revision ID: a4c7e2f91b36
Revises: a4c8e2f17b90
Create Date: 2026-12-05 08:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = "a4c7e2f91b36"
down_revision = "a4c8e2f17b90"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "employment_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("personnummer", sa.Text(), nullable=False),
        sa.Column("personnummer_index", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "source IN ('file', 'portal')", name=op.f("ck_employment_number_source_known")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_employment_number_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment_number")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_employment_number_company_id_number")
        ),
    )
    with op.batch_alter_table("employment_number") as batch:
        batch.create_index(
            "ix_employment_number_person", ["company_id", "personnummer_index"], unique=False
        )
    with op.batch_alter_table("import_job") as batch:
        batch.add_column(
            sa.Column("warning_count", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("import_problem") as batch:
        batch.add_column(
            sa.Column("severity", sa.String(length=7), server_default="error", nullable=False)
        )
        batch.create_check_constraint(
            op.f("ck_import_problem_severity_known"), "severity IN ('error', 'warning')"
        )


def downgrade():
    with op.batch_alter_table("import_problem") as batch:
        batch.drop_constraint(op.f("ck_import_problem_severity_known"), type_="check")
        batch.drop_column("severity")
    with op.batch_alter_table("import_job") as batch:
        batch.drop_column("warning_count")
    with op.batch_alter_table("employment_number") as batch:
        batch.drop_index("ix_employment_number_person")
    op.drop_table("employment_number")
