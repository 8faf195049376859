"""PostgreSQL stops: fast 503 with Retry-After, readiness names it, service resumes by itself."""
from __future__ import annotations

import time

from tests.conftest import wait_for


def test_database_down_answers_503_with_retry_after_in_under_two_seconds(api, database_outage):
    assert api.get("/api/v1/filings").status_code == 200
    database_outage.begin()
    start = time.perf_counter()
    r = api.get("/api/v1/filings")
    elapsed = time.perf_counter() - start
    assert r.status_code == 503
    assert int(r.headers["Retry-After"]) > 0
    assert r.get_json()["error"]["code"] == "database_unavailable"
    assert elapsed < 2.0
    page = api.client.get("/settings")
    assert page.status_code == 503 and b"request id" in page.data
    assert api.get("/api/v1/auth/me").status_code == 200  # the signed-in user comes from the cache


def test_a_user_not_in_the_cache_gets_503_not_a_sign_out(api, database_outage, redis_url):
    import redis

    api.get("/api/v1/auth/me")
    redis.Redis.from_url(redis_url).delete(*redis.Redis.from_url(redis_url).keys("cache:user:*"))
    database_outage.begin()
    assert api.get("/api/v1/auth/me").status_code == 503
    database_outage.end()
    wait_for(lambda: api.get("/api/v1/auth/me").status_code == 200, 15, 0.2, "service to resume, still signed in")


def test_readiness_names_the_database_and_liveness_stays_up(client, database_outage):
    database_outage.begin()
    ready = client.get("/health/ready")
    assert ready.status_code == 503 and "database" in ready.get_json()["down"]
    assert client.get("/health").status_code == 200


def test_service_resumes_when_the_database_returns(api, database_outage):
    database_outage.begin()
    assert api.get("/api/v1/filings").status_code == 503
    database_outage.end()
    wait_for(lambda: api.get("/api/v1/filings").status_code == 200, 15, 0.2, "service to resume")
