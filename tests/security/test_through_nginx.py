"""The real cluster behind nginx: no versions on the wire, strict headers and cookie flags, and
Socket.IO that refuses strangers, lets nobody into another user's room and catches up only on
one's own data."""
from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import socketio

from tests.conftest import PASSWORD, wait_for
from tests.support.cluster import Cluster, http_get

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("sec-cluster") / "var", database_url, redis_url, web_workers=2,
                realtime_ports=1, env={"SECURE_COOKIES": "true"}).start()
    try:
        yield c
    finally:
        leftovers = c.stop()
    assert leftovers == []


def _session_cookie(headers: dict[str, str]) -> str:
    return re.search(r"taxdesk_session=([^;]+)", headers["set-cookie"]).group(1)


def sign_in(cluster: Cluster, email: str) -> tuple[str, str, dict[str, str]]:
    """(session cookie, CSRF token, the login response's headers) for a user, through nginx."""
    status, headers, body = http_get(cluster.url + "api/v1/auth/csrf")
    assert status == 200
    cookie, token = _session_cookie(headers), json.loads(body)["csrf_token"]
    status, headers, body = http_get(
        cluster.url + "api/v1/auth/login", method="POST", body=json.dumps({"email": email, "password": PASSWORD}).encode(),
        headers={"Cookie": f"taxdesk_session={cookie}", "X-CSRFToken": token, "Content-Type": "application/json"})
    assert status == 200, body
    return _session_cookie(headers), json.loads(body)["csrf_token"], headers


def test_no_response_names_the_server_software_or_its_version(cluster):
    paths = ["", "login", "health", "static/app.css", "static/no-such-file.css", "no-such-page", "api/v1/no-such",
             "socket.io/?EIO=4&transport=polling", "admin/rq/"]
    for path in paths:
        status, headers, body = http_get(cluster.url + path)
        assert headers.get("server", "nginx") == "nginx", (path, headers.get("server"))
        assert "x-powered-by" not in headers
        assert not re.search(rb"nginx/\d|gunicorn|werkzeug|python/\d", body, re.I), (path, body[:200])
    status, headers, body = http_get(cluster.url + "api/v1/documents", method="POST", body=b"x" * (40 * 1024 * 1024),
                                     headers={"Content-Type": "application/octet-stream"}, timeout=30)
    assert status == 413 and headers.get("server") == "nginx"
    assert not re.search(rb"nginx/\d", body)


def test_pages_through_nginx_carry_a_strict_policy_and_no_hsts_over_plain_http(cluster):
    for path in ("login", "register", "password/forgot", "no-such-page"):
        status, headers, _ = http_get(cluster.url + path)
        csp = headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in headers


def test_the_session_cookie_is_secure_http_only_and_same_site_in_production_settings(cluster, make_user):
    make_user("asha@example.com")
    _, _, headers = sign_in(cluster, "asha@example.com")
    cookie = re.search(r"taxdesk_session=.*?(?=, [A-Za-z_]+=|$)", headers["set-cookie"]).group(0)
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= flags, cookie


class Socket:
    def __init__(self, cluster: Cluster, cookie: str | None) -> None:
        self.events: list[tuple[str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", lambda event, data=None: self.events.append((event, data)))
        headers = {"Cookie": f"taxdesk_session={cookie}"} if cookie else {}
        self.client.connect(cluster.url.rstrip("/"), headers=headers, transports=["websocket"], wait_timeout=10)

    def got(self, event: str, match) -> bool:
        return any(e == event and match(d) for e, d in list(self.events))

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


def test_a_socket_without_a_real_signed_in_session_is_refused(cluster, make_user):
    make_user("asha@example.com")
    for cookie in (None, "forged-session-id", "A" * 43):
        with pytest.raises(socketio.exceptions.ConnectionError):
            Socket(cluster, cookie)
    cookie, token, _ = sign_in(cluster, "asha@example.com")
    http_get(cluster.url + "api/v1/auth/logout", method="POST",
             headers={"Cookie": f"taxdesk_session={cookie}", "X-CSRFToken": token})
    with pytest.raises(socketio.exceptions.ConnectionError):
        Socket(cluster, cookie)


def test_nobody_joins_another_users_room_or_catches_up_on_their_data(cluster, make_user):
    from app.extensions import db
    from app.services.notify import notify

    victim_id = make_user("asha@example.com").id
    mallory_id = make_user("mallory@example.com").id
    notify(db.session, victim_id, "info", "Asha's private notice", email=False)
    victim = Socket(cluster, sign_in(cluster, "asha@example.com")[0])
    mallory = Socket(cluster, sign_in(cluster, "mallory@example.com")[0])
    try:
        for event in ("join", "join_room", "enter_room", "subscribe", "room"):
            for payload in (f"user:{victim_id}", {"room": f"user:{victim_id}"}, {"room": "admin"}):
                with contextlib.suppress(socketio.exceptions.SocketIOError):
                    mallory.client.emit(event, payload)
        caught = mallory.client.call("catch_up", {"since": "2000-01-01T00:00:00Z"}, timeout=10)
        assert "Asha's private notice" not in json.dumps(caught)
        assert "Asha's private notice" in json.dumps(victim.client.call("catch_up", {"since": None}, timeout=10))
        for bad in ({"since": {"$gt": ""}}, {"since": "x" * 10_000}, ["user", victim_id], None):
            assert "Asha's private notice" not in json.dumps(mallory.client.call("catch_up", bad, timeout=10))
        fresh = notify(db.session, victim_id, "info", "Asha's second notice", email=False)
        wait_for(lambda: victim.got("notification.created", lambda d: d.get("id") == fresh.id), 10,
                 message="the victim's own event")
        # Mallory's own event, sent after the victim's, is the barrier: once it arrived, the other would have.
        barrier = notify(db.session, mallory_id, "info", "barrier", email=False)
        wait_for(lambda: mallory.got("notification.created", lambda d: d.get("id") == barrier.id), 10,
                 message="mallory's own event")
        assert not mallory.got("notification.created", lambda d: "Asha" in json.dumps(d))
    finally:
        victim.close()
        mallory.close()
