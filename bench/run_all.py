"""`make bench`: every benchmark on one seeded cluster, unattended, in under 15 minutes.

1. HTTP: wrk on /health against the signed-in dashboard (bench/http_bench.py)
2. Jobs: tax jobs through the API against Celery on the same engine function (bench/jobs_bench.py)
3. OCR: our pipeline against raw parallel tesseract (bench/ocr_bench.py, run as it is)
4. Load: Locust with 1,000 then 2,000 users, then a spike (bench/load_bench.py)

Each writes bench/results/<name>.json; this writes bench/results/summary.json and
bench/results/table.md and prints the table. Every figure is a ratio against a baseline measured
in the same run on the same machine, or an absolute target where the issue sets one.

    .venv/bin/python bench/run_all.py [--load-seconds 90] [--skip ocr,load]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import http_bench, jobs_bench, load_bench  # noqa: E402
from bench.harness import RESULTS, ROOT, Stack, ensure_bench_venv, log, machine, write_result  # noqa: E402

BUDGET_SECONDS = 15 * 60


def run_ocr() -> dict[str, Any]:
    (RESULTS / "ocr.json").unlink(missing_ok=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "ocr_bench.py"), "--pages", "12", "--repeats", "2"],
                   cwd=ROOT, check=True, timeout=300)
    return json.loads((RESULTS / "ocr.json").read_text())


def attempt(summary: dict[str, Any], name: str, measure: Any) -> None:
    """Run one benchmark; a failure is recorded in the summary and the others still run."""
    log(f"{name} benchmark")
    try:
        summary[name] = measure()
    except Exception as exc:  # noqa: BLE001 - one benchmark's failure must not lose the others' numbers
        log(f"{name} benchmark failed: {type(exc).__name__}: {str(exc)[:300]}")
        summary.setdefault("failed", {})[name] = f"{type(exc).__name__}: {str(exc)[:500]}"
        return
    if name != "ocr":
        write_result(name, {**summary[name], "machine": machine()})


def yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def table(s: dict[str, Any]) -> str:
    m = s["machine"]
    lines = [
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB "
        f"(load average {m['load_before']} before the run, {s['load_after']} after; "
        f"`make bench`, {s['wall_seconds'] / 60:.1f} min).",
        "",
        "| benchmark | baseline (same run) | TaxDesk | ratio / figure | target | met |",
        "|---|---|---|---|---|---|",
    ]
    if "http" in s:
        h = s["http"]
        d = h["dashboard"]
        lines.append(
            f"| HTTP, 64 connections via nginx | /health {h['health']['rps']:.0f} req/s | dashboard {d['rps']:.0f} req/s, "
            f"p99 {d['latency_ms']['p99']:.0f} ms, {d['errors']} errors | {h['dashboard_vs_health']:.2f}× | "
            f"≥ 0.35×, p99 ≤ 100 ms, 0 errors | {yes(h['met'])} |")
    if "jobs" in s:
        j = s["jobs"]
        lines.append(
            f"| Tax jobs, 2 workers, {j['ours']['jobs']} jobs | Celery {j['celery']['jobs_per_s']:.0f} jobs/s, "
            f"wait p95 {j['celery']['queue_wait_s']['p95']:.2f} s | {j['ours']['jobs_per_s']:.0f} jobs/s, "
            f"wait p95 {j['ours']['queue_wait_s']['p95']:.2f} s | {j['ratio']:.2f}× | ≥ 1.0×, wait p95 < 5 s | "
            f"{yes(j['met'])} |")
    if "ocr" in s:
        o = s["ocr"]
        lines.append(
            f"| OCR, {o['pages']} pages at 300 dpi, {o['workers']} processes | raw tesseract "
            f"{o['raw_pages_per_s']:.2f} pages/s | {o['ours_pages_per_s']:.2f} pages/s | {o['ratio']:.2f}× | "
            f"(reported) | – |")
    if "load" in s:
        for p in s["load"]["phases"]:
            target = "p95 < 200 ms, errors < 0.1%" if p["users"] == s["load"]["targets"]["at_users"] \
                and not p["phase"].startswith("spike") else "(reported)"
            met = "–" if target == "(reported)" else yes(s["load"]["met"])
            jobs = sum(p["jobs_completed"].values())
            lines.append(
                f"| Load, {p['phase']}, {p['seconds']} s | – | {p['rps']:.0f} req/s, p50 {p['latency_ms']['p50']:.0f} / "
                f"p95 {p['latency_ms']['p95']:.0f} / p99 {p['latency_ms']['p99']:.0f} ms, {jobs} jobs done | "
                f"errors {p['error_rate']:.2%} | {target} | {met} |")
    for name, error in s.get("failed", {}).items():
        lines.append(f"| {name} | – | did not finish: {error[:120]} | – | – | **no** |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load-seconds", type=int, default=90)
    parser.add_argument("--skip", default="", help="comma-separated: http,jobs,ocr,load")
    args = parser.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    started = time.monotonic()
    summary: dict[str, Any] = {"machine": machine()}
    ensure_bench_venv()
    with Stack(users=10000, name="bench") as stack:
        if "http" not in skip:
            attempt(summary, "http", lambda: http_bench.run(stack))
        if "jobs" not in skip:
            attempt(summary, "jobs", lambda: jobs_bench.run(stack))
        if "load" not in skip:
            attempt(summary, "load", lambda: load_bench.run(stack, duration=args.load_seconds))
    if "ocr" not in skip:  # after the cluster has stopped, so it does not compete for the two cores
        attempt(summary, "ocr", run_ocr)
    summary["load_after"] = round(os.getloadavg()[0], 2)
    summary["wall_seconds"] = round(time.monotonic() - started, 1)
    summary["within_budget"] = summary["wall_seconds"] < BUDGET_SECONDS
    write_result("summary", summary)
    text = table(summary)
    (RESULTS / "table.md").write_text(text)
    print("\n" + text)
    print(f"results in {RESULTS.relative_to(ROOT)}/ ({summary['wall_seconds'] / 60:.1f} min)")


if __name__ == "__main__":
    main()
