"""The five cluster scenarios; each writes bench/results/cluster-<name>.json."""
from __future__ import annotations

import json
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import netns
from .hosts import (
    REDIS_PORT,
    SENTINEL_PORT,
    AppHost,
    Balancer,
    DataHost,
    redis_argv,
    redis_cli,
    run_in,
    spawn,
)
from .load import CpuMeter, Locust, SocketClients, recovery_seconds, window

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"


class Cluster:
    """Everything the scenarios need: the hosts, the balancer, the sessions file, a work dir."""

    def __init__(self, net: netns.Network, work: Path, data: DataHost, apps: list[AppHost], lb: Balancer,
                 sessions: Path, users: int, seconds: int) -> None:
        self.net, self.work, self.data, self.apps, self.lb = net, work, data, apps, lb
        self.sessions, self.users, self.seconds = sessions, users, seconds
        self.running: list[AppHost] = []

    @property
    def hosts(self) -> list[str]:
        return ["data", "data2", "lb", "load", *(a.name for a in self.apps)]

    def sql(self, query: str) -> str:
        return run_in("data", ["runuser", "-u", "postgres", "--", "psql", "-h", "127.0.0.1", "-U", "postgres",
                               "-d", "taxdesk", "-Atc", query]).stdout.strip()

    def jobs_since(self, t0: float, drain: float = 90.0) -> dict[str, Any]:
        """Jobs created since t0, after waiting up to `drain` s for queued/started ones to finish."""
        query = (f"SELECT status, count(*) FROM jobs WHERE created_at >= to_timestamp({t0}) "
                 "GROUP BY status ORDER BY status")
        started = time.monotonic()
        while True:
            counts = dict(line.split("|") for line in self.sql(query).splitlines() if line)
            counts = {k: int(v) for k, v in counts.items()}
            pending = counts.get("queued", 0) + counts.get("started", 0)
            if pending == 0 or time.monotonic() - started > drain:
                break
            time.sleep(2)
        return {"by_status": counts, "created": sum(counts.values()), "not_finished": pending,
                "drain_seconds": round(time.monotonic() - started, 1), "lost": pending}

    def balance(self, hosts: list[AppHost], down: tuple[str, ...] = ()) -> None:
        self.lb.set_upstreams([a.addr for a in hosts], down)


def write(name: str, body: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"cluster-{name}.json"
    body = {"scenario": name, "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cores": os.cpu_count(), "kernel": platform.release()}, **body}
    path.write_text(json.dumps(body, indent=2) + "\n")
    print(f"cluster: wrote {path.relative_to(ROOT)}", flush=True)
    return path


def _load_run(c: Cluster, name: str, seconds: int | None = None, users: int | None = None) -> Locust:
    return Locust(c.work, name, c.lb.url, users or c.users, seconds or c.seconds, c.sessions)


# --------------------------------------------------------------------------------------------


def scaling(c: Cluster) -> dict[str, Any]:
    """Throughput with 1, 2 and 3 app hosts (hosts started one by one, the balancer told each time)."""
    runs = []
    for count in range(1, len(c.apps) + 1):
        host = c.apps[count - 1]
        if host not in c.running:
            host.start()
            c.running.append(host)
        c.balance(c.running)
        time.sleep(3)
        run = _load_run(c, f"scaling-{count}")
        time.sleep(3)  # locust is up (its own CPU is counted on the load host)
        with CpuMeter(c.hosts) as cpu:
            time.sleep(c.seconds - 5)
        run.wait()
        totals = run.totals()
        runs.append({"app_hosts": count, **{k: totals[k] for k in ("requests", "failures", "rps", "p50_ms", "p95_ms",
                                                                  "p99_ms", "locust_exceptions")},
                     "cpu": cpu.result, "by_request": totals["by_request"], "failure_kinds": totals["failure_kinds"]})
        print(f"cluster: {count} app host(s): {totals['rps']} req/s, p95 {totals['p95_ms']} ms, "
              f"{totals['failures']} failures", flush=True)
    base = runs[0]["rps"] or 1
    for r in runs:
        r["speedup"] = round(r["rps"] / base, 2)
        r["efficiency_per_host"] = round(r["rps"] / base / r["app_hosts"], 2)
    body = {"users": c.users, "seconds": c.seconds, "runs": runs,
            "note": ("All hosts share this machine's cores: adding a host adds processes, not CPU. Offered load is "
                     "closed-loop (users x 1-3 s think time), so req/s stops growing once it is served; "
                     "the p95 and per-host CPU show where the work went.")}
    write("scaling", body)
    return body


