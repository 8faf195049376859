"""Sessions ended and cached rows changed while Redis is down stay ended and changed once it returns,
on the real process cluster, even when the web worker that made the change is gone by then."""
from __future__ import annotations

import requests

from app.auth.service import hasher
from app.models import User
from tests.conftest import PASSWORD, wait_for


def _signed_in(base: str, email: str) -> requests.Session:
    http = requests.Session()
    http.headers["X-CSRFToken"] = http.get(base + "/api/v1/auth/csrf", timeout=10).json()["csrf_token"]
    r = http.post(base + "/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
    assert r.status_code == 200, r.text
    http.headers["X-CSRFToken"] = r.json()["csrf_token"]
    return http


def test_a_user_disabled_or_demoted_while_redis_is_down_is_so_everywhere_once_it_returns(isolated, redis_server):
    cluster, sessions = isolated
    base = cluster.url.rstrip("/")
    with sessions() as session:
        people = {email: User(email=email, name=email.split("@")[0], password_hash=hasher.hash(PASSWORD), role="admin")
                  for email in ("root@example.com", "deputy@example.com", "asha@example.com")}
        people["asha@example.com"].role = "taxpayer"
        session.add_all(people.values())
        session.commit()
        ids = {email: user.id for email, user in people.items()}
    root, deputy, asha = (_signed_in(base, email) for email in people)
    # Each user's row is now cached in Redis and each session is in Redis.
    assert asha.get(base + "/api/v1/auth/me", timeout=10).status_code == 200
    assert deputy.get(base + "/api/v1/admin/users", timeout=10).status_code == 200

    redis_server.stop()
    try:
        for email, change in (("asha@example.com", {"is_active": False}), ("deputy@example.com", {"role": "taxpayer"})):
            r = root.patch(f"{base}/api/v1/admin/users/{ids[email]}", json=change, timeout=10)
            assert r.status_code == 200, r.text
        # Every web worker that saw the change is replaced before Redis returns (a reload, or
        # max_requests recycling them): nothing the change left in a process's memory survives.
        assert "web: started" in cluster.supervisorctl("restart", "web").stdout
    finally:
        redis_server.start()
    wait_for(cluster.ready, 30, message="the cluster to see Redis again")

    wait_for(lambda: asha.get(base + "/api/v1/auth/me", timeout=10).status_code == 401, 10,
             message="the disabled user's session to end")
    wait_for(lambda: deputy.get(base + "/api/v1/admin/users", timeout=10).status_code == 404, 10,
             message="the demoted admin to lose the admin API")
    assert deputy.get(base + "/api/v1/auth/me", timeout=10).json()["user"]["role"] == "taxpayer"
