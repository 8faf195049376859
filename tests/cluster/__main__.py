"""Multi-host cluster test on simulated hosts: `python -m tests.cluster [run|--cleanup] [options]`.

    sudo .venv/bin/python -m tests.cluster run                  all five scenarios (about 10 min)
    sudo .venv/bin/python -m tests.cluster run --only scaling   one scenario
    sudo .venv/bin/python -m tests.cluster --cleanup            remove leftovers of a killed run
    .venv/bin/python -m tests.cluster report                    the results as Markdown tables

Builds namespaces tdc-* joined by veth pairs on a bridge (tests/cluster/netns.py) with addresses
from 198.18.0.0/24 only, starts the data host, app hosts and balancer from deploy/, runs the
scenarios under locust and writes bench/results/cluster-*.json. Every process and namespace is
removed on exit, also after an error or Ctrl-C. Exit status 1 when a scenario misses its bar.
"""
from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from . import netns
from .hosts import (
    PGBOUNCER_PORT,
    SECRET_KEY,
    SENTINEL_PORT,
    AppHost,
    Balancer,
    DataHost,
    start_redis_replica,
    start_sentinel,
)
from .load import make_sessions
from .report import markdown
from .scenarios import SCENARIOS, Cluster

RECOVERY_LIMIT_S = 45
HOSTS = {"lb": 2, "load": 3, "data": 10, "app1": 11, "app2": 12, "app3": 13, "data2": 20}


def checks(name: str, r: dict[str, Any]) -> list[str]:
    """The bar each scenario must clear; returns what it missed."""
    missed = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            missed.append(f"{name}: {what}")

    totals = [run for run in r.get("runs", [])] + ([r["totals"]] if "totals" in r else [])
    for t in totals:
        need(t.get("locust_exceptions", 0) == 0, f"{t.get('locust_exceptions')} errors inside the locust scenario")
    if name == "scaling":
        for run in r["runs"]:
            need(run["requests"] > 0 and run["failures"] / run["requests"] < 0.01,
                 f"{run['app_hosts']} host(s): {run['failures']} of {run['requests']} requests failed")
    if name in ("host-killed", "link-cut", "redis-failover"):
        # A request in flight on a host that vanishes fails only when the balancer's 30 s read
        # timeout expires (nginx never resends a POST a host may have processed): allow that.
        need(r["recovery_seconds"] is not None and r["recovery_seconds"] <= RECOVERY_LIMIT_S,
             f"no recovery within {RECOVERY_LIMIT_S} s ({r['recovery_seconds']})")
        need(r["jobs"]["lost"] == 0, f"{r['jobs']['lost']} jobs never finished")
    if name == "host-killed":
        need(r["after_10s"]["error_rate"] < 0.01, f"error rate after 10 s {r['after_10s']['error_rate']}")
        s = r["sockets"]
        need(s["reconnected"] == s["dropped_by_fault"] and s["connected_at_end"] == s["clients"],
             f"sockets: {s}")
    if name == "link-cut":
        need(r["while_cut"]["error_rate"] < 0.05, f"error rate while cut {r['while_cut']['error_rate']}")
        need(r["after_restore"]["error_rate"] < 0.01, f"error rate after restore {r['after_restore']['error_rate']}")
    if name == "redis-failover":
        need(r["promoted_after_seconds"] is not None, "no replica promoted")
        need(r["old_master_back_as_replica_after_seconds"] is not None, "the old master did not rejoin as replica")
        sessions = r["sessions"]
        need(sessions["still_signed_in_after"] == sessions["signed_in_before"] > 0, f"sessions {sessions}")
    if name == "rolling-deploy":
        need(r["failed_requests"] == 0, f"{r['failed_requests']} failed requests")
        need(r["jobs"]["lost"] == 0, f"{r['jobs']['lost']} jobs never finished")
    return missed


