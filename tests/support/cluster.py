"""The whole TaxDesk process cluster (supervisord, nginx, web, realtime, workers, scheduler, relay)
started through `scripts/ctl start --daemon` on free ports in a private VAR_DIR.

    cluster = Cluster(tmp / "var", database_url, redis_url).start()
    requests.get(cluster.url + "health")
    cluster.kill("relay", signal.SIGKILL)
    leftovers = cluster.stop()   # [] when every process of the cluster is gone

The cluster uses the given PostgreSQL and Redis (so it never starts its own redis program).
Every process supervisord starts inherits VAR_DIR=<this var_dir>, which is how `stop()` proves
that nothing was left behind.
"""
from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
CTL = ROOT / "scripts" / "ctl"
SUPERVISORCTL = ROOT / ".venv" / "bin" / "supervisorctl"


def http_get(url: str, timeout: float = 5.0, headers: dict[str, str] | None = None,
             method: str = "GET", body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with the stdlib: (status, lower-cased headers, body). Raises OSError when refused."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path or "/", body=body, headers={"Connection": "close", **(headers or {})})
        response = conn.getresponse()
        headers: dict[str, str] = {}
        for key, value in response.getheaders():  # a repeated header reads "a, b", as in requests
            headers[key.lower()] = f"{headers[key.lower()]}, {value}" if key.lower() in headers else value
        return response.status, headers, response.read()
    finally:
        conn.close()


def wait_for(predicate: Callable[[], Any], timeout: float, message: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {message}")
        time.sleep(interval)


def processes_with_env(name: str, value: str) -> list[int]:
    """Pids of live (non-zombie) processes whose environment has name=value."""
    needle = f"{name}={value}".encode() + b"\0"
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes() + b"\0"
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and (b"\0" + needle in b"\0" + environ):
            found.append(int(entry))
    return found


class Cluster:
    def __init__(
        self,
        var_dir: Path,
        database_url: str,
        redis_url: str,
        web_workers: int = 2,
        realtime_ports: int = 2,
        tax_workers: int = 1,
        ocr_workers: int = 1,
        secret_key: str = "cluster-test-secret-key-0123456789abcdef",  # noqa: S107 - test-only key
        env: dict[str, str] | None = None,
    ) -> None:
        self.var_dir = Path(var_dir).resolve()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.web_port = free_port()
        self.realtime_ports = [free_port() for _ in range(realtime_ports)]
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": secret_key,
            "VAR_DIR": str(self.var_dir),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_PORT": str(self.web_port),
            "WEB_WORKERS": str(web_workers),
            "REALTIME_PORTS": ",".join(map(str, self.realtime_ports)),
            "TAX_WORKERS": str(tax_workers),
            "OCR_WORKERS": str(ocr_workers),
            **(env or {}),
        }
        self.programs = (
            ["nginx", "web"]
            + [f"realtime-{p}" for p in self.realtime_ports]
            + [f"worker-tax-{i}" for i in range(tax_workers)]
            + [f"worker-ocr-{i}" for i in range(ocr_workers)]
            + ["scheduler", "relay"]
        )

    # -- addresses ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """nginx, the public entry: http://127.0.0.1:PORT/"""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}/"

    @property
    def realtime_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}/" for p in self.realtime_ports]

    # -- control -----------------------------------------------------------------------------

    def ctl(self, *args: str, timeout: float = 180, check: bool = False) -> subprocess.CompletedProcess[str]:
        """Run scripts/ctl with this cluster's environment."""
        return subprocess.run([sys.executable, str(CTL), *args], env=self.env, cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, check=check)

    def supervisorctl(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SUPERVISORCTL), "-c", str(self.var_dir / "supervisord.conf"), *args],
                              env=self.env, capture_output=True, text=True, timeout=timeout, check=False)

    def states(self) -> dict[str, str]:
        """program -> supervisord state name (RUNNING, STARTING, BACKOFF, ...)."""
        out = self.supervisorctl("status").stdout
        return {line.split()[0]: line.split()[1] for line in out.splitlines() if line.strip()}

    def pid(self, program: str) -> int:
        out = self.supervisorctl("pid", program).stdout.strip()
        pid = int(out) if out.isdigit() else 0
        if pid <= 0:
            raise RuntimeError(f"{program} has no pid: {self.supervisorctl('status', program).stdout.strip()}")
        return pid

    def kill(self, program: str, sig: int = signal.SIGKILL) -> int:
        """Signal a program's main process (supervisord restarts it if it dies); returns the pid."""
        pid = self.pid(program)
        os.kill(pid, sig)
        return pid

    def ready(self) -> bool:
        """nginx answers /health/ready with 200 and every realtime instance answers a handshake."""
        try:
            if http_get(self.url + "health/ready", timeout=5)[0] != 200:
                return False
            return all(http_get(url + "socket.io/?EIO=4&transport=polling", timeout=5)[0] == 200
                       for url in self.realtime_urls)
        except OSError:
            return False

    def log(self, name: str, lines: int = 40) -> str:
        path = self.var_dir / "log" / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def diagnostics(self) -> str:
        parts = [f"$ supervisorctl status\n{self.supervisorctl('status').stdout}"]
        for path in sorted((self.var_dir / "log").glob("*.log")):
            parts.append(f"--- {path.name}\n{self.log(path.stem, 15)}")
        return "\n".join(parts)

    def start(self, timeout: float = 120) -> Cluster:
        """Start everything; return once nginx's /health/ready answers 200."""
        result = self.ctl("start", "--daemon", "--no-wait", timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"ctl start failed:\n{result.stdout}{result.stderr}")
        try:
            wait_for(self.ready, timeout, "the cluster's /health/ready", 0.2)
        except TimeoutError as exc:
            message = f"{exc}\n{self.diagnostics()}"
            self.stop()
            raise RuntimeError(message) from None
        return self

    def processes(self) -> list[int]:
        """Every live process started for this cluster (supervisord and all it runs)."""
        return processes_with_env("VAR_DIR", str(self.var_dir))

    def stop(self, timeout: float = 120) -> list[int]:
        """Stop the cluster; return the pids that had to be killed afterwards ([] when clean)."""
        self.ctl("stop", timeout=timeout + 10)
        try:
            wait_for(lambda: not self.processes(), 10, "the cluster's processes to exit", 0.1)
            return []
        except TimeoutError:
            leftovers = self.processes()
            for pid in leftovers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return leftovers

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
