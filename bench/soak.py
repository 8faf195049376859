"""`make soak`: the load phases at full length (1,000 and 2,000 users, 5 minutes each, then the spike),
then a 30-minute soak at 1,000 users that samples, every 30 s, the resident memory of every web
and worker process and the database pool's utilisation from /health/ready.

Pass: worker RSS flat (the last third's median within 15% of the first third's, per program family)
and pool utilisation below 80% at every sample.

    .venv/bin/python bench/soak.py [--minutes 30] [--phase-minutes 5] [--users 1000]

Writes bench/results/soak.json (and load-soak.json for the load phases).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import load_bench  # noqa: E402
from bench.harness import BENCH_VENV, ROOT, Stack, ensure_bench_venv, log, machine, write_result  # noqa: E402

SAMPLE_SECONDS = 30
RSS_GROWTH_LIMIT = 0.15
POOL_LIMIT_PCT = 80


def family(cmdline: str) -> str | None:
    if "wsgi:app" in cmdline and "-k gevent" not in cmdline:
        return "web"
    if "realtime:app" in cmdline:
        return "realtime"
    if "jobs.worker tax" in cmdline:
        return "worker-tax"
    if "jobs.worker ocr" in cmdline:
        return "worker-ocr"
    if "jobs.relay" in cmdline:
        return "relay"
    return None


def rss_by_family(stack: Stack) -> dict[str, float]:
    """Total resident MB per program family among the cluster's processes."""
    totals: dict[str, float] = {}
    for pid in stack.cluster.processes():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        name = family(cmdline)
        if name:
            totals[name] = totals.get(name, 0.0) + pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    return {k: round(v, 1) for k, v in totals.items()}


def sample(stack: Stack, stop: threading.Event, out: list[dict[str, Any]]) -> None:
    while not stop.wait(SAMPLE_SECONDS):
        pools = []  # each answer is one web worker's own pool: ask a few times, keep the busiest
        for _ in range(5):
            try:
                pools.append(stack.ready().get("database", {}))
            except (OSError, ValueError):
                continue
        busiest = max(pools, key=lambda d: d.get("utilisation") or 0, default={})
        out.append({"t": round(time.time()), "rss_mb": rss_by_family(stack),
                    "pool_utilisation_pct": busiest.get("utilisation"),
                    "pool": {k: busiest.get(k) for k in ("size", "checked_out", "overflow", "waiting")}})


def verdict(samples: list[dict[str, Any]]) -> dict[str, Any]:
    third = max(1, len(samples) // 3)
    growth: dict[str, float] = {}
    for name in samples[0]["rss_mb"] if samples else {}:
        first = statistics.median(s["rss_mb"].get(name, 0) for s in samples[:third])
        last = statistics.median(s["rss_mb"].get(name, 0) for s in samples[-third:])
        growth[name] = round((last - first) / first, 3) if first else 0.0
    pool = [s["pool_utilisation_pct"] for s in samples if isinstance(s["pool_utilisation_pct"], (int, float))]
    return {
        "rss_growth": growth,
        "rss_flat": all(g <= RSS_GROWTH_LIMIT for g in growth.values()),
        "pool_max_pct": max(pool) if pool else None,
        "pool_ok": bool(pool) and max(pool) < POOL_LIMIT_PCT,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--phase-minutes", type=float, default=5)
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args()
    ensure_bench_venv()
    started = time.monotonic()
    with Stack(users=10000, name="bench-soak") as stack:
        load = load_bench.run(stack, duration=int(args.phase_minutes * 60))
        write_result("load-soak", {**load, "machine": machine()})
        sessions = load_bench.sessions_file(stack, args.users)
        samples: list[dict[str, Any]] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample, args=(stack, stop, samples), daemon=True)
        seconds = int(args.minutes * 60)
        log(f"soak: {args.users} users for {args.minutes:g} min")
        sampler.start()
        try:
            soak_phase = load_bench.locust(stack, sessions, args.users, max(1, args.users // 20), seconds, True,
                                           f"soak {args.users} users")
        finally:
            stop.set()
            sampler.join()
            sessions.unlink(missing_ok=True)
    result = {"load_phases": load["phases"], "soak": soak_phase, "samples": samples, **verdict(samples),
              "targets": {"rss_growth_max": RSS_GROWTH_LIMIT, "pool_max_pct": POOL_LIMIT_PCT},
              "machine": machine(), "wall_seconds": round(time.monotonic() - started, 1),
              "locust": str(BENCH_VENV / "bin" / "locust")}
    path = write_result("soak", result)
    log(f"soak: RSS growth {result['rss_growth']}, pool max {result['pool_max_pct']}%")
    print(f"wrote {path.relative_to(ROOT)}")
    sys.exit(0 if result["rss_flat"] and result["pool_ok"] else 1)


if __name__ == "__main__":
    main()
