"""Redis stops while users are signed in: sessions, login throttling and the API keep working."""
from __future__ import annotations

import time

from tests.conftest import PASSWORD, Api


def test_a_signed_in_user_stays_signed_in_while_redis_is_down(api, redis_outage):
    assert api.get("/api/v1/auth/me").status_code == 200
    redis_outage.begin()
    for _ in range(3):
        r = api.get("/api/v1/auth/me")
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["user"]["email"] == "asha@example.com"
    redis_outage.end()
    assert api.get("/api/v1/auth/me").status_code == 200


def test_requests_do_not_pay_a_connect_timeout_each_while_the_breaker_is_open(api, redis_outage):
    redis_outage.begin()
    api.get("/api/v1/auth/me")
    start = time.perf_counter()
    for _ in range(20):
        assert api.get("/api/v1/auth/me").status_code == 200
    assert (time.perf_counter() - start) / 20 < 0.25


def test_signing_in_and_out_works_while_redis_is_down(client, make_user, redis_outage):
    make_user("asha@example.com")
    redis_outage.begin()
    api = Api(client)
    api.login("asha@example.com")
    assert api.get("/api/v1/auth/me").status_code == 200
    assert api.post("/api/v1/auth/logout").status_code == 200
    assert api.get("/api/v1/auth/me").status_code == 401


def test_a_session_started_during_the_outage_survives_redis_coming_back(client, make_user, redis_outage):
    make_user("asha@example.com")
    redis_outage.begin()
    api = Api(client)
    api.login("asha@example.com")
    redis_outage.end()
    assert api.get("/api/v1/auth/me").status_code == 200


def test_a_logout_during_the_outage_is_not_undone_when_redis_returns(api, redis_outage):
    cookie = api.client.get_cookie("taxdesk_session").value
    redis_outage.begin()
    assert api.post("/api/v1/auth/logout").status_code == 200
    redis_outage.end()
    api.client.set_cookie("taxdesk_session", cookie)
    assert api.get("/api/v1/auth/me").status_code == 401


def test_login_throttling_still_answers_429_while_redis_is_down(client, make_user, redis_outage):
    make_user("asha@example.com")
    redis_outage.begin()
    api = Api(client)
    codes = [api.post("/api/v1/auth/login", json={"email": "asha@example.com", "password": "wrong"}).status_code
             for _ in range(6)]
    assert codes[:4] == [401] * 4 and codes[4:] == [429, 429]
    r = api.post("/api/v1/auth/login", json={"email": "asha@example.com", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0


def test_health_reports_redis_down_and_recovers_without_restart(client, redis_outage):
    redis_outage.begin()
    body = client.get("/health/ready").get_json()
    assert body["redis"]["connected"] is False and "redis" in body["down"]
    redis_outage.end()
    body = client.get("/health/ready").get_json()
    assert body["redis"]["connected"] is True and body["down"] == []
