"""Markdown summary of bench/results/cluster-*.json: `python -m tests.cluster report`."""
from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"


def _load(name: str) -> dict | None:
    path = RESULTS / f"cluster-{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _rate(w: dict) -> str:
    return f"{w['failures']}/{w['requests']} ({100 * w['error_rate']:.1f}%)"


def markdown() -> str:
    out = []
    if s := _load("scaling"):
        out += [f"Scaling ({s['users']} locust users, {s['seconds']} s per step, {s['when']}):", "",
                "| app hosts | req/s | speedup | efficiency/host | p50 ms | p95 ms | failures | CPU % of one core per host (app1/app2/app3, data, lb, load) | machine busy % | outside the cluster, % of one core |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        for r in s["runs"]:
            cpu = r["cpu"]["per_host_cpu_percent"]
            apps = "/".join(str(cpu.get(f"app{i}", 0)) for i in (1, 2, 3))
            out.append(f"| {r['app_hosts']} | {r['rps']} | {r['speedup']} | {r['efficiency_per_host']} | {r['p50_ms']} | "
                       f"{r['p95_ms']} | {r['failures']}/{r['requests']} | {apps}, {cpu['data']}, {cpu['lb']}, {cpu['load']} | "
                       f"{r['cpu']['machine_cpu_percent_of_all_cores']} | {r['cpu'].get('outside_cluster_cpu_percent', '-')} |")
        out.append("")
    rows = []
    if k := _load("host-killed"):
        rows.append(f"| app host killed (`kill -9` all {k['processes_killed']} processes of {k['victim']}) | "
                    f"{_rate(k['before'])} | {_rate(k['during_first_10s'])} | {_rate(k['after_10s'])} | "
                    f"{k['recovery_seconds']} | sockets: {k['sockets']['reconnected']}/{k['sockets']['dropped_by_fault']} "
                    f"dropped reconnected (max {k['sockets']['max_reconnect_seconds']} s); "
                    f"jobs {k['jobs']['created']} created, {k['jobs']['lost']} lost |")
    if c := _load("link-cut"):
        rows.append(f"| link to {c['victim']} down {c['down_seconds']:.0f} s, then up | {_rate(c['before'])} | "
                    f"{_rate(c['while_cut'])} | {_rate(c['after_restore'])} | {c['recovery_seconds']} | "
                    f"host serving again {c['host_serving_again_after_seconds']} s after restore; jobs "
                    f"{c['jobs']['created']} created, {c['jobs']['lost']} lost |")
    if f := _load("redis-failover"):
        rows.append(f"| Redis master killed, Sentinel failover | {_rate(f['before'])} | {_rate(f['during_first_10s'])} | "
                    f"{_rate(f['after_10s'])} | {f['recovery_seconds']} | promoted after {f['promoted_after_seconds']} s, old master "
                    f"back as replica {f.get('old_master_back_as_replica_after_seconds')} s after its restart; "
                    f"sessions {f['sessions']['still_signed_in_after']}/{f['sessions']['signed_in_before']} still signed in; "
                    f"jobs {f['jobs']['created']} created, {f['jobs']['lost']} lost |")
    if rows:
        out += ["| fault | errors before | errors first 10 s | errors after | recovered after (s) | notes |",
                "|---|---|---|---|---|---|", *rows, ""]
    if d := _load("rolling-deploy"):
        steps = ", ".join(f"{s['host']} {s['seconds']} s" for s in d["steps"])
        out.append(f"Rolling deploy under load ({d['users']} users, {d['seconds']} s): {d['failed_requests']} failed of "
                   f"{d['totals']['requests']} requests; per host: drained at the balancer, `scripts/ctl stop` + `start` (new code), ready, back: {steps}; "
                   f"jobs {d['jobs']['created']} created, {d['jobs']['lost']} lost.")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
