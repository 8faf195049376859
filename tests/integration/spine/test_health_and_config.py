"""Health, metrics, configuration validation and migrations."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, wait_for


def test_liveness_touches_nothing_and_says_ok(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}


def test_readiness_reports_pool_redis_and_queues(client):
    body = client.get("/health/ready").get_json()
    assert body["status"] == "ok"
    assert set(body["database"]) >= {"size", "checked_out", "overflow", "utilisation", "waiting", "connected"}
    assert body["redis"]["connected"] is True and body["redis"]["latency_ms"] >= 0
    assert "tax" in body["queues"]["depth"] and "instance" in body


def test_metrics_expose_latency_histograms_per_route_and_pool_gauges(client):
    client.get("/login")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'method="GET",route="/login",status="200"' in text and "taxdesk_request_seconds_bucket" in text
    assert 'taxdesk_db_pool{stat="utilisation"}' in text
    assert 'taxdesk_queue_depth{queue="tax"}' in text


def test_metrics_show_the_resident_memory_of_live_workers_only(client, worker, redis_url):
    import redis

    redis.Redis.from_url(redis_url).hset("taxdesk:worker-rss", "ghost", "123456789 1000")  # stopped beating long ago

    def worker_rss():
        text = client.get("/metrics").get_data(as_text=True)
        return re.findall(r'^taxdesk_worker_rss_bytes\{worker="([^"]+)"\} (\S+)$', text, re.M)

    reported = wait_for(worker_rss, 15, 0.2, "a worker's heartbeat")
    assert "ghost" not in dict(reported)
    assert all(20 * 2**20 < float(rss) < 2**30 for _, rss in reported), reported


@pytest.mark.parametrize(("name", "value", "message"), [
    ("DB_POOL_SIZE", "lots", "DB_POOL_SIZE must be an integer"),
    ("DATABASE_URL", "mysql://x", "DATABASE_URL must start with"),
    ("SECURE_COOKIES", "maybe", "SECURE_COOKIES must be true or false"),
    ("SECRET_KEY", "short", "SECRET_KEY must be set"),
])
def test_a_malformed_setting_stops_start_up_with_one_line_naming_it(name, value, message, tmp_path):
    env = {**os.environ, "SECRET_KEY": "k" * 40, "VAR_DIR": str(tmp_path), name: value}
    result = subprocess.run([sys.executable, "-c", "from app import create_app; create_app()"], env=env,
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert message in last and name in last


def test_the_schema_migrates_down_to_empty_and_back_up(pg_server):
    pg_server.psql("CREATE DATABASE migrate_roundtrip")
    env = {**os.environ, "DATABASE_URL": pg_server.url("migrate_roundtrip")}
    script = str(ROOT / "scripts" / "migrate")

    def migrate(*args: str) -> str:
        result = subprocess.run([sys.executable, script, *args], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "base -> 0004" in migrate()
    assert "0004 -> base" in migrate("--down", "base")
    tables = pg_server.psql("SELECT count(*) FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'",
                            "migrate_roundtrip")
    assert int(tables) == 0
    assert "pending ['0001', '0002', '0003', '0004']" in migrate("--dry-run")
    assert "base -> 0004" in migrate()
    assert models_differ_from(pg_server.url("migrate_roundtrip")) == []


def models_differ_from(database_url: str) -> list:
    """What alembic's autogenerate would still write: the models and the migrations must agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from app.models import Base

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()


def test_concurrent_migrations_from_several_hosts_serialise_on_the_lock(pg_server):
    pg_server.psql("CREATE DATABASE migrate_race")
    env = {**os.environ, "DATABASE_URL": pg_server.url("migrate_race")}
    procs = [subprocess.Popen([sys.executable, str(ROOT / "scripts" / "migrate")], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), results


def test_migrate_fails_clearly_when_the_database_is_unreachable():
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "migrate")], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("migrate: cannot reach the database")


def test_importing_the_package_builds_nothing():
    code = "import sys, app; print('flask' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    assert out == "False False"
