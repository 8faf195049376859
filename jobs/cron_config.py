"""Periodic jobs for `rq cron jobs/cron_config.py`: declared as data, with stable names."""
from rq import cron

from jobs import maintenance

cron.register(maintenance.expire_sessions, "maintenance", interval=3600, name="expire-sessions")
cron.register(maintenance.prune_idempotency_keys, "maintenance", interval=3600, name="prune-idempotency-keys")
