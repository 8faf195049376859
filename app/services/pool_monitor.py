"""Connection pool statistics and a monitor that warns at 80% and errors at 95% utilisation."""
from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine, event
from sqlalchemy.pool import QueuePool

log = logging.getLogger(__name__)
WARN_AT, ERROR_AT = 0.80, 0.95


class _Waiters:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        self.level = "ok"


def instrument(engine: Engine | None) -> None:
    if engine is None or not isinstance(engine.pool, QueuePool):
        return
    pool = engine.pool
    waiters = _Waiters()
    pool._taxdesk_waiters = waiters  # type: ignore[attr-defined]
    original = pool._do_get

    def counted_get():
        with waiters.lock:
            waiters.count += 1
        try:
            return original()
        finally:
            with waiters.lock:
                waiters.count -= 1

    pool._do_get = counted_get  # type: ignore[method-assign]

    @event.listens_for(engine, "checkout")
    def on_checkout(*_args) -> None:
        _check_level(pool, waiters)


def _check_level(pool: QueuePool, waiters: _Waiters) -> None:
    s = stats_of(pool)
    util = s["utilisation"] / 100
    level = "error" if util >= ERROR_AT else "warning" if util >= WARN_AT else "ok"
    if level != waiters.level:
        waiters.level = level
        if level == "error":
            log.error("database pool at %s%% utilisation", s["utilisation"], extra={"pool": s})
        elif level == "warning":
            log.warning("database pool at %s%% utilisation", s["utilisation"], extra={"pool": s})


def stats_of(pool) -> dict[str, float | int]:
    if not isinstance(pool, QueuePool):
        return {"size": 0, "checked_out": 0, "overflow": 0, "utilisation": 0.0, "waiting": 0}
    capacity = pool.size() + max(pool._max_overflow, 0)
    checked_out = pool.checkedout()
    waiters = getattr(pool, "_taxdesk_waiters", None)
    return {
        "size": pool.size(),
        "checked_out": checked_out,
        "overflow": max(pool.overflow(), 0),
        "utilisation": round(100 * checked_out / capacity, 1) if capacity else 0.0,
        "waiting": waiters.count if waiters else 0,
    }


def stats(engine: Engine | None) -> dict[str, float | int]:
    return stats_of(engine.pool if engine is not None else None)
