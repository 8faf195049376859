"""Challans of advance and self-assessment tax, listed in the ITR's Schedule IT.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tax_challans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("bsr_code", sa.String(length=7), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("serial_no", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["filing_id"], ["filings.id"], name=op.f("fk_tax_challans_filing_id_filings"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_tax_challans_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_challans")),
    )
    op.create_index(op.f("ix_tax_challans_filing_id"), "tax_challans", ["filing_id"], unique=False)
    op.create_index(op.f("ix_tax_challans_user_id"), "tax_challans", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_tax_challans_user_id"), table_name="tax_challans")
    op.drop_index(op.f("ix_tax_challans_filing_id"), table_name="tax_challans")
    op.drop_table("tax_challans")
