"""Logins the server can end: one row per login in one browser (when REDIS_URL is not set).

Cookies from before this revision name no login and log nobody in: everyone logs in once more.

Revision ID: c3a91f0d5e27
Revises: 8325289eed4b
Create Date: 2026-12-04 17:30:00.000000
"""

from alembic import op
import sqlalchemy as sa



revision = "c3a91f0d5e27"
down_revision = "8325289eed4b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_login_session_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_login_session")),
    )
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_session_person_id"), ["person_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_session_person_id"))
    op.drop_table("login_session")
