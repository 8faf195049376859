"""The signed-in user comes from a Redis copy of their row, dropped whenever the row changes."""
from __future__ import annotations

import threading
import uuid

import redis
from sqlalchemy import event, select

from app.extensions import db
from app.models import User


def checkouts_during(fn) -> int:
    count = []

    def checkout(*_args):
        count.append(1)

    event.listen(db.engine.pool, "checkout", checkout)
    try:
        fn()
    finally:
        event.remove(db.engine.pool, "checkout", checkout)
    return len(count)


def test_a_signed_in_page_served_from_caches_makes_no_database_round_trip(api):
    assert api.client.get("/").status_code == 200  # fills the user, dashboard and unread-count caches
    responses = []
    assert checkouts_during(lambda: responses.append(api.client.get("/"))) == 0
    assert responses[0].status_code == 200 and b"Asha" in responses[0].data


def commands_from_this_process(redis_url: str, fn) -> list[str]:
    """The commands the test Redis server received from this process's app connections while fn()
    ran, as MONITOR on that server reports them (workers of other tests talk to it too)."""
    from app.extensions import redis_store

    pool = redis_store().client.connection_pool
    ours = {c._sock.getsockname()[1] for c in pool._available_connections if c._sock is not None}
    seen: list[tuple[int, str]] = []
    ready, marker = threading.Event(), f"end-{uuid.uuid4()}"

    def watch() -> None:
        with redis.Redis.from_url(redis_url).monitor() as monitor:
            ready.set()
            for entry in monitor.listen():
                if marker in entry["command"]:
                    return
                seen.append((int(entry["client_port"]), entry["command"].split()[0].upper()))

    watcher = threading.Thread(target=watch)
    watcher.start()
    assert ready.wait(5)
    fn()
    redis.Redis.from_url(redis_url).echo(marker)
    watcher.join(5)
    return [command for port, command in seen if port in ours]


def test_a_signed_in_page_reads_the_session_and_the_users_cache_in_two_redis_commands(api, redis_url):
    api.client.get("/")
    responses = []
    sent = commands_from_this_process(redis_url, lambda: responses.append(api.client.get("/")))
    assert responses[0].status_code == 200
    assert sent == ["GET", "HGETALL"]  # the session, then the user's row, dashboard and unread count


def test_a_change_to_a_return_keeps_the_cached_user_and_a_profile_change_keeps_the_dashboard(api, redis_url, uid):
    r = redis.Redis.from_url(redis_url)
    key = f"cache:user:{uid('asha@example.com')}"
    filing = api.post("/api/v1/filings", json={"assessment_year": "2026-27"}).get_json()
    api.client.get("/")
    assert {b"row", b"filings"} <= set(r.hkeys(key))
    assert api.patch(f"/api/v1/filings/{filing['id']}", json={"regime": "old"}).status_code == 200
    assert set(r.hkeys(key)) & {b"row", b"filings"} == {b"row"}
    assert checkouts_during(lambda: api.get("/api/v1/auth/me")) == 0
    api.client.get("/")
    assert api.client.post("/settings/profile", data={"name": "Asha K", "csrf_token": api.token}).status_code == 302
    assert set(r.hkeys(key)) & {b"row", b"filings"} == {b"filings"}


def test_the_password_hash_never_reaches_redis(api, redis_url, uid):
    api.client.get("/")
    hash_ = db.session.scalar(select(User.password_hash).where(User.id == uid("asha@example.com")))
    r = redis.Redis.from_url(redis_url)
    cached = r.hgetall(f"cache:user:{uid('asha@example.com')}")
    assert cached and all(hash_.encode() not in v for v in cached.values())


def test_a_profile_change_shows_on_the_next_page(api):
    api.client.get("/settings")
    r = api.client.post("/settings/profile", data={"name": "Asha Kumari", "csrf_token": api.token})
    assert r.status_code == 302
    assert b"Asha Kumari" in api.client.get("/").data


def test_a_user_deleted_from_the_database_is_signed_out_at_once(api, uid):
    api.client.get("/")
    db.session.delete(db.session.get(User, uid("asha@example.com")))
    db.session.commit()
    assert api.get("/api/v1/auth/me").status_code == 401


def test_changing_the_password_checks_the_current_one_against_the_database(api, uid):
    from app.auth.service import hasher
    from tests.conftest import PASSWORD

    api.client.get("/settings")
    form = {"current_password": "not the password", "new_password": "a new long passphrase", "csrf_token": api.token}
    api.client.post("/settings/password", data=form)
    stored = db.session.scalar(select(User.password_hash).where(User.id == uid("asha@example.com")))
    assert hasher.verify(stored, PASSWORD)
    api.client.post("/settings/password", data={**form, "current_password": PASSWORD})
    db.session.rollback()
    stored = db.session.scalar(select(User.password_hash).where(User.id == uid("asha@example.com")))
    assert hasher.verify(stored, "a new long passphrase")
