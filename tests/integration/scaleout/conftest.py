"""Real PgBouncer, a real streaming replica and a real Redis Sentinel set, on free 127.0.0.1 ports."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import PostgresServer, RedisServer, _pg_bin, free_port, wait_for_port


@pytest.fixture(scope="session")
def pgbouncer_url(pg_server: PostgresServer, database_url: str) -> Iterator[str]:
    """PgBouncer (transaction pooling, deploy/pgbouncer.ini) in front of the test database."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    root = Path(tempfile.mkdtemp(prefix="taxdesk-pgbouncer-"))
    port = free_port()
    text = (Path(__file__).resolve().parents[3] / "deploy" / "pgbouncer.ini").read_text()
    for key, value in {"LISTEN_ADDR": "127.0.0.1", "PG_HOST": "127.0.0.1", "PG_PORT": str(pg_server.port),
                       "DIR": str(root), "AUTH_TYPE": "trust"}.items():
        text = text.replace(f"@{key}@", value)
    text = text.replace("listen_port = 6432", f"listen_port = {port}")
    (root / "pgbouncer.ini").write_text(text)
    (root / "userlist.txt").write_text('"postgres" ""\n')
    as_root = pg_server.as_root
    if as_root:  # pgbouncer refuses to run as root
        for path in (root, root / "pgbouncer.ini", root / "userlist.txt"):
            shutil.chown(path, "postgres", "postgres")
    argv = [binary, str(root / "pgbouncer.ini")]
    proc = subprocess.Popen(["runuser", "-u", "postgres", "--", *argv] if as_root else argv,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    yield database_url.replace(f":{pg_server.port}/", f":{port}/")
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(root, ignore_errors=True)


class Replica:
    """A streaming replica of the test cluster (pg_basebackup -R), on its own port."""

    def __init__(self, primary: PostgresServer) -> None:
        self.primary = primary
        self.server = PostgresServer()
        self.port = self.server.port

    def start(self) -> Replica:
        self.server._run(_pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
                         "-D", str(self.server.data), "-R", "-X", "stream")
        with open(self.server.data / "postgresql.conf", "a") as f:
            f.write(f"port = {self.port}\nunix_socket_directories = '{self.server.root}'\nhot_standby = on\n")
        self.server.start()
        return self

    def url(self, database: str) -> str:
        return self.server.url(database)

    def stop(self) -> None:
        self.server.stop()

    def destroy(self) -> None:
        self.server.destroy()


@pytest.fixture(scope="session")
def replica(pg_server: PostgresServer, database_url: str) -> Iterator[Replica]:
    server = Replica(pg_server).start()
    yield server
    server.destroy()


class SentinelSet:
    """A Redis master, its replica and one sentinel (quorum 1) that fails over after 500 ms."""

    def __init__(self) -> None:
        self.master = RedisServer().start()
        self.replica = RedisServer()
        self.root = Path(tempfile.mkdtemp(prefix="taxdesk-sentinel-"))
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> SentinelSet:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.replica.start()
        subprocess.run(["redis-cli", "-p", str(self.replica.port), "REPLICAOF", "127.0.0.1", str(self.master.port)],
                       check=True, capture_output=True)
        text = (Path(__file__).resolve().parents[3] / "deploy" / "sentinel.conf").read_text()
        for key, value in {"BIND": "127.0.0.1", "DIR": str(self.root), "MASTER_HOST": "127.0.0.1",
                           "MASTER_PORT": str(self.master.port)}.items():
            text = text.replace(f"@{key}@", value)
        text = text.replace("port 26379", f"port {self.port}").replace("taxdesk 127.0.0.1 " + str(self.master.port) + " 2",
                                                                        "taxdesk 127.0.0.1 " + str(self.master.port) + " 1")
        text = text.replace("down-after-milliseconds taxdesk 2000", "down-after-milliseconds taxdesk 500")
        (self.root / "sentinel.conf").write_text(text)
        self.proc = subprocess.Popen([binary, str(self.root / "sentinel.conf"), "--sentinel"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)
        return self

    def destroy(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
        self.master.destroy()
        self.replica.destroy()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def sentinel_set() -> Iterator[SentinelSet]:
    s = SentinelSet().start()
    yield s
    s.destroy()
