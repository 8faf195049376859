"""Redis keys that had to be deleted while Redis was unreachable, kept in PostgreSQL until it answers.

Ending a session or changing a cached row deletes a Redis key. When Redis cannot be reached the key
is noted in `stale_redis_keys` instead, and the first process to find Redis answering again deletes
every noted key: the relay looks every half second, and the process that noted keys looks again
before its next Redis read. An ended session or a stale cached row so outlives the outage by a
second at most, even when the process that noted it exited meanwhile (a recycled web worker).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError

from ..extensions import db, redis_store
from ..models import StaleRedisKey
from .redis_health import RedisUnavailable

BATCH = 1000
_noted_here = False


def note(keys: Iterable[str]) -> None:
    """Remember keys to delete once Redis answers. Runs on a connection of its own, so it may be
    called after a commit (the change that made the keys stale is then already durable)."""
    global _noted_here
    rows = [{"key": key} for key in set(keys)]
    if not rows:
        return
    with db.engine.begin() as conn:
        conn.execute(insert(StaleRedisKey).values(rows).on_conflict_do_nothing())
    _noted_here = True


def delete_noted() -> int:
    """Delete a batch of noted keys from Redis, then their notes; how many (0 while Redis is down).
    Several processes may run it at once: each takes rows the others have not locked."""
    if redis_store().is_open:
        return 0
    with db.engine.begin() as conn:
        keys = list(conn.scalars(select(StaleRedisKey.key).limit(BATCH).with_for_update(skip_locked=True)))
        if keys:
            redis_store().call(lambda r: r.delete(*keys))  # raises RedisUnavailable: the notes stay
            conn.execute(delete(StaleRedisKey).where(StaleRedisKey.key.in_(keys)))
    return len(keys)


def delete_noted_here() -> None:
    """Before a Redis read: delete the keys this process noted, once Redis is back."""
    global _noted_here
    if not _noted_here or redis_store().is_open:
        return
    try:
        if delete_noted() < BATCH:
            _noted_here = False
    except (RedisUnavailable, OperationalError):
        pass  # the relay deletes them
