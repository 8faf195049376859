"""Rules the models cannot express: append-only audit log, one refund account, one active job per key.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_logs is append-only';
        END $$;
    """)
    op.execute("""
        CREATE TRIGGER audit_logs_no_change BEFORE UPDATE OR DELETE ON audit_logs
        FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
    """)
    op.execute("CREATE UNIQUE INDEX uq_bank_accounts_one_refund ON bank_accounts (user_id) WHERE refund")
    op.execute("CREATE UNIQUE INDEX uq_jobs_active_dedup ON jobs (dedup_key) WHERE status IN ('queued', 'started')")


def downgrade() -> None:
    op.execute("DROP INDEX uq_jobs_active_dedup")
    op.execute("DROP INDEX uq_bank_accounts_one_refund")
    op.execute("DROP TRIGGER audit_logs_no_change ON audit_logs")
    op.execute("DROP FUNCTION audit_logs_append_only()")
