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
from prometheus_client.core import GaugeMetricFamily

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


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(route, method, str(status)).observe(seconds)


class _ReadAtScrape:
    """Values read from elsewhere at each scrape: never stored in a process, so none outlives its source."""

    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self) -> list[GaugeMetricFamily]:
        return self.families


def worker_rss(memory: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily("taxdesk_worker_rss_bytes", "Resident memory of each live RQ worker", labels=["worker"])
    for name, rss in sorted(memory.items()):
        family.add_metric([name], rss)
    return family


def render(*read_at_scrape: GaugeMetricFamily) -> bytes:
    if MULTIPROC:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    extra = CollectorRegistry()
    extra.register(_ReadAtScrape(list(read_at_scrape)))
    return body + generate_latest(extra)
