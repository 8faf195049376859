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
            pg_server.stop("immediate")

        def end(self) -> None:
            if not (pg_server.data / "postmaster.pid").exists():
                pg_server.start()

    outage = Outage()
    yield outage
    outage.end()
