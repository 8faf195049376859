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

import redis

log = logging.getLogger(__name__)
T = TypeVar("T")


class RedisUnavailable(Exception):
    """Redis is down or the breaker is open; callers fall back."""


class RedisBreaker:
    def __init__(self, url: str, timeout: float, open_seconds: float) -> None:
        self.url = url
        self.open_seconds = open_seconds
        self.client = redis.Redis.from_url(
            url,
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
