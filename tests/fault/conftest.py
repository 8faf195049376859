from __future__ import annotations

import pytest


@pytest.fixture
def redis_outage(redis_server):
    """Stop the private Redis for the test body; it is always started again afterwards."""
    from app.extensions import redis_store
    from tests.conftest import wait_for

    class Outage:
        def begin(self) -> None:
            redis_server.stop()

        def end(self) -> None:
            if redis_server.proc is None or redis_server.proc.poll() is not None:
                redis_server.start()
            wait_for(lambda: not redis_store().is_open, 10, message="redis breaker to close")

    outage = Outage()
    yield outage
    outage.end()


@pytest.fixture
def database_outage(pg_server):
    class Outage:
        def begin(self) -> None:
            # The test server runs synchronous_commit=off, so a crash could drop the last commits (the
            # test's own user) that a production server keeps: flush the WAL first, then crash it.
            pg_server.psql("CHECKPOINT")
            pg_server.stop("immediate")

        def end(self) -> None:
            if not (pg_server.data / "postmaster.pid").exists():
                pg_server.start()

    outage = Outage()
    yield outage
    outage.end()


# --- An isolated TaxDesk cluster (own database, own Redis db) for tests that kill its processes ---

@pytest.fixture(scope="module")
def isolated(pg_server, redis_server, app_env, tmp_path_factory):
    """The whole process cluster on a database and Redis db of its own, so killing its workers never
    touches the session's `worker`. Yields (cluster, Session factory bound to its database)."""
    import os
    import subprocess
    import sys
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from tests.conftest import ROOT
    from tests.support.cluster import Cluster

    name = f"taxdesk_{uuid.uuid4().hex[:8]}"
    pg_server.psql(f"CREATE DATABASE {name}")
    url = pg_server.url(name)
    migrated = subprocess.run([sys.executable, str(ROOT / "scripts" / "migrate")], env={**os.environ, "DATABASE_URL": url},
                              capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr
    redis_url = redis_server.url.rsplit("/", 1)[0] + "/1"
    cluster = Cluster(tmp_path_factory.mktemp("cluster") / "var", url, redis_url, web_workers=2, realtime_ports=2,
                      tax_workers=2, ocr_workers=0, env={"REDIS_BREAKER_SECONDS": "1"}).start()
    engine = create_engine(url)
    try:
        yield cluster, sessionmaker(engine, expire_on_commit=False)
    finally:
        engine.dispose()
        cluster.stop()
