"""Redis keys to delete once Redis answers again, kept where every process can find them.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stale_redis_keys",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stale_redis_keys")),
    )


def downgrade() -> None:
    op.drop_table("stale_redis_keys")