def run(args: argparse.Namespace) -> int:
    netns.cleanup()
    work = Path(tempfile.mkdtemp(prefix="taxdesk-cluster-"))
    work.chmod(0o755)
    print(f"cluster: work dir {work}", flush=True)
    net = netns.Network()
    net.create_switch()
    for host, octet in HOSTS.items():
        net.add_host(host, octet)
    data = DataHost(net, work)
    data.start_postgres()
    print(f"cluster: {data.migrate_and_seed(args.seed_users)}", flush=True)
    data.start_pgbouncer()
    data.start_redis()
    start_redis_replica(net, work, data.addr)
    for host in ("data", "data2", "lb"):
        start_sentinel(net, host, work, data.addr)
    sentinels = ",".join(f"{net.address(h)}:{SENTINEL_PORT}" for h in ("data", "data2", "lb"))
    env = {
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"postgresql+psycopg://taxdesk@{data.addr}:{PGBOUNCER_PORT}/taxdesk",
        "DB_PGBOUNCER": "true",
        "REDIS_URL": data.redis_url,
        "REDIS_SENTINELS": sentinels,
        "REDIS_SENTINEL_MASTER": "taxdesk",
        "PROXY_HOPS": "2",
        # Every simulated user comes from the one load-generator address, and the API limit is
        # keyed by address for requests it sees before the user is known: raise it so the run
        # measures the cluster, not one office's shared limit.
        "API_RATE_LIMIT": "100000 per minute",
        "WEB_WORKERS": str(args.web_workers),
        "REALTIME_PORTS": "8101",
        "TAX_WORKERS": "1",
        "OCR_WORKERS": "0",
        "DB_POOL_SIZE": "3",
        "DB_MAX_OVERFLOW": "3",
    }
    sessions = make_sessions({**os.environ, **env, "VAR_DIR": str(work / "sessions-var")}, args.users + 40,
                             work / "sessions.json")
    apps = [AppHost(f"app{i}", net, work, env) for i in (1, 2, 3)]
    lb = Balancer(net, work)
    lb.start([apps[0].addr])
    cluster = Cluster(net, work, data, apps, lb, sessions, args.users, args.seconds)
    wanted = args.only or list(SCENARIOS)
    missed: list[str] = []
    for name in SCENARIOS:
        if name not in wanted:
            continue
        if name != "scaling" and len(cluster.running) < len(apps):
            missing = [h for h in apps if h not in cluster.running]
            threads = [threading.Thread(target=h.start) for h in missing]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            cluster.running.extend(missing)
            cluster.balance(apps)
        print(f"cluster: scenario {name}", flush=True)
        started = time.monotonic()
        result = SCENARIOS[name](cluster)
        problems = checks(name, result)
        missed += problems
        print(f"cluster: {name} {'ok' if not problems else 'MISSED: ' + '; '.join(problems)} "
              f"({time.monotonic() - started:.0f}s)", flush=True)
    for host in apps:
        host.stop()
    if args.keep_work:
        print(f"cluster: logs kept in {work}", flush=True)
    else:
        shutil.rmtree(work, ignore_errors=True)
    if missed:
        print("cluster: FAILED\n  " + "\n  ".join(missed), flush=True)
        return 1
    print(f"cluster: {len(wanted)} passed, 0 failed", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.cluster")
    parser.add_argument("command", nargs="?", default="run", choices=["run", "report"])
    parser.add_argument("--cleanup", action="store_true", help="only remove namespaces and processes of a past run")
    parser.add_argument("--only", action="append", choices=list(SCENARIOS))
    parser.add_argument("--users", type=int, default=int(os.environ.get("CLUSTER_USERS", "100")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("CLUSTER_SECONDS", "40")))
    parser.add_argument("--seed-users", type=int, default=2000)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--keep-work", action="store_true", help="keep the work dir (logs) after the run")
    args = parser.parse_args()
    if args.command == "report":
        print(markdown())
        return 0
    if os.geteuid() != 0:
        print("cluster: needs root (ip netns); run it as root or with sudo", file=sys.stderr)
        return 2
    if args.cleanup:
        netns.cleanup()
        return 0
    atexit.register(netns.cleanup)

    def on_signal(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        return run(args)
    finally:
        netns.cleanup()


if __name__ == "__main__":
    sys.exit(main())
