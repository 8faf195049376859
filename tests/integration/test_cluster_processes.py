"""The process cluster as an operator drives it: scripts/ctl start/status/scale/reload/stop, nginx
in front of web and realtime, supervisord restarting what dies, nothing left behind on stop.

One cluster (2 web workers, 2 realtime instances, 1 tax and 1 OCR worker) serves the module; it
runs against the session's private PostgreSQL and Redis.
"""
from __future__ import annotations

import base64
import http.client
import importlib.machinery
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cluster import ROOT, Cluster, http_get, wait_for
from tests.support.servers import free_port

pytestmark = pytest.mark.slow


def load_ctl():
    """scripts/ctl as a module (it has no .py suffix), for its pure functions."""
    name = "taxdesk_ctl"
    if name in sys.modules:
        return sys.modules[name]
    loader = importlib.machinery.SourceFileLoader(name, str(ROOT / "scripts" / "ctl"))
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cluster(database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("cluster") / "var", database_url, redis_url).start()
    try:
        wait_for(lambda: set(c.states().values()) == {"RUNNING"}, 60, "every program RUNNING")
        yield c
    finally:
        leftovers = c.stop()
    assert leftovers == [], f"processes left after scripts/ctl stop: {leftovers}"


def children(pid: int) -> set[int]:
    ctl = load_ctl()
    return set(ctl.descendants(pid))


# -- pure pieces --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("workers", "depth", "oldest_wait", "idle_for", "expected"),
    [
        (2, 0, None, 0, 2),  # nothing queued, just went idle: keep
        (2, 4, 0.5, 0, 2),  # two per worker, fresh: keep
        (2, 5, 0.5, 0, 3),  # more than two per worker: up
        (2, 1, 2.5, 0, 3),  # oldest job waited over 2 s: up by one
        (2, 20, 9.0, 0, 6),  # far behind: enough for two jobs each, capped at max
        (3, 0, None, 59, 3),  # empty, but not for long enough
        (3, 0, None, 60, 2),  # empty for a minute: down by one
        (1, 0, None, 600, 1),  # never below min
        (0, 0, None, 0, 1),  # below min: up to min
        (8, 0, None, 0, 6),  # above max: down to max
    ],
)
def test_autoscale_rule(workers: int, depth: int, oldest_wait: float | None, idle_for: float, expected: int) -> None:
    assert load_ctl().decide_workers(workers, depth, oldest_wait, idle_for, 1, 6) == expected


def test_autoscale_rule_rejects_bad_bounds() -> None:
    with pytest.raises(ValueError):
        load_ctl().decide_workers(1, 0, None, 0, 3, 2)


def test_templates_expand_sections_and_refuse_unknown_names() -> None:
    ctl = load_ctl()
    template = (
        "[program:a-$i]\n;@foreach i in IDS\ncommand=run $i on $HOST with $$literal and $nginx_var\n\n"
        "[program:redis]\n;@if MANAGE\ncommand=redis\n\n"
    )
    text = ctl.fill(template, {"HOST": "h", "MANAGE": "false"}, {"IDS": ["0", "1"]})
    assert "[program:a-0]\ncommand=run 0 on h with $literal and $nginx_var" in text
    assert "[program:a-1]\ncommand=run 1 on h" in text
    assert "redis" not in text and ";@" not in text
    assert "[program:redis]" in ctl.fill(template, {"HOST": "h", "MANAGE": "true"}, {"IDS": []})
    with pytest.raises(ctl.CtlError, match=r"\$PORT"):
        ctl.fill("listen $PORT;", {})


