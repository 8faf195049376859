"""User-scoped GETs carry an ETag and answer 304 when nothing changed."""
from __future__ import annotations


def test_an_unchanged_user_page_answers_304_to_if_none_match(api):
    first = api.get("/api/v1/auth/me")
    assert first.headers["Cache-Control"] == "private, no-cache"
    etag = first.headers["ETag"]
    again = api.get("/api/v1/auth/me", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_a_changed_page_gets_a_new_etag(api):
    etag = api.get("/settings").headers["ETag"]
    token = api.client.get("/settings").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    api.client.post("/settings/profile", data={"name": "Asha Rao", "csrf_token": token})
    changed = api.get("/settings", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
