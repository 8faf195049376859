"""Throughput of the tax engine's batch command line (`python -m app.tax`).

Generates 10,000 varied cases deterministically (fixed seed), runs the CLI once on all of them
through a subprocess, and writes bench/results/tax.json with the wall time and cases per second.

    .venv/bin/python bench/tax_bench.py [--cases N]
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "tax.json"
YEARS = ("2024-25", "2025-26")


def _maybe(rng: random.Random, chance: float, high: int) -> int:
    return rng.randrange(high) if rng.random() < chance else 0


def make_case(rng: random.Random) -> dict[str, Any]:
    """One plausible case: salaried, pensioner, investor or landlord, across all income bands."""
    case: dict[str, Any] = {"financial_year": rng.choice(YEARS), "age": rng.randrange(20, 95)}
    if rng.random() < 0.1:
        case["residential_status"] = "non_resident"
    scale = rng.choice((5 * 10**5, 15 * 10**5, 40 * 10**5, 10**7, 5 * 10**7))
    if rng.random() < 0.75:
        gross = rng.randrange(scale)
        basic = gross * rng.randrange(30, 60) // 100
        case["salary"] = {"gross": gross, "basic_da": basic,
                          "hra_received": basic * rng.randrange(0, 50) // 100,
                          "rent_paid": _maybe(rng, 0.5, 600_000), "metro": rng.random() < 0.4,
                          "professional_tax": rng.choice((0, 2400, 2500))}
    if rng.random() < 0.1:
        case["family_pension"] = rng.randrange(300_000)
    if rng.random() < 0.3:
        houses = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            if rng.random() < 0.5:
                houses.append({"kind": "self_occupied", "interest_on_loan": rng.randrange(400_000)})
            else:
                houses.append({"kind": "let_out", "annual_rent": rng.randrange(600_000),
                               "municipal_taxes": rng.randrange(20_000),
                               "interest_on_loan": _maybe(rng, 0.7, 800_000)})
        case["house_property"] = houses
    if rng.random() < 0.7:
        case["other_sources"] = {"savings_interest": _maybe(rng, 0.8, 60_000),
                                 "deposit_interest": _maybe(rng, 0.5, scale // 4),
                                 "dividends": _maybe(rng, 0.3, scale // 4),
                                 "other": _maybe(rng, 0.3, scale)}
    if rng.random() < 0.3:
        case["capital_gains"] = {"stcg_111a": _maybe(rng, 0.5, scale // 2),
                                 "ltcg_112a": _maybe(rng, 0.7, scale),
                                 "stcg_other": _maybe(rng, 0.2, scale // 4)}
    if rng.random() < 0.8:
        case["deductions"] = {"80C": _maybe(rng, 0.8, 200_000),
                              "80CCD_1B": _maybe(rng, 0.3, 60_000),
                              "80CCD_2": _maybe(rng, 0.2, 200_000),
                              "80D": _maybe(rng, 0.5, 60_000),
                              "80E": _maybe(rng, 0.1, 100_000), "80TTA": _maybe(rng, 0.4, 12_000),
                              "80TTB": _maybe(rng, 0.2, 60_000)}
    if rng.random() < 0.6:
        case["taxes_paid"] = {"tds_salary": rng.randrange(scale // 4),
                              "tds_other": _maybe(rng, 0.3, 50_000),
                              "advance_tax": _maybe(rng, 0.1, 200_000), "self_assessment_tax": 0}
    return case


def make_cases(count: int, seed: int = 20250401) -> list[dict[str, Any]]:
    """`count` cases, the same ones for the same seed."""
    rng = random.Random(seed)
    return [make_case(rng) for _ in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    cases = make_cases(args.cases)
    with tempfile.TemporaryFile() as stdin:
        stdin.write(json.dumps(cases).encode())
        stdin.seek(0)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "app.tax"], stdin=stdin,
                              capture_output=True, cwd=ROOT, check=False)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the CLI and its workers: steadier than wall time on a shared machine.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode())
        return 1
    results = json.loads(proc.stdout)
    assert len(results) == len(cases), "the CLI returned a different number of results"  # noqa: S101
    report = {"cases": len(cases), "seconds": round(seconds, 4),
              "cases_per_second": round(len(cases) / seconds), "cpu_seconds": round(cpu, 4)}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"tax engine CLI: {report['cases']} cases in {report['seconds']:.3f}s "
          f"= {report['cases_per_second']} cases/s ({cpu:.3f}s CPU) "
          f"-> {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
