"""Operator endpoints: liveness, readiness with dependency details, Prometheus metrics."""
from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from ..extensions import db, redis_store
from ..services import metrics, pool_monitor, queues

bp = Blueprint("ops", __name__)


@bp.get("/health")
def health():
    return jsonify(status="ok")


@bp.get("/health/ready")
def ready():
    problems: list[str] = []
    database: dict[str, object] = dict(pool_monitor.stats(db.engine))
    start = time.perf_counter()
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database["connected"] = True
        database["latency_ms"] = round((time.perf_counter() - start) * 1000, 2)
    except Exception as exc:  # any failure to reach the database means not ready
        database["connected"] = False
        database["error"] = type(exc).__name__
        problems.append("database")
    breaker = redis_store()
    latency = breaker.ping_ms()
    redis_info = {"connected": latency is not None, "latency_ms": latency, "breaker": breaker.state}
    if latency is None:
        problems.append("redis")
    queue_info = queues.safe_depths()
    body = {
        "status": "ok" if not problems else "unavailable",
        "down": problems,
        "database": database,
        "redis": redis_info,
        "queues": queue_info,
        "instance": current_app.config["TAXDESK"].instance,
    }
    # Redis down degrades features but does not stop service; only the database makes us unready.
    status = 503 if "database" in problems else 200
    response = jsonify(body)
    response.status_code = status
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


@bp.get("/metrics")
def prometheus():
    for stat, value in pool_monitor.stats(db.engine).items():
        metrics.POOL.labels(stat).set(value)
    depth = queues.safe_depths()
    if depth:
        for name, value in depth["depth"].items():  # type: ignore[union-attr]
            metrics.QUEUE_DEPTH.labels(name).set(value)
    body = metrics.render(metrics.worker_rss(queues.worker_memory(time.time())))
    return Response(body, mimetype="text/plain; version=0.0.4")
