"""Cache-aside over Redis: namespaced entries per scope (a user or a filing), one field per cached read.

Each (namespace, scope) is one Redis hash, so a read is one HGET and invalidation one HDEL of the
field that changed; a request that needs several fields of one scope reads the whole hash once
(`prefetch`). On a miss only one process loads (a short lock); the others wait briefly for its
value instead of stampeding the database. When Redis is unavailable every read goes to the loader:
slower, never wrong.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import redis_store
from . import metrics, stale_keys
from .redis_health import RedisUnavailable

T = TypeVar("T")
LOCK_MS = 5000
WAIT_SECONDS = 1.0
# Everything cached about one user (their row, dashboard summary, unread count) shares one hash, so
# a signed-in request reads it in one round trip.
USER = "user"


def _key(namespace: str, scope: object) -> str:
    return f"cache:{namespace}:{scope}"


def prefetch(namespace: str, scope: object) -> None:
    """Read every cached field of one scope in a single round trip; get_or_load calls on that scope
    later in the same request answer from this copy."""
    if not has_request_context():
        return
    key = _key(namespace, scope)
    stale_keys.delete_noted_here()
    try:
        fields = redis_store().call(lambda r: r.hgetall(key))
    except RedisUnavailable:
        return
    _prefetched()[key] = {name.decode(): value for name, value in fields.items()}


def get_or_load(namespace: str, scope: object, field: str, ttl: int, loader: Callable[[], T]) -> T:
    """The cached JSON value of `field` if written less than `ttl` seconds ago, else loader(), stored."""
    key = _key(namespace, scope)
    copy = _prefetched().get(key)
    if copy is not None:
        raw = copy.get(field)
    else:
        stale_keys.delete_noted_here()
        try:
            raw = redis_store().call(lambda r: r.hget(key, field))
        except RedisUnavailable:
            metrics.CACHE.labels(namespace, "bypass").inc()
            return loader()
    hit, value = _fresh(raw, ttl)
    if hit:
        metrics.CACHE.labels(namespace, "hit").inc()
        return value
    metrics.CACHE.labels(namespace, "miss").inc()
    lock = f"{key}:lock:{field}"
    try:
        leader = redis_store().call(lambda r: r.set(lock, 1, nx=True, px=LOCK_MS))
        if not leader:
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                time.sleep(0.02)
                hit, value = _fresh(redis_store().call(lambda r: r.hget(key, field)), ttl)
                if hit:
                    return value
    except RedisUnavailable:
        return loader()
    value = loader()
    encoded = json.dumps({"at": time.time(), "v": value}, default=str)
    try:
        def store(r):
            pipe = r.pipeline()
            pipe.hset(key, field, encoded)
            # The hash outlives its longest-lived field (a new hash has no expiry for GT to compare).
            pipe.expire(key, ttl, nx=True)
            pipe.expire(key, ttl, gt=True)
            if leader:
                pipe.delete(lock)
            pipe.execute()

        redis_store().call(store)
    except RedisUnavailable:
        return value
    if copy is not None:
        copy[field] = encoded.encode()
    return value


def _fresh(raw: bytes | None, ttl: int) -> tuple[bool, Any]:
    """(True, value) for an entry written less than `ttl` seconds ago. Every write to a hash renews
    its expiry, so each field carries its own write time: a field is never served past its TTL."""
    entry = json.loads(raw) if raw is not None else None
    if not isinstance(entry, dict) or not isinstance(entry.get("at"), int | float) or time.time() - entry["at"] >= ttl:
        return False, None
    return True, entry.get("v")


def forget(namespace: str, field: str, *scopes: object) -> None:
    """Drop one cached field of these scopes, keeping their others. While Redis is down an entry
    written before the outage could outlive it: the whole entry is dropped once Redis answers again."""
    keys = [_key(namespace, s) for s in scopes]
    for key in keys:
        _prefetched().get(key, {}).pop(field, None)
    try:
        def drop(r):
            pipe = r.pipeline(transaction=False)
            for key in keys:
                pipe.hdel(key, field)
            pipe.execute()

        redis_store().call(drop)
    except RedisUnavailable:
        stale_keys.note(keys)


def forget_everywhere(namespace: str, field: str) -> None:
    """Drop one field from every scope of a namespace (a change that concerns every user). It walks
    the namespace's keys, so it is for rare events; while Redis is down the TTL bounds what stays."""
    for key, copy in _prefetched().items():
        if key.startswith(_key(namespace, "")):
            copy.pop(field, None)
    try:
        def drop(r):
            pipe = r.pipeline(transaction=False)
            for key in r.scan_iter(match=_key(namespace, "*"), count=1000):
                if b":lock:" not in key:
                    pipe.hdel(key, field)
            pipe.execute()

        redis_store().call(drop)
    except RedisUnavailable:
        pass


def _prefetched() -> dict[str, dict[str, bytes]]:
    """This request's copies of whole scopes (empty outside a request: jobs read field by field)."""
    if not has_request_context():
        return {}
    if "cache_prefetched" not in g:
        g.cache_prefetched = {}
    return g.cache_prefetched


def drop_on_commit(model: type, namespace: str, field: str, scope_of: Callable[[Any], object]) -> None:
    """Drop `field` of namespace for scope_of(row) after any commit that inserted, changed or deleted
    a `model` row, whichever code path made the change. The namespace's TTL bounds what a change made
    outside the ORM (raw SQL in a script) could leave stale."""
    dirty = f"cache-dirty:{namespace}:{field}"

    @event.listens_for(Session, "after_flush")
    def note(session: Session, _context: object) -> None:
        scopes = {scope_of(o) for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, model)}
        if scopes:
            session.info.setdefault(dirty, set()).update(scopes)

    @event.listens_for(Session, "after_commit")
    def drop(session: Session) -> None:
        scopes = session.info.pop(dirty, None)
        if scopes:
            forget(namespace, field, *scopes)

