"""Real-time events across two Socket.IO instances: who may connect, who hears what, how fast."""
from __future__ import annotations

import time
from datetime import datetime

import pytest
import socketio

from app.extensions import db
from app.services import jobs
from app.services.notify import notify
from tests.conftest import wait_for
from tests.integration.jobs.sample_jobs import counts

FUNC = "tests.integration.jobs.sample_jobs.record"
LATENCIES: list[float] = []


def _user_id(api) -> int:
    return api.get("/api/v1/auth/me").get_json()["user"]["id"]


def _submit(user_id: int, marker: str, seconds: float = 0.0):
    job, _ = jobs.submit_and_enqueue(db.session, kind="compute", queue="tax", func=FUNC, args=[marker, seconds],
                                     user_id=user_id)
    return job


def _for(job_id):
    return lambda data: isinstance(data, dict) and data.get("job_id") == job_id


def test_a_socket_without_a_signed_in_session_is_refused(realtime_urls, listen):
    for url in realtime_urls:
        with pytest.raises(socketio.exceptions.ConnectionError):
            listen(url, None)
        stranger = listen(url, None, connect=False)
        stranger.cookie = "forged-session-id"
        with pytest.raises(socketio.exceptions.ConnectionError):
            stranger.connect()


def test_a_signed_out_session_cannot_open_a_socket(realtime_urls, listen, api):
    cookie = api.client.get_cookie("taxdesk_session").value
    api.post("/api/v1/auth/logout")
    late = listen(realtime_urls[0], None, connect=False)
    late.cookie = cookie
    with pytest.raises(socketio.exceptions.ConnectionError):
        late.connect()


def test_my_finished_job_reaches_me_on_both_instances_within_a_second_and_nobody_else(
    realtime_urls, listen, api, other_api, worker, wait_job,
):
    mine_a, mine_b = listen(realtime_urls[0], api), listen(realtime_urls[1], api)
    theirs = listen(realtime_urls[0], other_api)
    theirs_b = listen(realtime_urls[1], other_api)
    job = _submit(_user_id(api), "mine", seconds=0.5)
    finished_at = wait_job(job.id).finished_at.timestamp()
    for socket in (mine_a, mine_b):
        arrived, data = socket.wait_event("job.completed", _for(job.id), timeout=5)
        LATENCIES.append(arrived - finished_at)
        assert arrived - finished_at < 1.0, f"delivered after {arrived - finished_at:.3f}s"
        assert (data["status"], data["result"]) == ("finished", {"marker": "mine"})
        assert socket.got("job.progress", _for(job.id))
    # Their own job is a barrier: once it has reached them, mine would have too.
    barrier = _submit(_user_id(other_api), "theirs")
    for socket in (theirs, theirs_b):
        socket.wait_event("job.completed", _for(barrier.id))
        assert not socket.got("job.completed", _for(job.id))
        assert not socket.got("job.progress", _for(job.id))
    print(f"\njob.completed delivery latency (s): {', '.join(f'{x:.3f}' for x in LATENCIES)}")


def test_the_long_polling_transport_delivers_too(realtime_urls, listen, api, worker):
    polling = listen(realtime_urls[1], api, transports=("polling",))
    assert polling.client.transport() == "polling"
    job = _submit(_user_id(api), "polled")
    polling.wait_event("job.completed", _for(job.id))


def test_clients_cannot_put_themselves_in_someone_elses_room(realtime_urls, listen, api, other_api, worker):
    snoop = listen(realtime_urls[0], api)
    victim_id = _user_id(other_api)
    for event in ("join", "join_room", "enter_room"):
        snoop.client.emit(event, {"room": f"user:{victim_id}"})
    notify(db.session, victim_id, "test", "Private to Ravi", email=False)
    barrier = _submit(_user_id(api), "barrier")
    snoop.wait_event("job.completed", _for(barrier.id))
    assert not snoop.got("notification.created")


def test_a_notification_reaches_its_owner_live(realtime_urls, listen, api):
    socket = listen(realtime_urls[1], api)
    note = notify(db.session, _user_id(api), "test", "Your Form 16 was read", email=False)
    _, data = socket.wait_event("notification.created", lambda d: d["id"] == note.id)
    assert (data["title"], data["read"]) == ("Your Form 16 was read", False)


def test_an_admin_announcement_reaches_every_signed_in_client_on_every_instance(
    realtime_urls, listen, api_for,
):
    admin = api_for("admin@example.com", role="admin")
    sockets = [listen(realtime_urls[0], api_for("asha@example.com")), listen(realtime_urls[1], api_for("ravi@example.com")),
               listen(realtime_urls[1], admin)]
    r = admin.post("/api/v1/admin/announcements", json={"title": "Due date extended", "body": "To 15 September."})
    note_id = r.get_json()["id"]
    for socket in sockets:
        _, data = socket.wait_event("notification.created", lambda d: d["id"] == note_id)
        assert data["platform"] is True


def test_a_client_that_missed_its_job_catches_up_from_the_database_after_reconnecting(
    realtime_urls, listen, api, worker, wait_job,
):
    socket = listen(realtime_urls[0], api)
    reply = socket.client.call("catch_up", {"since": None}, timeout=10)
    since = reply["now"]
    socket.close()
    job = _submit(_user_id(api), "while-away")
    wait_job(job.id)
    note = notify(db.session, _user_id(api), "test", "Missed while away", email=False)
    again = listen(realtime_urls[1], api)
    reply = again.client.call("catch_up", {"since": since}, timeout=10)
    assert [(j["job_id"], j["status"], j["result"]) for j in reply["jobs"]] == [(job.id, "finished", {"marker": "while-away"})]
    missed = {n["id"]: n for n in reply["notifications"]}
    assert missed[note.id]["title"] == "Missed while away"
    assert all(n["job_id"] == job.id for i, n in missed.items() if i != note.id)
    assert reply["unread"] >= 1
    assert datetime.fromisoformat(reply["now"]) > datetime.fromisoformat(since)


def test_catch_up_only_returns_my_own_rows(realtime_urls, listen, api, other_api, worker, wait_job):
    job = _submit(_user_id(other_api), "theirs")
    wait_job(job.id)
    notify(db.session, _user_id(other_api), "test", "Theirs", email=False)
    reply = listen(realtime_urls[0], api).client.call("catch_up", {"since": "2000-01-01T00:00:00Z"}, timeout=10)
    assert (reply["jobs"], reply["notifications"], reply["unread"]) == ([], [], 0)


def test_a_revoked_session_loses_its_socket_at_once(realtime_urls, listen, api, app):
    from app.auth.service import current_session_key  # noqa: F401  (same hash as the settings page)
    from app.services import sessions

    cookie = api.client.get_cookie("taxdesk_session").value
    sockets = [listen(url, api) for url in realtime_urls]
    started = time.monotonic()
    assert sessions.revoke(_user_id(api), sessions.session_hash(cookie))
    for socket in sockets:
        wait_for(lambda s=socket: not s.connected, 5, message="revoked socket to close")
    assert time.monotonic() - started < 2


def test_signing_out_closes_the_sessions_sockets(realtime_urls, listen, api):
    socket = listen(realtime_urls[1], api)
    api.post("/api/v1/auth/logout")
    wait_for(lambda: not socket.connected, 10, message="signed-out socket to close")


def test_a_job_row_is_counted_once_even_with_sockets_everywhere(realtime_urls, listen, api, worker, wait_job):
    listen(realtime_urls[0], api)
    job = _submit(_user_id(api), "once")
    wait_job(job.id)
    assert counts(job.id) == (1, 1)
