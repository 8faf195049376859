"""The Celery baseline for bench/jobs_bench.py: the same engine function on the same inputs.

Runs only inside var/bench-venv (Celery is never a TaxDesk dependency), with the repository on
PYTHONPATH so `app.tax` (pure, no Flask) imports. Broker and results use the benchmark's Redis
(CELERY_BENCH_REDIS, its own database number so nothing collides with RQ's keys).

    celery -A bench.celery_app worker -c 2 -Q bench-tax
"""
from __future__ import annotations

import os
import time
from typing import Any

from celery import Celery

from app.tax import compute

REDIS = os.environ.get("CELERY_BENCH_REDIS", "redis://127.0.0.1:6379/1")
QUEUE = "bench-tax"

celery = Celery("taxdesk_bench", broker=REDIS, backend=REDIS)
celery.conf.update(
    task_default_queue=QUEUE,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_expires=3600,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)


@celery.task(name="bench.compute")
def compute_case(case: dict[str, Any], submitted: float) -> dict[str, Any]:
    """Tax for one case, with when it started and finished (wall clock, same host as the submitter)."""
    started = time.time()
    result = compute(case)
    return {"queue_wait": started - submitted, "finished": time.time(), "computation": result}


def submit_all(cases: list[dict[str, Any]], timeout: float) -> dict[str, Any]:
    """Submit every case at once, wait for all, and time it from the first submission."""
    compute_case.apply_async(args=[cases[0], time.time()]).get(timeout=timeout)  # warm: workers up, imports done
    first = time.time()
    pending = [compute_case.apply_async(args=[case, time.time()]) for case in cases]
    submitted = time.time() - first
    results = [r.get(timeout=timeout) for r in pending]
    return {"first_submit": first, "submit_seconds": submitted,
            "queue_waits": [r["queue_wait"] for r in results],
            "last_finished": max(r["finished"] for r in results)}


if __name__ == "__main__":  # python -m bench.celery_app < cases.json: timings as JSON on stdout
    import json
    import sys

    print(json.dumps(submit_all(json.load(sys.stdin), timeout=float(os.environ.get("CELERY_BENCH_TIMEOUT", "300")))))
