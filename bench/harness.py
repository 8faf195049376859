"""What every benchmark needs: the benchmark venv, private servers, a seeded cluster, signed-in users.

    with Stack(users=10000) as stack:          # private PostgreSQL + Redis, migrated, seeded, cluster up
        sessions = stack.sessions(200)         # [{"user_id", "cookie", "csrf"}] of demo users
        stack.url                              # nginx, http://127.0.0.1:<port>/

Nothing here touches the machine's own PostgreSQL or Redis: both are started on free ports under a
temp dir (as the tests do), and the cluster runs from `scripts/ctl start --daemon` in its own VAR_DIR.
Traffic goes to 127.0.0.1 only.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.cluster import Cluster, http_get  # noqa: E402
from tests.support.servers import PostgresServer, RedisServer  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BENCH_VENV = ROOT / "var" / "bench-venv"
BENCH_PYTHON = BENCH_VENV / "bin" / "python"
BENCH_REQUIREMENTS = ROOT / "bench" / "requirements-bench.txt"
SECRET_KEY = "bench-secret-key-0123456789abcdef-0123456789"  # noqa: S105 - a throwaway key for a private cluster
DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - scripts/seed_demo's documented credential
# Every simulated user comes from 127.0.0.1, so the per-IP limit for anonymous API calls (sign-in)
# would throttle the benchmark itself; signed-in calls are limited per user and keep the default.
BENCH_ENV = {"API_RATE_LIMIT": "1000000 per minute", "LOGIN_IP_THRESHOLD": "1000000", "GUNICORN_LOG_LEVEL": "warning"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_bench_venv() -> Path:
    """var/bench-venv with bench/requirements-bench.txt (locust, celery, py-spy), kept apart from .venv."""
    stamp = BENCH_VENV / ".requirements.sha256"
    digest = hashlib.sha256(BENCH_REQUIREMENTS.read_bytes()).hexdigest()
    if BENCH_PYTHON.exists() and stamp.exists() and stamp.read_text() == digest:
        return BENCH_PYTHON
    log("installing bench/requirements-bench.txt into var/bench-venv")
    if not BENCH_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    subprocess.run([str(BENCH_PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r",
                    str(BENCH_REQUIREMENTS)], check=True)
    stamp.write_text(digest)
    return BENCH_PYTHON


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_before": round(os.getloadavg()[0], 2),
    }


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return path


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Stack:
    """Private PostgreSQL and Redis, migrated and seeded, with the whole cluster in front of them."""

    def __init__(self, users: int = 10000, web_workers: int | None = None, tax_workers: int = 2,
                 ocr_workers: int = 1, realtime: int = 1, env: dict[str, str] | None = None,
                 name: str = "bench") -> None:
        self.users = users
        self.var_dir = ROOT / "var" / name
        self.cluster_args = {
            "web_workers": web_workers or 2 * (os.cpu_count() or 1) + 1,
            "tax_workers": tax_workers,
            "ocr_workers": ocr_workers,
            "realtime_ports": realtime,
            "secret_key": SECRET_KEY,
            "env": {**BENCH_ENV, **(env or {})},
        }
        self.pg: PostgresServer | None = None
        self.redis: RedisServer | None = None
        self.cluster: Cluster | None = None

    @property
    def url(self) -> str:
        assert self.cluster is not None
        return self.cluster.url

    @property
    def database_url(self) -> str:
        assert self.pg is not None
        return self.pg.url("taxdesk")

    @property
    def redis_url(self) -> str:
        assert self.redis is not None
        return self.redis.url

    @property
    def env(self) -> dict[str, str]:
        """The environment the app's own scripts need to reach this stack."""
        return {**os.environ, "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
                "SECRET_KEY": SECRET_KEY, "VAR_DIR": str(self.var_dir), "PYTHONPATH": str(ROOT),
                **self.cluster_args["env"]}

    def start(self) -> Self:
        started = time.monotonic()
        shutil.rmtree(self.var_dir, ignore_errors=True)
        self.pg = PostgresServer().init()
        self.pg.psql("CREATE DATABASE taxdesk")
        self.redis = RedisServer().start()
        self.script("migrate")
        if self.users:
            out = self.script("seed_demo", "--users", str(self.users))
            log(out.strip())
        self.cluster = Cluster(self.var_dir, self.database_url, self.redis_url, **self.cluster_args)
        self.cluster.start(timeout=180)
        log(f"stack ready in {time.monotonic() - started:.0f}s: {self.url} "
            f"({self.cluster_args['web_workers']} web workers, {self.cluster_args['tax_workers']} tax workers)")
        return self

    def script(self, name: str, *args: str) -> str:
        result = subprocess.run([sys.executable, str(ROOT / "scripts" / name), *args], env=self.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"scripts/{name} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def sql(self, query: str) -> list[list[str]]:
        """Rows of a query as lists of text (psql -At)."""
        assert self.pg is not None
        out = self.pg.psql(query, database="taxdesk")
        return [line.split("|") for line in out.splitlines() if line]

    def sessions(self, count: int, first: int = 1) -> list[dict[str, Any]]:
        """Signed-in sessions of demo users first..first+count-1 (see bench/sessions.py)."""
        result = subprocess.run([sys.executable, str(ROOT / "bench" / "sessions.py"), str(count), str(first)],
                                env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"bench/sessions.py failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout)

    def ready(self) -> dict[str, Any]:
        status, _headers, body = http_get(self.url + "health/ready", timeout=10)
        return {"status": status, **json.loads(body)}

    @classmethod
    def attach(cls, name: str = "bench-hold") -> Stack:
        """The stack `python bench/harness.py` keeps up, for running one benchmark against it by hand."""
        info = json.loads((ROOT / "var" / name / "stack.json").read_text())
        stack = cls(users=0, name=name)
        stack.pg = PostgresServer.__new__(PostgresServer)
        stack.pg.__dict__.update(root=Path(info["pg_root"]), data=Path(info["pg_root"]) / "data",
                                 port=info["pg_port"], as_root=os.geteuid() == 0)
        stack.redis = RedisServer.__new__(RedisServer)
        stack.redis.__dict__.update(root=None, port=info["redis_port"], appendonly=True, proc=None)
        stack.cluster = Cluster.__new__(Cluster)
        stack.cluster.__dict__.update(var_dir=stack.var_dir, port=info["port"], web_port=info["web_port"],
                                      realtime_ports=[], env=stack.env, programs=[])
        return stack

    def detach(self) -> None:
        self.cluster = self.redis = self.pg = None

    def stop(self) -> None:
        if self.cluster is not None:
            leftovers = self.cluster.stop()
            if leftovers:
                log(f"warning: killed {len(leftovers)} processes left after ctl stop")
            self.cluster = None
        if self.redis is not None:
            self.redis.destroy()
            self.redis = None
        if self.pg is not None:
            self.pg.destroy()
            self.pg = None

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    """`python bench/harness.py [USERS]`: start a seeded stack and keep it up until Ctrl-C / SIGTERM
    (for profiling by hand); prints the URL and the environment to reach it."""
    import signal

    users = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with Stack(users=users, name="bench-hold") as stack:
        info = {"url": stack.url, "port": stack.cluster.port, "web_port": stack.cluster.web_port,
                "pg_root": str(stack.pg.root), "pg_port": stack.pg.port, "redis_port": stack.redis.port,
                "DATABASE_URL": stack.database_url, "REDIS_URL": stack.redis_url}
        (stack.var_dir / "stack.json").write_text(json.dumps(info))
        print(json.dumps(info), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
