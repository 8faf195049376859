"""One Redis client behind a circuit breaker.

After a connection failure Redis is skipped for `open_seconds` instead of every request paying a
connect timeout; a background thread pings it and closes the breaker as soon as it answers.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import redis
from redis.sentinel import Sentinel

log = logging.getLogger(__name__)
T = TypeVar("T")


class RedisUnavailable(Exception):
    """Redis is down or the breaker is open; callers fall back."""


def connect(
    url: str, sentinels: tuple[tuple[str, int], ...] = (), master: str = "taxdesk", **options: object
) -> redis.Redis:
    """A client for REDIS_URL, or, with Sentinel, for whichever server the sentinels call master.

    A Sentinel-managed client asks the sentinels again after a connection error or a READONLY
    answer (the old master came back as a replica), so a failover costs a few failed calls, not a
    restart. Password and database number come from REDIS_URL either way.
    """
    if not sentinels:
        return redis.Redis.from_url(url, **options)  # type: ignore[arg-type]
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0)
    timeout = options.get("socket_connect_timeout", 0.5)
    sentinel = Sentinel(
        list(sentinels),
        sentinel_kwargs={"socket_connect_timeout": timeout, "socket_timeout": timeout},
    )
    return sentinel.master_for(master, db=db, password=parts.password, **options)  # type: ignore[arg-type]


class RedisBreaker:
    def __init__(
        self, url: str, timeout: float, open_seconds: float,
        sentinels: tuple[tuple[str, int], ...] = (), master: str = "taxdesk",
    ) -> None:
        self.url = url
        self.open_seconds = open_seconds
        self.client = connect(
            url, sentinels, master,
            socket_connect_timeout=timeout,
            socket_timeout=max(timeout, 1.0),
            health_check_interval=30,
            retry_on_timeout=False,
        )
        self._open_until = 0.0
        self._lock = threading.Lock()
        self._prober: threading.Thread | None = None
        self.last_error: str | None = None

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    @property
    def state(self) -> str:
        return "open" if self.is_open else "closed"

    def call(self, fn: Callable[[redis.Redis], T]) -> T:
        if self.is_open:
            raise RedisUnavailable(self.last_error or "redis circuit open")
        try:
            return fn(self.client)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            self.trip(exc)
            raise RedisUnavailable(str(exc)) from exc

    def trip(self, exc: BaseException) -> None:
        with self._lock:
            first = not self.is_open
            self._open_until = time.monotonic() + self.open_seconds
            self.last_error = f"{type(exc).__name__}: {exc}"
            if first:
                log.warning("redis unavailable, breaker open", extra={"error": self.last_error})
            if self._prober is None or not self._prober.is_alive():
                self._prober = threading.Thread(target=self._probe, name="redis-probe", daemon=True)
                self._prober.start()

    def _probe(self) -> None:
        while True:
            time.sleep(min(0.5, self.open_seconds))
            try:
                self.client.ping()
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                with self._lock:
                    self._open_until = time.monotonic() + self.open_seconds
                    self.last_error = f"{type(exc).__name__}: {exc}"
                continue
            with self._lock:
                self._open_until = 0.0
                self.last_error = None
            log.info("redis reachable again, breaker closed")
            return

    def ping_ms(self) -> float | None:
        """Round-trip latency in ms, or None when unreachable."""
        try:
            start = time.perf_counter()
            self.call(lambda r: r.ping())
            return round((time.perf_counter() - start) * 1000, 2)
        except RedisUnavailable:
            return None

    def reset_after_fork(self) -> None:
        self.client.connection_pool.reset()
        self._prober = None
