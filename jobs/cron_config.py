"""Periodic jobs for the scheduler (`python -m jobs.cron`): declared as data, with stable names."""
from rq import cron

from jobs import maintenance

cron.register(maintenance.expire_sessions, "maintenance", interval=3600, name="expire-sessions")
cron.register(maintenance.prune_idempotency_keys, "maintenance", interval=3600, name="prune-idempotency-keys")
