"""A-kassa officers (staff of one fund each), and "akassa" as a role a person may come as.

Revision ID: a7c3e51d9b02
Revises: 575bf842f0ee
Create Date: 2026-11-30 05:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "a7c3e51d9b02"
down_revision = "575bf842f0ee"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "akassa_staff",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("akassa_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["akassa_id"], ["akassa.id"], name=op.f("fk_akassa_staff_akassa_id_akassa")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_akassa_staff_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_akassa_staff")),
        sa.UniqueConstraint("person_id", name=op.f("uq_akassa_staff_person_id")),
    )
    with op.batch_alter_table("akassa_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_akassa_staff_akassa_id"), ["akassa_id"], unique=False)

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_person_portal_role_known"), type_="check")
        batch_op.create_check_constraint(
            "portal_role_known",
            "portal_role IS NULL OR portal_role IN ('employer', 'employee', 'akassa')",
        )


def downgrade():
    op.execute(sa.text("UPDATE person SET portal_role = NULL WHERE portal_role = 'akassa'"))
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_person_portal_role_known"), type_="check")
        batch_op.create_check_constraint(
            "portal_role_known", "portal_role IS NULL OR portal_role IN ('employer', 'employee')"
        )

    with op.batch_alter_table("akassa_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_akassa_staff_akassa_id"))

    op.drop_table("akassa_staff")
