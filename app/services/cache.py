"""Cache-aside over Redis: namespaced entries per scope (a user or a filing), invalidated as a whole.

Each (namespace, scope) is one Redis hash, so a read is one HGET and invalidation one DEL. On a miss
only one process loads (a short lock); the others wait briefly for its value instead of stampeding
the database. When Redis is unavailable every read goes to the loader: slower, never wrong.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TypeVar

from ..extensions import redis_store
from . import metrics
from .redis_health import RedisUnavailable

T = TypeVar("T")
LOCK_MS = 5000
WAIT_SECONDS = 1.0


def _key(namespace: str, scope: object) -> str:
    return f"cache:{namespace}:{scope}"


def get_or_load(namespace: str, scope: object, field: str, ttl: int, loader: Callable[[], T]) -> T:
    """The cached JSON value of `field`, or loader() stored for `ttl` seconds."""
    key = _key(namespace, scope)
    flush_pending()
    try:
        raw = redis_store().call(lambda r: r.hget(key, field))
    except RedisUnavailable:
        metrics.CACHE.labels(namespace, "bypass").inc()
        return loader()
    if raw is not None:
        metrics.CACHE.labels(namespace, "hit").inc()
        return json.loads(raw)
    metrics.CACHE.labels(namespace, "miss").inc()
    lock = f"{key}:lock:{field}"
    try:
        leader = redis_store().call(lambda r: r.set(lock, 1, nx=True, px=LOCK_MS))
        if not leader:
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                time.sleep(0.02)
                raw = redis_store().call(lambda r: r.hget(key, field))
                if raw is not None:
                    return json.loads(raw)
    except RedisUnavailable:
        return loader()
    value = loader()
    try:
        def store(r):
            pipe = r.pipeline()
            pipe.hset(key, field, json.dumps(value, default=str))
            pipe.expire(key, ttl)
            if leader:
                pipe.delete(lock)
            pipe.execute()

        redis_store().call(store)
    except RedisUnavailable:
        pass
    return value


def invalidate(namespace: str, *scopes: object) -> None:
    """Drop every cached field of these scopes. While Redis is down there is nothing to drop, but an
    entry written before the outage could outlive it: such entries expire by their (short) TTL."""
    keys = [_key(namespace, s) for s in scopes]
    if not keys:
        return
    try:
        redis_store().call(lambda r: r.delete(*keys))
    except RedisUnavailable:
        _pending.update(keys)


_pending: set[str] = set()


def flush_pending() -> None:
    """Invalidations missed during an outage, applied once Redis answers again."""
    if not _pending or redis_store().is_open:
        return
    keys = list(_pending)
    try:
        redis_store().call(lambda r: r.delete(*keys))
        _pending.difference_update(keys)
    except RedisUnavailable:
        pass
