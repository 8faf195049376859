"""Notifications: a keyset-paginated list, read / read all, the header's unread count, announcements."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Job, Notification, User
from app.services.notify import notify


def _user(email: str) -> User:
    from sqlalchemy import select

    return db.session.scalar(select(User).where(User.email == email))


def _notes(email: str, count: int) -> list[int]:
    user = _user(email)
    return [notify(db.session, user.id, "test", f"Note {i}", f"Body {i}", email=False).id for i in range(count)]


def test_my_notifications_come_newest_first_one_page_at_a_time(api):
    ids = _notes("asha@example.com", 25)
    first = api.get("/api/v1/notifications?limit=10").get_json()
    assert [n["id"] for n in first["items"]] == ids[::-1][:10]
    second = api.get(f"/api/v1/notifications?limit=10&before={first['next_before']}").get_json()
    assert [n["id"] for n in second["items"]] == ids[::-1][10:20]
    last = api.get(f"/api/v1/notifications?limit=10&before={second['next_before']}").get_json()
    assert [n["id"] for n in last["items"]] == ids[::-1][20:]
    assert last["next_before"] is None


def test_a_page_is_never_larger_than_the_maximum(api):
    _notes("asha@example.com", 60)
    assert len(api.get("/api/v1/notifications?limit=1000").get_json()["items"]) == 50


def test_a_malformed_cursor_is_a_clear_400(api):
    r = api.get("/api/v1/notifications?before=abc")
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "invalid_parameter"


def test_marking_one_read_lowers_my_unread_count(api):
    ids = _notes("asha@example.com", 3)
    assert api.get("/api/v1/notifications/unread-count").get_json() == {"unread": 3}
    r = api.post(f"/api/v1/notifications/{ids[0]}/read")
    assert r.get_json() == {"unread": 2}
    assert api.get("/api/v1/notifications/unread-count").get_json() == {"unread": 2}
    items = api.get("/api/v1/notifications").get_json()["items"]
    assert {n["id"]: n["read"] for n in items} == {ids[0]: True, ids[1]: False, ids[2]: False}


def test_mark_all_read_clears_my_count_but_not_someone_elses(api, other_api):
    _notes("asha@example.com", 3)
    _notes("ravi@example.com", 2)
    assert api.post("/api/v1/notifications/read-all").get_json() == {"unread": 0}
    assert api.get("/api/v1/notifications/unread-count").get_json() == {"unread": 0}
    assert other_api.get("/api/v1/notifications/unread-count").get_json() == {"unread": 2}


def test_another_user_cannot_see_or_mark_my_notification(api, other_api):
    (mine,) = _notes("asha@example.com", 1)
    assert other_api.post(f"/api/v1/notifications/{mine}/read").status_code == 404
    assert other_api.get("/api/v1/notifications").get_json()["items"] == []
    assert other_api.post(f"/notifications/{mine}/read", data={"csrf_token": other_api.token}).status_code == 404
    assert api.get("/api/v1/notifications/unread-count").get_json() == {"unread": 1}


def test_signed_out_visitors_get_401_from_the_notifications_api(client):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.get("/api/v1/notifications/unread-count").status_code == 401


def test_an_announcement_reaches_everyone_and_each_reads_it_for_themselves(api_for):
    admin = api_for("admin@example.com", role="admin")
    asha, ravi = api_for("asha@example.com"), api_for("ravi@example.com")
    r = admin.post("/api/v1/admin/announcements", json={"title": "Filing season is open", "body": "ITR-1 for AY 2026-27."})
    assert r.status_code == 201, r.get_json()
    note_id = r.get_json()["id"]
    for who in (asha, ravi):
        items = who.get("/api/v1/notifications").get_json()["items"]
        assert [(n["id"], n["platform"], n["read"]) for n in items] == [(note_id, True, False)]
        assert who.get("/api/v1/notifications/unread-count").get_json() == {"unread": 1}
    asha.post(f"/api/v1/notifications/{note_id}/read")
    assert asha.get("/api/v1/notifications/unread-count").get_json() == {"unread": 0}
    assert ravi.get("/api/v1/notifications/unread-count").get_json() == {"unread": 1}
    ravi.post("/api/v1/notifications/read-all")
    assert ravi.get("/api/v1/notifications").get_json()["items"][0]["read"] is True
    assert db.session.get(Notification, note_id).user_id is None


@pytest.mark.parametrize("role", ["taxpayer", "preparer"])
def test_only_admins_can_announce_others_get_404(api_for, role):
    someone = api_for(f"{role}@example.com", role=role)
    r = someone.post("/api/v1/admin/announcements", json={"title": "Hello", "body": ""})
    assert r.status_code == 404
    assert db.session.query(Notification).count() == 0


def test_an_announcement_without_a_title_is_refused_with_a_message_next_to_the_field(api_for):
    admin = api_for("admin@example.com", role="admin")
    r = admin.post("/api/v1/admin/announcements", json={"title": " ", "body": "x", "link": "https://evil.example"})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"title", "link"}


def test_the_header_shows_my_unread_count_and_the_page_lists_my_notifications(api):
    _notes("asha@example.com", 2)
    page = api.get("/notifications").get_data(as_text=True)
    assert '<span id="unread-count">2</span>' in page
    assert "Note 1" in page and "Note 0" in page
    assert 'src="/static/realtime.js' in page


def test_marking_read_from_the_page_updates_the_badge(api):
    ids = _notes("asha@example.com", 2)
    r = api.post(f"/notifications/{ids[1]}/read", data={"csrf_token": api.token})
    assert r.status_code == 302
    assert '<span id="unread-count">1</span>' in api.get("/notifications").get_data(as_text=True)
    api.post("/notifications/read-all", data={"csrf_token": api.token})
    page = api.get("/notifications").get_data(as_text=True)
    assert 'id="unread-badge" hidden' in page


def test_the_notifications_page_pages_with_an_older_link(api):
    ids = _notes("asha@example.com", 25)
    page = api.get("/notifications").get_data(as_text=True)
    assert f"/notifications?before={ids[5]}" in page
    older = api.get(f"/notifications?before={ids[5]}").get_data(as_text=True)
    assert "Note 4" in older and "Note 5" not in older


def test_a_job_done_notification_is_emailed_only_to_users_who_want_email(api, other_api):
    asha, ravi = _user("asha@example.com"), _user("ravi@example.com")
    ravi.email_notifications = False
    db.session.commit()
    for user in (asha, ravi):
        job = Job(id=f"job-{user.id}", user_id=user.id, kind="compute", queue="tax", status="finished")
        db.session.add(job)
        db.session.commit()
        notify(db.session, user.id, "job.finished", "Your tax computation is ready", "Old regime saves ₹12,000.",
               job_id=job.id)
    mails = db.session.query(Job).filter(Job.kind == "email").all()
    assert [(m.user_id, m.queue) for m in mails] == [(asha.id, "mail")]


def test_the_header_badge_counts_an_announcement_made_after_the_count_was_cached(api_for):
    admin = api_for("admin@example.com", role="admin")
    asha = api_for("asha@example.com")
    assert 'id="unread-badge" hidden' in asha.get("/notifications").get_data(as_text=True)  # 0 is cached
    admin.post("/api/v1/admin/announcements", json={"title": "Filing season is open", "body": ""})
    assert '<span id="unread-count">1</span>' in asha.get("/notifications").get_data(as_text=True)


def test_a_cached_unread_count_older_than_its_age_limit_is_counted_again(api, redis_url):
    import json
    import time

    import redis

    from app.notifications.service import UNREAD_CACHE_SECONDS

    _notes("asha@example.com", 2)
    api.get("/notifications")
    stale = {"at": time.time() - UNREAD_CACHE_SECONDS - 1, "v": 7}
    redis.Redis.from_url(redis_url).hset(f"cache:user:{_user('asha@example.com').id}", "unread", json.dumps(stale))
    assert '<span id="unread-count">2</span>' in api.get("/notifications").get_data(as_text=True)