def _socket_summary(result: dict[str, Any], fault_at: float) -> dict[str, Any]:
    events = result["events"]
    closing = result["closing_at"]  # the clients' own disconnects at the end are not the fault's
    dropped = {e["client"] for e in events if e["event"] == "disconnect" and fault_at <= e["t"] < closing}
    back = {}
    for e in events:
        if e["event"] == "connect" and e["t"] >= fault_at and e["client"] in dropped:
            back.setdefault(e["client"], e["t"] - fault_at)
    return {"clients": result["clients"], "connected_at_end": result["connected_at_end"],
            "dropped_by_fault": len(dropped), "reconnected": len(back),
            "max_reconnect_seconds": round(max(back.values()), 1) if back else None}


def host_killed(c: Cluster) -> dict[str, Any]:
    """SIGKILL every process of one app host mid-load; then bring it back."""
    victim = c.apps[1]
    seconds = max(c.seconds, 60)
    t0 = time.time()
    sockets = SocketClients(c.work, c.lb.url, c.sessions, 30, seconds)
    run = _load_run(c, "host-killed", seconds)
    time.sleep(seconds / 3)
    fault_at = time.time()
    killed = victim.kill()
    c.running.remove(victim)
    run.wait()
    sock = sockets.result()
    history = run.history()
    end = history[-1]["t"] if history else time.time()
    body = {
        "users": c.users, "seconds": seconds, "victim": victim.name, "processes_killed": killed,
        "before": window(history, 0, fault_at), "during_first_10s": window(history, fault_at, fault_at + 10),
        "after_10s": window(history, fault_at + 10, end), "recovery_seconds": recovery_seconds(history, fault_at),
        "totals": run.totals(), "sockets": _socket_summary(sock, fault_at),
        "jobs": c.jobs_since(t0),
    }
    restart = time.monotonic()
    victim.stop()
    victim.start()
    c.running.append(victim)
    body["victim_back_in_seconds"] = round(time.monotonic() - restart, 1)
    write("host-killed", body)
    return body


def link_cut(c: Cluster, down_for: float = 15.0) -> dict[str, Any]:
    """Unplug one app host's link at the switch for `down_for` s, then plug it back."""
    victim = c.apps[2]
    seconds = max(c.seconds, 60)
    t0 = time.time()
    run = _load_run(c, "link-cut", seconds)
    time.sleep(seconds / 4)
    cut_at = time.time()
    c.net.cut(victim.name)
    time.sleep(down_for)
    restored_at = time.time()
    c.net.restore(victim.name)
    run.wait()
    history = run.history()
    end = history[-1]["t"] if history else time.time()
    back = [e for e in c.lb.access_log() if str(e["upstream"]).startswith(victim.addr)
            and float(e["msec"]) > restored_at and e["status"] == 200]
    body = {
        "users": c.users, "seconds": seconds, "victim": victim.name, "down_seconds": down_for,
        "before": window(history, 0, cut_at), "while_cut": window(history, cut_at, restored_at),
        "after_restore": window(history, restored_at, end), "recovery_seconds": recovery_seconds(history, cut_at),
        "host_serving_again_after_seconds": round(min(float(e["msec"]) for e in back) - restored_at, 1) if back else None,
        "totals": run.totals(), "jobs": c.jobs_since(t0),
    }
    write("link-cut", body)
    return body


