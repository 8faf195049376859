"""Queue names, their settings, and read-only depth figures straight from Redis.

Depths use LLEN/ZCARD/SCARD directly: RQ's registry `count()` runs cleanup, which web code must not.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..extensions import redis_store
from .redis_health import RedisUnavailable


@dataclass(frozen=True)
class QueueSettings:
    timeout: int          # seconds a job may run
    result_ttl: int       # seconds a finished job's RQ result stays in Redis (the jobs table keeps it)
    failure_ttl: int      # seconds a failed job stays in the failed registry for inspection


QUEUES: dict[str, QueueSettings] = {
    "tax": QueueSettings(timeout=60, result_ttl=300, failure_ttl=86_400),
    "ocr": QueueSettings(timeout=600, result_ttl=300, failure_ttl=86_400),
    "documents": QueueSettings(timeout=300, result_ttl=300, failure_ttl=86_400),
    "mail": QueueSettings(timeout=60, result_ttl=300, failure_ttl=86_400),
    "maintenance": QueueSettings(timeout=600, result_ttl=300, failure_ttl=86_400),
    "default": QueueSettings(timeout=180, result_ttl=300, failure_ttl=86_400),
}


def depths() -> dict[str, object]:
    """{"depth": {queue: waiting}, "started": {...}, "failed": {...}, "workers": n} or raises RedisUnavailable."""
    names = list(QUEUES)

    def read(r):
        pipe = r.pipeline(transaction=False)
        for name in names:
            pipe.llen(f"rq:queue:{name}")
            pipe.zcard(f"rq:wip:{name}")
            pipe.zcard(f"rq:failed:{name}")
        pipe.scard("rq:workers")
        return pipe.execute()

    values = redis_store().call(read)
    out: dict[str, object] = {"depth": {}, "started": {}, "failed": {}}
    for i, name in enumerate(names):
        out["depth"][name] = values[3 * i]  # type: ignore[index]
        out["started"][name] = values[3 * i + 1]  # type: ignore[index]
        out["failed"][name] = values[3 * i + 2]  # type: ignore[index]
    out["workers"] = values[-1]
    return out


def safe_depths() -> dict[str, object] | None:
    try:
        return depths()
    except RedisUnavailable:
        return None


# Each worker's heartbeat writes "<rss bytes> <unix time>" under its name; a worker that stopped
# beating (SIGKILLed, host gone) is left out once its entry is older than WORKER_MEMORY_MAX_AGE.
WORKER_MEMORY_KEY = "taxdesk:worker-rss"
WORKER_MEMORY_MAX_AGE = 30


def worker_memory(now: float) -> dict[str, int]:
    """{worker name: resident bytes} of the workers that reported recently; {} while Redis is down."""
    try:
        entries = redis_store().call(lambda r: r.hgetall(WORKER_MEMORY_KEY))
    except RedisUnavailable:
        return {}
    memory = {}
    for name, value in entries.items():
        rss, _, at = value.decode().partition(" ")
        if now - float(at) <= WORKER_MEMORY_MAX_AGE:
            memory[name.decode()] = int(rss)
    return memory
