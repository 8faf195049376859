"""What runs on each simulated host, started with `ip netns exec` from the deploy/ templates.

data   PostgreSQL (as the postgres OS user) on :5432, PgBouncer on :6432, Redis master on :6379, sentinel
data2  Redis replica, sentinel
appN   the whole TaxDesk cluster (`scripts/ctl start --daemon`): nginx :8080, web, realtime, workers, relay
lb     nginx balancer (deploy/balancer.nginx.conf) on :80, sentinel
load   locust and the Socket.IO clients
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from . import netns

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SECRET_KEY = "cluster-test-secret-key-shared-by-every-app-host-0123456789"
PG_PORT = 5432
PGBOUNCER_PORT = 6432
REDIS_PORT = 6379
SENTINEL_PORT = 26379
APP_PORT = 8080
LB_PORT = 80


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else name


def render(template: str, values: dict[str, str]) -> str:
    text = (DEPLOY / template).read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    assert "@" not in "".join(line for line in text.splitlines() if not line.lstrip().startswith((";", "#"))), template
    return text


def run_in(host: str, argv: list[str], check: bool = True, timeout: float = 120, env: dict[str, str] | None = None,
           ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(netns.exec_argv(host, argv), capture_output=True, text=True, timeout=timeout,
                            env=env, cwd=ROOT)
    if check and result.returncode != 0:
        raise RuntimeError(f"{host}: {' '.join(argv[:3])} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result


def spawn(host: str, argv: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        return subprocess.Popen(netns.exec_argv(host, argv), stdout=out, stderr=subprocess.STDOUT, env=env,
                                cwd=ROOT, start_new_session=True)


def wait_port(host: str, address: str, port: int, timeout: float = 60.0) -> None:
    """Wait until `address:port` accepts a connection, probed from inside `host`'s namespace."""
    probe = (f"import socket,sys,time\nend=time.monotonic()+{timeout}\n"
             f"while time.monotonic()<end:\n"
             f"    try:\n        socket.create_connection(('{address}',{port}),0.5).close();sys.exit(0)\n"
             f"    except OSError: time.sleep(0.1)\nsys.exit(1)\n")
    if run_in(host, [sys.executable, "-c", probe], check=False, timeout=timeout + 10).returncode != 0:
        raise TimeoutError(f"{address}:{port} not reachable from {host} within {timeout:.0f}s")


def redis_cli(host: str, address: str, port: int, *args: str, check: bool = True) -> str:
    return run_in(host, ["redis-cli", "-h", address, "-p", str(port), *args], check=check, timeout=20).stdout.strip()


