"""Periodic housekeeping that the scheduler (`python -m jobs.cron`) puts on the `maintenance` queue,
run in the app context the worker built at start. The heavier sweeps are the cron script scripts/cleanup."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from app.extensions import db
from app.models import IdempotencyKey, UserSession

IDEMPOTENCY_HOURS = 24


def expire_sessions() -> int:
    deleted = db.session.execute(delete(UserSession).where(UserSession.expires_at < datetime.now(UTC))).rowcount
    db.session.commit()
    return deleted


def prune_idempotency_keys() -> int:
    cutoff = datetime.now(UTC) - timedelta(hours=IDEMPOTENCY_HOURS)
    deleted = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)).rowcount
    db.session.commit()
    return deleted