def redis_failover(c: Cluster) -> dict[str, Any]:
    """Kill the Redis master mid-load; Sentinel promotes the replica; the old master rejoins as replica."""
    seconds = max(c.seconds, 60)
    t0 = time.time()
    master0 = _master(c)
    probe = _session_probe(c)
    run = _load_run(c, "redis-failover", seconds)
    time.sleep(seconds / 3)
    fault_at = time.time()
    c.data.kill_redis()
    promoted_after = None
    while time.time() - fault_at < 30:
        current = _master(c)
        if current and current != master0:
            promoted_after = round(time.time() - fault_at, 1)
            break
        time.sleep(0.2)
    # The old master comes back; the sentinels turn it into a replica of the new one.
    rdir = c.work / "data" / "redis"
    c.data.redis = spawn("data", redis_argv(c.data.addr, rdir), rdir / "redis.log")
    back_at = time.time()
    rejoined_after = None
    while time.time() - back_at < 30:
        if redis_cli("data", "127.0.0.1", REDIS_PORT, "ROLE", check=False).startswith("slave"):
            rejoined_after = round(time.time() - back_at, 1)
            break
        time.sleep(0.5)
    run.wait()
    history = run.history()
    end = history[-1]["t"] if history else time.time()
    after = _session_probe(c)
    limits = _limit_probe(c)
    body = {
        "users": c.users, "seconds": seconds, "master_before": master0, "master_after": _master(c),
        "promoted_after_seconds": promoted_after,
        "before": window(history, 0, fault_at), "during_first_10s": window(history, fault_at, fault_at + 10),
        "after_10s": window(history, fault_at + 10, end), "recovery_seconds": recovery_seconds(history, fault_at),
        "totals": run.totals(),
        "sessions": {"signed_in_before": probe, "still_signed_in_after": after},
        "rate_limit_after": limits,
        "old_master_back_as_replica_after_seconds": rejoined_after,
        "jobs": c.jobs_since(t0),
    }
    write("redis-failover", body)
    return body


def _master(c: Cluster) -> str | None:
    out = redis_cli("lb", "127.0.0.1", SENTINEL_PORT, "SENTINEL", "get-master-addr-by-name", "taxdesk", check=False)
    lines = out.splitlines()
    return lines[0] if lines else None


def _session_probe(c: Cluster) -> int:
    """How many of 20 pre-made sessions /api/v1/auth/me accepts, asked from the load host."""
    code = ("import json,sys,urllib.request\nss=json.load(open(sys.argv[1]))[:20];ok=0\n"
            "for s in ss:\n    r=urllib.request.Request(sys.argv[2]+'/api/v1/auth/me',headers={'Cookie':s['cookie']})\n"
            "    try:\n        ok+=urllib.request.urlopen(r,timeout=5).status==200\n    except Exception: pass\nprint(ok)\n")
    return int(run_in("load", ["python3", "-c", code, str(c.sessions), c.lb.url]).stdout)


def _limit_probe(c: Cluster) -> dict[str, Any]:
    """The API limit still applies across hosts after the failover: a headers check on one session."""
    code = ("import json,sys,urllib.request\ns=json.load(open(sys.argv[1]))[0]\n"
            "r=urllib.request.urlopen(urllib.request.Request(sys.argv[2]+'/api/v1/auth/me',headers={'Cookie':s['cookie']}),timeout=5)\n"
            "print(json.dumps({k:r.headers.get(k) for k in ('X-RateLimit-Limit','X-RateLimit-Remaining')}))\n")
    return json.loads(run_in("load", ["python3", "-c", code, str(c.sessions), c.lb.url]).stdout)


def rolling_deploy(c: Cluster) -> dict[str, Any]:
    """Per host, under load: drain it at the balancer, restart its whole cluster (a deploy of new
    code: `scripts/ctl stop` + `scripts/ctl start`), wait for /health/ready, put it back."""
    t0 = time.time()
    run = _load_run(c, "rolling-deploy", 1800)
    time.sleep(10)
    steps = []
    for host in c.apps:
        started = time.monotonic()
        c.balance(c.apps, down=(host.addr,))
        time.sleep(3)  # requests already on the host finish
        host.stop()
        host.start()
        host.wait_ready()
        c.balance(c.apps)
        steps.append({"host": host.name, "seconds": round(time.monotonic() - started, 1)})
        time.sleep(5)
    run.stop()
    totals = run.totals()
    body = {"users": c.users, "seconds": round(time.time() - t0), "steps": steps, "totals": totals,
            "failed_requests": totals["failures"], "jobs": c.jobs_since(t0)}
    write("rolling-deploy", body)
    return body


SCENARIOS = {"scaling": scaling, "host-killed": host_killed, "link-cut": link_cut,
             "redis-failover": redis_failover, "rolling-deploy": rolling_deploy}
