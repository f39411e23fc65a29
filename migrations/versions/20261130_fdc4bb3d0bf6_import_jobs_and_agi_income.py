"""Import jobs (their file in encrypted chunks, progress, problems, and which certificate each
payroll record became) and AGI income per person and month.

Revision ID: fdc4bb3d0bf6
Revises: a7c3e51d9b02
Create Date: 2026-11-30 05:01:46.190373
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "fdc4bb3d0bf6"
down_revision = "a7c3e51d9b02"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_job",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("records_read", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("problem_count", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by_key_id", sa.Uuid(), nullable=True),
        sa.Column("created_by_person_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_import_job_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_import_job_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_key_id"],
            ["api_key.id"],
            name=op.f("fk_import_job_created_by_key_id_api_key"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_person_id"],
            ["person.id"],
            name=op.f("fk_import_job_created_by_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.create_index(
            "ix_import_job_company_created", ["company_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_import_job_state", ["state"], unique=False)

    op.create_table(
        "imported_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("record_key", sa.String(length=64), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_imported_record_certificate_id_certificate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_imported_record_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_record")),
        sa.UniqueConstraint(
            "company_id", "record_key", name=op.f("uq_imported_record_company_id_record_key")
        ),
    )
    with op.batch_alter_table("imported_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_imported_record_certificate_id"), ["certificate_id"], unique=False
        )

    op.create_table(
        "agi_income",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=True),
        sa.Column("personnummer", sa.Text(), nullable=False),
        sa.Column("personnummer_index", sa.String(length=64), nullable=False),
        sa.Column("employer", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("cash_pay", sa.BigInteger(), nullable=False),
        sa.Column("benefits", sa.BigInteger(), nullable=False),
        sa.Column("specification_number", sa.BigInteger(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("record_key", sa.String(length=64), nullable=False),
        sa.Column("source_pointer", sa.String(length=300), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("import_job_id", sa.Uuid(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_agi_income_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_job_id"],
            ["import_job.id"],
            name=op.f("fk_agi_income_import_job_id_import_job"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agi_income")),
        sa.UniqueConstraint(
            "company_id", "record_key", name=op.f("uq_agi_income_company_id_record_key")
        ),
    )
    with op.batch_alter_table("agi_income", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agi_income_import_job_id"), ["import_job_id"], unique=False
        )
        batch_op.create_index(
            "ix_agi_income_person_period", ["personnummer_index", "year", "month"], unique=False
        )

    op.create_table(
        "import_chunk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["import_job.id"],
            name=op.f("fk_import_chunk_job_id_import_job"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_chunk")),
        sa.UniqueConstraint("job_id", "seq", name=op.f("uq_import_chunk_job_id_seq")),
    )
    op.create_table(
        "import_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column(
            "params",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("pointer", sa.String(length=300), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["import_job.id"],
            name=op.f("fk_import_problem_job_id_import_job"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_problem")),
        sa.UniqueConstraint("job_id", "seq", name=op.f("uq_import_problem_job_id_seq")),
    )


def downgrade():
    op.drop_table("import_problem")
    op.drop_table("import_chunk")
    with op.batch_alter_table("agi_income", schema=None) as batch_op:
        batch_op.drop_index("ix_agi_income_person_period")
        batch_op.drop_index(batch_op.f("ix_agi_income_import_job_id"))

    op.drop_table("agi_income")
    with op.batch_alter_table("imported_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imported_record_certificate_id"))

    op.drop_table("imported_record")
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.drop_index("ix_import_job_state")
        batch_op.drop_index("ix_import_job_company_created")

    op.drop_table("import_job")
