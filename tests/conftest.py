"""Fixtures: private PostgreSQL and Redis servers, the app bound to them, users and signed-in clients.

Servers start lazily (pure unit tests start none) and live for the session; every test that uses
the app starts from empty tables and an empty Redis.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import PostgresServer, RedisServer

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer().init()
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def database_url(pg_server: PostgresServer) -> str:
    pg_server.psql("CREATE DATABASE taxdesk")
    url = pg_server.url("taxdesk")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "migrate")], env={**os.environ, "DATABASE_URL": url},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return url


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def app_env(database_url: str, redis_url: str, var_dir: Path) -> dict[str, str]:
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "VAR_DIR": str(var_dir),
        "REDIS_BREAKER_SECONDS": "1",
        "INSTANCE": "test",
    }
    os.environ.update(env)
    return env


@pytest.fixture(scope="session")
def app(app_env: dict[str, str]):
    from app import create_app

    application = create_app()
    application.config["TESTING"] = True
    return application


@pytest.fixture
def clean_state(app, pg_server: PostgresServer, redis_server: RedisServer) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from app.extensions import db
    from app.models import Base

    db.session.remove()
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    # A job the session's worker is still finishing can hold a lock TRUNCATE needs: a deadlock
    # is resolved by PostgreSQL in our favour or theirs, so try again a few times.
    for attempt in range(5):
        try:
            with db.engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '5s'"))
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            break
        except OperationalError:
            if attempt == 4:
                raise
    import redis

    redis.Redis.from_url(redis_server.url).flushall()


@pytest.fixture
def client(app, clean_state):
    with app.test_client() as c:
        yield c


class Api:
    """A test client that speaks the JSON API with the CSRF header, like the browser's fetch."""

    def __init__(self, client) -> None:
        self.client = client
        self.token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]

    def _call(self, method: str, url: str, **kwargs):
        headers = {"X-CSRFToken": self.token, **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url: str, **kw):
        return self._call("GET", url, **kw)

    def post(self, url: str, json=None, **kw):
        return self._call("POST", url, json=json, **kw)

    def patch(self, url: str, json=None, **kw):
        return self._call("PATCH", url, json=json, **kw)

    def delete(self, url: str, **kw):
        return self._call("DELETE", url, **kw)

    def login(self, email: str, password: str = PASSWORD):
        r = self.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.get_json()
        self.token = r.get_json()["csrf_token"]
        return r


@pytest.fixture
def make_user(app, clean_state):
    """make_user(email, role="taxpayer", name=...) -> User, created directly in the database."""
    from app.auth.service import hasher
    from app.extensions import db
    from app.models import User

    hashed = hasher.hash(PASSWORD)

    def make(email: str = "asha@example.com", role: str = "taxpayer", name: str | None = None) -> User:
        user = User(email=email, name=name or email.split("@")[0].title(), password_hash=hashed, role=role)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def api_for(app, clean_state, make_user):
    """api_for(email, role=...) -> Api signed in as a new user (each its own cookie jar)."""
    clients = []

    def make(email: str, role: str = "taxpayer") -> Api:
        make_user(email, role)
        c = app.test_client()
        clients.append(c)
        api = Api(c)
        api.login(email)
        api.user_email = email
        return api

    yield make


@pytest.fixture
def api(api_for) -> Api:
    return api_for("asha@example.com")


@pytest.fixture
def other_api(api_for) -> Api:
    return api_for("ravi@example.com")


class Process:
    """A child process of ours (an RQ worker, the relay) with its output kept for failures."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.args, self.log_path = args, log_path
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(args, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT,
                                     cwd=ROOT, start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 20) -> None:
        import signal

        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def start_process(app_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory):
    """start_process(*argv) -> Process running `python argv...` with the app's environment; stopped at the end."""
    started: list[Process] = []
    logs = tmp_path_factory.mktemp("proc-logs")

    def start(*argv: str, env: dict[str, str] | None = None) -> Process:
        p = Process([sys.executable, *argv], {**app_env, "OMP_THREAD_LIMIT": "1", **(env or {})},
                    logs / f"{len(started)}-{argv[1] if len(argv) > 1 else argv[0]}.log")
        started.append(p)
        return p

    yield start
    for p in started:
        p.stop()


@pytest.fixture(scope="session")
def worker(start_process) -> Process:
    """One RQ worker on every queue, for the whole session."""
    return start_process("-m", "jobs.worker", "tax", "ocr", "documents", "mail", "default", "maintenance",
                         "--with-scheduler")


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05, message: str = "condition"):
    """Poll until predicate() is truthy; return its value or fail after `timeout` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture
def wait_job(app):
    """wait_job(job_id) -> the finished or failed `jobs` row (fresh from the database)."""
    from app.extensions import db
    from app.models import Job

    def wait(job_id: str, timeout: float = 60.0) -> Job:
        def done():
            db.session.rollback()
            job = db.session.get(Job, job_id, populate_existing=True)
            return job if job is not None and job.status in ("finished", "failed") else None

        return wait_for(done, timeout, 0.1, f"job {job_id}")

    return wait
