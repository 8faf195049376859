"""Load from the load-generator host: headless locust on bench/locustfile.py, Socket.IO clients,
and CPU use per simulated host (from /proc, summed over the processes in each namespace)."""
from __future__ import annotations

import csv
import json
import math
import os
import signal
import time
from pathlib import Path

from . import netns
from .hosts import PYTHON, ROOT, run_in, spawn

LOCUST = str(ROOT / ".venv" / "bin" / "locust")
HZ = os.sysconf("SC_CLK_TCK")


def host_ticks(host: str) -> int:
    total = 0
    for pid in netns.pids(netns.ns_name(host)):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def machine_busy() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class CpuMeter:
    """CPU seconds per host over a window (processes that exit mid-window are not counted)."""

    def __init__(self, hosts: list[str]) -> None:
        self.hosts = hosts

    def __enter__(self) -> CpuMeter:
        self.t0 = time.monotonic()
        self.before = {h: host_ticks(h) for h in self.hosts}
        self.busy0 = machine_busy()
        return self

    def __exit__(self, *exc: object) -> None:
        elapsed = time.monotonic() - self.t0
        busy1 = machine_busy()
        per_host = {h: round(100 * max(0, host_ticks(h) - self.before[h]) / HZ / elapsed, 1) for h in self.hosts}
        cores = os.cpu_count() or 1
        machine = 100 * (busy1[0] - self.busy0[0]) / max(1, busy1[1] - self.busy0[1])
        self.result = {
            "per_host_cpu_percent": per_host,  # 100 = one core
            "machine_cpu_percent_of_all_cores": round(machine, 1),
            # What the rest of the machine (other work outside the simulated hosts) took, in % of one core.
            "outside_cluster_cpu_percent": round(max(0.0, machine * cores - sum(per_host.values())), 1),
            "cores": cores,
        }


def make_sessions(env: dict[str, str], count: int, out: Path) -> Path:
    """Signed-in sessions (bench/sessions.py) so the ramp does not measure argon2 alone."""
    result = run_in("data", [PYTHON, "bench/sessions.py", str(count)], env=env, timeout=600)
    out.write_text(result.stdout)
    return out


class Locust:
    """One headless locust run; `history()` is its per-second aggregate (requests, failures)."""

    def __init__(self, work: Path, name: str, host_url: str, users: int, seconds: int, sessions: Path | None,
                 spawn_rate: int = 25) -> None:
        self.prefix = work / "locust" / name
        self.prefix.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "LOCUST_SIGN_IN_SHARE": "0.02"}
        if sessions is not None:
            env["LOCUST_SESSIONS"] = str(sessions)
        argv = [LOCUST, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
                "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", host_url, "--csv", str(self.prefix),
                "--csv-full-history", "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING",
                "--exit-code-on-error", "0"]
        self.seconds = seconds
        self.started = time.time()
        self.proc = spawn("load", argv, self.prefix.with_suffix(".log"), env=env)

    def wait(self) -> None:
        self.proc.wait(timeout=self.seconds + 120)

    def stop(self) -> None:
        """End the run now; locust writes its statistics on SIGTERM."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=120)

    def history(self) -> list[dict[str, float]]:
        rows = []
        with open(f"{self.prefix}_stats_history.csv") as f:
            for row in csv.DictReader(f):
                if row["Name"] != "Aggregated":
                    continue
                rows.append({"t": float(row["Timestamp"]), "users": int(row["User Count"]),
                             "requests": int(row["Total Request Count"]), "failures": int(row["Total Failure Count"]),
                             "p95_ms": _num(row.get("95%"))})
        return rows

    def totals(self) -> dict[str, object]:
        with open(f"{self.prefix}_stats.csv") as f:
            rows = list(csv.DictReader(f))
        agg = next(r for r in rows if r["Name"] == "Aggregated")
        per = {r["Name"]: {"requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                           "p50_ms": _num(r["50%"]), "p95_ms": _num(r["95%"])}
               for r in rows if r["Name"] != "Aggregated"}
        failures = []
        path = Path(f"{self.prefix}_failures.csv")
        if path.exists():
            with open(path) as f:
                failures = [{"name": r["Name"], "error": r["Error"][:200], "count": int(r["Occurrences"])}
                            for r in csv.DictReader(f)]
        exceptions = 0
        path = Path(f"{self.prefix}_exceptions.csv")
        if path.exists():
            with open(path) as f:
                exceptions = sum(int(r["Count"]) for r in csv.DictReader(f))
        return {"requests": int(agg["Request Count"]), "failures": int(agg["Failure Count"]),
                "locust_exceptions": exceptions,
                "rps": round(float(agg["Requests/s"]), 1), "p50_ms": _num(agg["50%"]), "p95_ms": _num(agg["95%"]),
                "p99_ms": _num(agg["99%"]), "by_request": per, "failure_kinds": failures}


def _num(raw: str | None) -> float | None:
    try:
        return float(raw) if raw not in (None, "", "N/A") else None
    except ValueError:
        return None


def window(history: list[dict[str, float]], t0: float, t1: float) -> dict[str, float]:
    """Requests and failures between wall-clock times t0 and t1 (from the cumulative history).

    History rows carry whole seconds: the row of second S may hold requests that ended after a
    fault at S.5, so a window starts at the whole second."""
    t0 = math.floor(t0)
    inside = [r for r in history if t0 <= r["t"] <= t1]
    before = [r for r in history if r["t"] < t0]
    base = before[-1] if before else {"requests": 0, "failures": 0}
    if not inside:
        return {"requests": 0, "failures": 0, "error_rate": 0.0}
    req = inside[-1]["requests"] - base["requests"]
    fail = inside[-1]["failures"] - base["failures"]
    return {"requests": req, "failures": fail, "error_rate": round(fail / req, 4) if req else 0.0}


def recovery_seconds(history: list[dict[str, float]], fault_at: float, quiet: float = 5.0) -> float | None:
    """Seconds from the fault to the last failure seen before `quiet` seconds without any."""
    last_fail = None
    prev = None
    for row in history:
        if prev is not None and row["t"] >= math.floor(fault_at) and row["failures"] > prev["failures"]:
            last_fail = row["t"]
        prev = row
    if last_fail is None:
        return 0.0
    if history and history[-1]["t"] - last_fail < quiet:
        return None  # still failing at the end of the run
    return round(last_fail - fault_at, 1)


class SocketClients:
    """N signed-in Socket.IO clients (tests/cluster/sockets.py) on the load host, reconnecting."""

    def __init__(self, work: Path, host_url: str, sessions: Path, count: int, seconds: int) -> None:
        self.out = work / "sockets" / f"{int(time.time())}.json"
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.proc = spawn("load", [PYTHON, "-m", "tests.cluster.sockets", host_url, str(sessions), str(count),
                                   str(seconds), str(self.out)], self.out.with_suffix(".log"))

    def result(self) -> dict[str, object]:
        self.proc.wait(timeout=300)
        return json.loads(self.out.read_text())