def test_render_writes_configs_that_nginx_accepts(tmp_path: Path) -> None:
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "REALTIME_PORTS": "9101,9102,9103",
           "TAX_WORKERS": "3", "OCR_WORKERS": "0", "REDIS_URL": ""}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "ctl"), "render"], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    var = tmp_path / "var"
    assert {p.name for p in var.iterdir()} >= {"run", "log", "redis", "uploads", "mail", "tmp", "nginx.conf",
                                              "supervisord.conf"}
    conf = (var / "supervisord.conf").read_text()
    for name in ("[program:redis]", "[program:realtime-9103]", "[program:worker-tax-2]", "[program:scheduler]"):
        assert name in conf
    assert "[program:worker-ocr-" not in conf
    assert "--control-socket " + str(var / "run" / "rt-9101.ctl") in conf
    nginx = (var / "nginx.conf").read_text()
    assert "server 127.0.0.1:9102" in nginx and "ip_hash;" in nginx and "least_conn;" in nginx
    check = subprocess.run(["nginx", "-t", "-q", "-p", f"{var}/", "-c", str(var / "nginx.conf")],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def test_status_without_a_cluster_or_redis(tmp_path: Path) -> None:
    env = {**os.environ, "VAR_DIR": str(tmp_path), "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "ctl"), "status"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 3, result.stderr
    assert "not running" in result.stdout
    assert "redis: unreachable" in result.stdout


# -- the running cluster ------------------------------------------------------------------------


def test_nginx_fronts_web_and_realtime(cluster: Cluster) -> None:
    status, headers, body = http_get(cluster.url + "health")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    assert headers["server"] == "nginx"  # server_tokens off: no version
    assert len(headers["x-request-id"]) >= 16 and "," not in headers["x-request-id"]

    status, headers, _ = http_get(cluster.url + "health", headers={"X-Request-Id": "req-cluster-1"})
    assert headers["x-request-id"] == "req-cluster-1"

    status, _, body = http_get(cluster.url + "socket.io/?EIO=4&transport=polling")
    assert status == 200 and body.startswith(b"0{")

    status, headers, _ = http_get(cluster.url + "static/app.css", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert headers["cache-control"] == "public, max-age=600"
    status, headers, _ = http_get(cluster.url + "static/app.css?v=0123456789ab")
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"


def test_websocket_upgrade_passes_through_nginx(cluster: Cluster) -> None:
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", cluster.port), timeout=10) as sock:
        sock.sendall(
            (
                "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{cluster.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = sock.recv(4096).decode(errors="replace")
    assert head.startswith("HTTP/1.1 101"), head


def test_nginx_refuses_bodies_over_25_mb(cluster: Cluster) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=10)
    try:
        conn.putrequest("POST", "/api/v1/documents")
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Content-Length", str(26 * 1024 * 1024))
        conn.endheaders()
        assert conn.getresponse().status == 413
    finally:
        conn.close()


def test_status_shows_every_program_and_the_queues(cluster: Cluster) -> None:
    result = cluster.ctl("status")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for program in cluster.programs:
        assert any(line.split()[:2] == [program, "RUNNING"] for line in lines if line.strip()), result.stdout
    assert any(line.split()[:1] == ["tax"] for line in lines), result.stdout

    data = json.loads(cluster.ctl("status", "--json").stdout)
    assert data["running"] is True and data["redis"] == "ok"
    rows = {r["name"]: r for r in data["processes"]}
    assert set(rows) == set(cluster.programs)
    assert rows["web"]["processes"] == 3  # master + WEB_WORKERS=2, counted together
    assert all(r["pid"] and r["rss"] > 0 for r in rows.values())
    assert {"tax", "ocr", "documents"} <= set(data["queues"])


def test_a_killed_program_is_restarted_and_counted(cluster: Cluster) -> None:
    def restarts() -> int:
        data = json.loads(cluster.ctl("status", "--json").stdout)
        return {r["name"]: r["restarts"] for r in data["processes"]}["relay"]

    before = restarts()
    old = cluster.kill("relay", signal.SIGKILL)
    wait_for(lambda: cluster.states().get("relay") == "RUNNING" and cluster.pid("relay") != old, 30,
             "relay to be restarted")
    assert restarts() == before + 1


def test_scale_adds_and_removes_only_the_named_workers(cluster: Cluster) -> None:
    keep = {name: cluster.pid(name) for name in ("worker-tax-0", "worker-ocr-0", "web")}
    result = cluster.ctl("scale", "worker-tax", "3")
    assert result.returncode == 0, result.stderr
    wait_for(lambda: all(cluster.states().get(f"worker-tax-{i}") == "RUNNING" for i in range(3)), 30,
             "three tax workers")
    assert {name: cluster.pid(name) for name in keep} == keep

    result = cluster.ctl("scale", "worker-tax", "1")
    assert result.returncode == 0, result.stderr
    states = cluster.states()
    assert "worker-tax-1" not in states and "worker-tax-2" not in states
    assert {name: cluster.pid(name) for name in keep} == keep


def test_autoscale_once_reports_a_decision(cluster: Cluster) -> None:
    result = cluster.ctl("autoscale", "--min", "1", "--max", "4", "--once", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "worker-tax: 1 -> 1 (keep" in result.stdout
    assert "worker-ocr: 1 -> 1 (keep" in result.stdout

    result = cluster.ctl("autoscale", "--min", "2", "--max", "4", "--once", "--dry-run", "--program", "worker-ocr")
    assert "worker-ocr: 1 -> 2 (up" in result.stdout
    assert cluster.states().get("worker-ocr-1") is None  # dry run changed nothing


def test_logs_shows_a_programs_output(cluster: Cluster) -> None:
    result = cluster.ctl("logs", "web", "-n", "200", timeout=10)
    assert result.returncode == 0 and "Booting worker" in result.stdout


def test_reload_replaces_every_process_without_dropping_a_request(cluster: Cluster) -> None:
    web_master = cluster.pid("web")
    old_web_workers = children(web_master)
    old = {name: cluster.pid(name) for name in cluster.programs if name not in ("nginx", "web")}
    results: Counter[object] = Counter()
    done = threading.Event()

    def hammer(path: str) -> None:
        deadline = time.monotonic() + 240
        while not done.is_set() and time.monotonic() < deadline:
            try:
                results[http_get(cluster.url + path, timeout=15)[0]] += 1
            except OSError as exc:
                results[type(exc).__name__] += 1
            time.sleep(0.02)  # steady traffic, not a load test

    threads = [threading.Thread(target=hammer, args=(p,)) for p in
               ["health", "health", "socket.io/?EIO=4&transport=polling"]]
    for t in threads:
        t.start()
    try:
        result = cluster.ctl("reload", timeout=240)
    finally:
        done.set()
        for t in threads:
            t.join()
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(results) == {200} and results[200] > 100, results

    assert cluster.pid("web") == web_master  # graceful: same master, new workers
    new_web_workers = children(web_master)
    assert len(new_web_workers) == 2 and not (new_web_workers & old_web_workers)
    assert all(cluster.pid(name) != pid for name, pid in old.items())
    assert set(cluster.states().values()) == {"RUNNING"}


def test_foreground_start_prints_the_url_and_ctrl_c_stops_everything(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    small = Cluster(tmp_path / "var", database_url, redis_url, web_workers=1, realtime_ports=1, tax_workers=1,
                    ocr_workers=0)
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "ctl"), "start"], env=small.env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        wait_for(lambda: any("TaxDesk is up: " + small.url in line for line in lines) or proc.poll() is not None,
                 120, "the URL line")
        assert proc.poll() is None, "".join(lines)
        assert small.ready()
        assert small.processes()
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        assert proc.wait(timeout=90) == 0, "".join(lines)
    finally:
        if proc.poll() is None:
            small.stop()
            proc.kill()
            proc.wait()
        reader.join(timeout=10)
        proc.stdout.close()
    assert small.processes() == []