class DataHost:
    """PostgreSQL + PgBouncer + Redis (+ sentinel) on one namespace."""

    def __init__(self, net: netns.Network, work: Path) -> None:
        self.net = net
        self.addr = net.address("data")
        self.dir = work / "data"
        self.pg_dir = self.dir / "pg"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.redis: subprocess.Popen[bytes] | None = None

    @property
    def direct_url(self) -> str:
        return f"postgresql+psycopg://taxdesk@{self.addr}:{PG_PORT}/taxdesk"

    @property
    def bouncer_url(self) -> str:
        return f"postgresql+psycopg://taxdesk@{self.addr}:{PGBOUNCER_PORT}/taxdesk"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.addr}:{REDIS_PORT}/0"

    def _pg(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_in("data", ["runuser", "-u", "postgres", "--", *argv], check=check)

    def start_postgres(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dir.chmod(0o755)
        self.pg_dir.mkdir(exist_ok=True)
        shutil.chown(self.pg_dir, "postgres", "postgres")
        self.pg_dir.chmod(0o700)
        data = self.pg_dir / "data"
        self._pg(pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        with open(data / "postgresql.conf", "a") as f:
            f.write(f"port = {PG_PORT}\nlisten_addresses = '127.0.0.1,{self.addr}'\n"
                    f"unix_socket_directories = '{self.pg_dir}'\nmax_connections = 200\nshared_buffers = 256MB\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        with open(data / "pg_hba.conf", "a") as f:
            f.write(f"host all all {netns.NETWORK} trust\n")
        self._pg(pg_bin("pg_ctl"), "-D", str(data), "-l", str(self.pg_dir / "log"), "-w", "-t", "60", "start")
        psql = [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-Atc"]
        self._pg(*psql, "CREATE ROLE taxdesk LOGIN")
        self._pg(*psql, "CREATE DATABASE taxdesk OWNER taxdesk")

    def migrate_and_seed(self, users: int) -> str:
        env = {**os.environ, "DATABASE_URL": self.direct_url, "SECRET_KEY": SECRET_KEY,
               "VAR_DIR": str(self.dir / "var")}
        run_in("data", [PYTHON, "scripts/migrate"], env=env, timeout=300)
        return run_in("data", [PYTHON, "scripts/seed_demo", "--users", str(users)], env=env, timeout=600).stdout.strip()

    def start_pgbouncer(self) -> None:
        bdir = self.dir / "pgbouncer"
        bdir.mkdir(parents=True, exist_ok=True)
        (bdir / "userlist.txt").write_text('"taxdesk" ""\n"postgres" ""\n')
        (bdir / "pgbouncer.ini").write_text(render("pgbouncer.ini", {
            "LISTEN_ADDR": f"{self.addr},127.0.0.1", "PG_HOST": "127.0.0.1", "PG_PORT": str(PG_PORT),
            "DIR": str(bdir), "AUTH_TYPE": "trust"}))
        shutil.chown(bdir, "postgres", "postgres")
        for child in bdir.iterdir():
            shutil.chown(child, "postgres", "postgres")
        self.procs.append(spawn("data", ["runuser", "-u", "postgres", "--", "pgbouncer", str(bdir / "pgbouncer.ini")],
                                bdir / "stdout.log"))
        wait_port("data", self.addr, PGBOUNCER_PORT)

    def start_redis(self) -> None:
        rdir = self.dir / "redis"
        rdir.mkdir(parents=True, exist_ok=True)
        self.redis = spawn("data", redis_argv(self.addr, rdir), rdir / "redis.log")
        wait_port("data", self.addr, REDIS_PORT)

    def kill_redis(self) -> None:
        if self.redis is not None:
            os.killpg(self.redis.pid, signal.SIGKILL)
            self.redis.wait(10)


def redis_argv(bind: str, workdir: Path, replica_of: str | None = None) -> list[str]:
    argv = ["redis-server", "--port", str(REDIS_PORT), "--bind", f"{bind} 127.0.0.1", "--protected-mode", "no",
            "--dir", str(workdir), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
            "--daemonize", "no"]
    if replica_of:
        argv += ["--replicaof", replica_of, str(REDIS_PORT)]
    return argv


def start_redis_replica(net: netns.Network, work: Path, master: str) -> subprocess.Popen[bytes]:
    rdir = work / "data2" / "redis"
    rdir.mkdir(parents=True, exist_ok=True)
    proc = spawn("data2", redis_argv(net.address("data2"), rdir, master), rdir / "redis.log")
    wait_port("data2", net.address("data2"), REDIS_PORT)
    return proc


def start_sentinel(net: netns.Network, host: str, work: Path, master: str) -> subprocess.Popen[bytes]:
    sdir = work / host / "sentinel"
    sdir.mkdir(parents=True, exist_ok=True)
    conf = sdir / "sentinel.conf"
    conf.write_text(render("sentinel.conf", {"BIND": f"{net.address(host)} 127.0.0.1", "DIR": str(sdir),
                                             "MASTER_HOST": master, "MASTER_PORT": str(REDIS_PORT)}))
    proc = spawn(host, ["redis-server", str(conf), "--sentinel"], sdir / "sentinel.log")
    wait_port(host, net.address(host), SENTINEL_PORT)
    return proc


class AppHost:
    """One app host: the real process cluster, started and stopped by scripts/ctl in its namespace."""

    def __init__(self, name: str, net: netns.Network, work: Path, env: dict[str, str]) -> None:
        self.name = name
        self.addr = net.address(name)
        self.var = work / name / "var"
        self.env = {**os.environ, **env, "VAR_DIR": str(self.var), "HOST": self.addr, "PORT": str(APP_PORT),
                    "INSTANCE": name}

    def ctl(self, *args: str, timeout: float = 240, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_in(self.name, [PYTHON, "scripts/ctl", *args], env=self.env, timeout=timeout, check=check)

    def start(self) -> None:
        self.var.mkdir(parents=True, exist_ok=True)
        self.ctl("start", "--daemon", "--timeout", "180")

    def stop(self) -> None:
        self.ctl("stop", "--timeout", "60", check=False)

    def reload(self) -> subprocess.CompletedProcess[str]:
        return self.ctl("reload", timeout=300)

    def kill(self) -> int:
        """SIGKILL every process on the host: supervisord, nginx, web, realtime, workers, relay."""
        return netns.kill_all(netns.ns_name(self.name))

    def ready(self) -> bool:
        probe = (f"import http.client,sys\nc=http.client.HTTPConnection('{self.addr}',{APP_PORT},timeout=3)\n"
                 "try:\n    c.request('GET','/health/ready');sys.exit(0 if c.getresponse().status==200 else 1)\n"
                 "except OSError: sys.exit(1)\n")
        return run_in(self.name, [sys.executable, "-c", probe], check=False, timeout=10).returncode == 0

    def wait_ready(self, timeout: float = 120) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.ready():
                return time.monotonic() - started
            time.sleep(0.5)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f}s")


class Balancer:
    def __init__(self, net: netns.Network, work: Path) -> None:
        self.addr = net.address("lb")
        self.dir = work / "lb"
        self.conf = self.dir / "nginx.conf"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.addr}:{LB_PORT}"

    def write(self, app_addrs: list[str], down: tuple[str, ...] = ()) -> None:
        def servers(extra: str) -> str:
            return "\n".join(f"        server {a}:{APP_PORT} {extra}{' down' if a in down else ''};" for a in app_addrs)

        for sub in ("run", "log", "tmp"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        self.conf.write_text(render("balancer.nginx.conf", {
            "LISTEN": f"{self.addr}:{LB_PORT}",
            "WEB_SERVERS": servers("max_fails=2 fail_timeout=5s"),
            "SOCKET_SERVERS": servers("max_fails=1 fail_timeout=5s"),
        }))

    def start(self, app_addrs: list[str]) -> None:
        self.write(app_addrs)
        self.proc = spawn("lb", ["nginx", "-p", f"{self.dir}/", "-c", str(self.conf), "-g", "daemon off;"],
                          self.dir / "log" / "nginx.out")
        wait_port("lb", self.addr, LB_PORT)

    def set_upstreams(self, app_addrs: list[str], down: tuple[str, ...] = ()) -> None:
        """Rewrite the upstream lists and reload gracefully (in-flight requests finish)."""
        self.write(app_addrs, down)
        run_in("lb", ["nginx", "-p", f"{self.dir}/", "-c", str(self.conf), "-s", "reload"])
        time.sleep(1.0)  # nginx starts new workers and retires the old ones asynchronously

    def access_log(self) -> list[dict[str, object]]:
        path = self.dir / "log" / "access.log"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


def free_local_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
