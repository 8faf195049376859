"""Prometheus metrics; multiprocess-safe when PROMETHEUS_MULTIPROC_DIR is set (gunicorn)."""
from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUEST_LATENCY = Histogram(
    "taxdesk_request_seconds", "HTTP request latency by route", ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5),
)
CACHE = Counter("taxdesk_cache_total", "Cache lookups", ["namespace", "result"])
JOB_DURATION = Histogram(
    "taxdesk_job_seconds", "Background job duration by queue", ["queue", "status"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
POOL = Gauge("taxdesk_db_pool", "Database pool statistics", ["stat"], multiprocess_mode="liveall")
QUEUE_DEPTH = Gauge("taxdesk_queue_depth", "Jobs waiting per RQ queue", ["queue"], multiprocess_mode="max")
WORKER_RSS = Gauge("taxdesk_worker_rss_bytes", "Resident memory of RQ workers", ["worker"], multiprocess_mode="max")


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(route, method, str(status)).observe(seconds)


def render() -> bytes:
    if MULTIPROC:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()
