"""Load: Locust (headless, bench/locustfile.py) with 1,000 and then 2,000 simulated taxpayers, then a
spike from 0 to 2,000 users in 10 s, against the whole cluster through nginx.

Steady phases report from the moment every user is running (`--reset-stats`); the spike reports
everything, ramp included. For each phase: requests per second, p50/p95/p99, error rate, the
slowest endpoints, and the compute jobs finished during the phase (from the jobs table).

    .venv/bin/python bench/load_bench.py [--quick] [--duration 90] [--users 1000,2000]

Writes bench/results/load.json. Locust runs from var/bench-venv (bench/requirements-bench.txt).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    BENCH_VENV,
    ROOT,
    Stack,
    ensure_bench_venv,
    log,
    machine,
    write_result,
)

LOCUSTFILE = ROOT / "bench" / "locustfile.py"
P95_TARGET_MS = 200
ERROR_RATE_TARGET = 0.001


def sessions_file(stack: Stack, count: int) -> Path:
    """Signed-in sessions of demo1..count, each with the id of that user's AY 2026-27 filing."""
    sessions = stack.sessions(count)
    ids = ",".join(str(s["user_id"]) for s in sessions)
    filings = {int(u): int(f) for u, f in stack.sql(
        f"SELECT user_id, id FROM filings WHERE assessment_year = '2026-27' AND user_id IN ({ids})")}  # noqa: S608
    for s in sessions:
        s["filing_id"] = filings.get(s["user_id"])
    fd, name = tempfile.mkstemp(prefix="locust-sessions-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(sessions, f)
    return Path(name)


def locust(stack: Stack, sessions: Path, users: int, spawn_rate: float, seconds: int, reset_stats: bool,
           label: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="locust-") as tmp:
        prefix = Path(tmp) / "run"
        args = [str(BENCH_VENV / "bin" / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
                "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", stack.url.rstrip("/"), "--csv", str(prefix),
                "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING"]
        if reset_stats:
            args.append("--reset-stats")
        started_db = stack.sql("SELECT now()")[0][0]
        started = time.monotonic()
        result = subprocess.run(args, env={**os.environ, "LOCUST_SESSIONS": str(sessions)}, cwd=ROOT,
                                capture_output=True, text=True, timeout=seconds + 120)
        wall = time.monotonic() - started
        if not (prefix.parent / "run_stats.csv").exists():
            raise RuntimeError(f"locust wrote no stats (exit {result.returncode}):\n{result.stderr[-3000:]}")
        rows = list(csv.DictReader((prefix.parent / "run_stats.csv").read_text().splitlines()))
        failures = list(csv.DictReader((prefix.parent / "run_failures.csv").read_text().splitlines()))
    query = f"SELECT status, count(*) FROM jobs WHERE kind = 'compute' AND finished_at >= '{started_db}' GROUP BY status"  # noqa: S608,E501
    jobs = stack.sql(query)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    count, errors = int(total["Request Count"]), int(total["Failure Count"])
    # An endpoint with no request since the stats reset has "N/A" percentiles.
    endpoints = sorted((r for r in rows if r["Name"] != "Aggregated" and r["95%"] != "N/A"), key=lambda r: -float(r["95%"]))
    phase = {
        "phase": label,
        "users": users,
        "spawn_rate": spawn_rate,
        "seconds": seconds,
        "wall_seconds": round(wall, 1),
        "requests": count,
        "rps": round(float(total["Requests/s"]), 1),
        "latency_ms": {"p50": float(total["50%"]), "p95": float(total["95%"]), "p99": float(total["99%"]),
                       "max": round(float(total["Max Response Time"]), 1)},
        "errors": errors,
        "error_rate": round(errors / count, 5) if count else 1.0,
        "jobs_completed": {status: int(n) for status, n in jobs},
        "endpoints": [{"name": r["Name"], "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                       "p50": float(r["50%"]), "p95": float(r["95%"]), "p99": float(r["99%"])} for r in endpoints],
        "failures": [{"name": f["Name"], "error": f["Error"][:200], "count": int(f["Occurrences"])}
                     for f in failures][:10],
        "locust_warnings": [line for line in result.stderr.splitlines() if "CPU" in line][:3],
    }
    log(f"{label}: {phase['rps']} req/s, p50 {phase['latency_ms']['p50']:.0f} ms, "
        f"p95 {phase['latency_ms']['p95']:.0f} ms, p99 {phase['latency_ms']['p99']:.0f} ms, "
        f"errors {phase['error_rate']:.2%}, jobs {phase['jobs_completed']}")
    return phase


def run(stack: Stack, quick: bool = False, duration: int = 90, user_counts: tuple[int, ...] = (1000, 2000),
        spike: bool = True) -> dict[str, Any]:
    ensure_bench_venv()
    if quick:
        duration, user_counts = 10, (20,)
    sessions = sessions_file(stack, max(user_counts))
    phases = []
    try:
        for users in user_counts:
            ramp = 15 if quick else 20
            phases.append(locust(stack, sessions, users, max(1, users // ramp), duration, True, f"{users} users"))
        if spike and not quick:
            top = max(user_counts)
            phases.append(locust(stack, sessions, top, top // 10, 40, False, f"spike 0→{top} in 10 s"))
    finally:
        sessions.unlink(missing_ok=True)
    top = next((p for p in phases if p["users"] == max(user_counts) and not p["phase"].startswith("spike")), phases[-1])
    return {
        "phases": phases,
        "targets": {"p95_ms": P95_TARGET_MS, "error_rate": ERROR_RATE_TARGET, "at_users": max(user_counts)},
        "met": top["latency_ms"]["p95"] < P95_TARGET_MS and top["error_rate"] < ERROR_RATE_TARGET,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 users for 10 s: checks the harness")
    parser.add_argument("--duration", type=int, default=90)
    parser.add_argument("--users", default="1000,2000")
    parser.add_argument("--no-spike", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    counts = tuple(int(u) for u in args.users.split(","))
    with Stack(users=200 if args.quick else 10000, name="bench-load") as stack:
        result = run(stack, args.quick, args.duration, counts, not args.no_spike)
    result.update(machine=machine(), quick=args.quick, wall_seconds=round(time.monotonic() - started, 1))
    path = write_result("load-quick" if args.quick else "load", result)
    print(json.dumps({"met": result["met"]}), f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
