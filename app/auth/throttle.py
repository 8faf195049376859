"""Progressive login throttling by account and by IP.

After `threshold` failures a key is locked for `base_seconds`, doubling with each further failure
(capped at an hour). Counts live in Redis, so they survive worker restarts, and in process memory
while Redis is unreachable.
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from dataclasses import dataclass

from ..extensions import redis_store
from ..services.redis_health import RedisUnavailable

WINDOW = 3600
MAX_LOCK = 3600


@dataclass(frozen=True)
class Policy:
    threshold: int
    base_seconds: int

    def lock_seconds(self, failures: int) -> int:
        if failures < self.threshold:
            return 0
        return min(self.base_seconds * 2 ** (failures - self.threshold), MAX_LOCK)


class _Memory:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failures: dict[str, tuple[int, float]] = {}
        self.locked_until: dict[str, float] = {}


_memory = _Memory()


def key_for(kind: str, value: str) -> str:
    return f"login:{kind}:{hashlib.sha256(value.lower().encode()).hexdigest()[:32]}"


def retry_after(keys: list[str]) -> int:
    """Seconds until every key is unlocked (0: not locked)."""
    try:
        ttls = redis_store().call(lambda r: [r.pttl(k + ":lock") for k in keys])
        return max([max(t, 0) for t in ttls] + [0]) // 1000 + (1 if any(t > 0 for t in ttls) else 0)
    except RedisUnavailable:
        now = time.monotonic()
        with _memory.lock:
            return max([int(_memory.locked_until.get(k, 0) - now) + 1 for k in keys if _memory.locked_until.get(k, 0) > now] + [0])


def record_failure(keys_and_policies: list[tuple[str, Policy]]) -> int:
    """Count a failed attempt; return the lock in seconds it causes (0 if none)."""
    longest = 0
    for key, policy in keys_and_policies:
        try:
            def bump(r, key=key, policy=policy):
                failures = r.incr(key + ":n")
                r.expire(key + ":n", WINDOW)
                seconds = policy.lock_seconds(failures)
                if seconds:
                    r.set(key + ":lock", 1, ex=seconds)
                return seconds
            longest = max(longest, redis_store().call(bump))
        except RedisUnavailable:
            now = time.monotonic()
            with _memory.lock:
                count, since = _memory.failures.get(key, (0, now))
                if now - since > WINDOW:
                    count, since = 0, now
                count += 1
                _memory.failures[key] = (count, since)
                seconds = policy.lock_seconds(count)
                if seconds:
                    _memory.locked_until[key] = now + seconds
            longest = max(longest, seconds)
    return longest


def clear(key: str) -> None:
    with contextlib.suppress(RedisUnavailable):
        redis_store().call(lambda r: r.delete(key + ":n", key + ":lock"))
    with _memory.lock:
        _memory.failures.pop(key, None)
        _memory.locked_until.pop(key, None)
