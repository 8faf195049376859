"""Admin: find users, change roles, disable accounts (which signs them out), queues and failed-job retry."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

ADMIN_PAGES = ("/admin", "/admin/users", "/admin/queues", "/admin/announcements")


def test_disabling_a_user_signs_them_out_everywhere(admin, api, api_for, uid):
    from app.extensions import db
    from app.models import AuditLog, UserSession

    assert api.get("/api/v1/tickets").status_code == 200
    r = admin.patch(f"/api/v1/admin/users/{uid('asha@example.com')}", json={"is_active": False})
    assert r.status_code == 200 and r.get_json()["is_active"] is False
    assert api.get("/api/v1/tickets").status_code == 401
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(UserSession)
                             .where(UserSession.user_id == uid("asha@example.com"))) == 0
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "admin.user_updated"))
    assert entry.before == {"role": "taxpayer", "is_active": True} and entry.after["is_active"] is False

    admin.patch(f"/api/v1/admin/users/{uid('asha@example.com')}", json={"is_active": True})
    assert api.get("/api/v1/tickets").status_code == 401  # the old session is gone for good
    api.token = api.client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    api.login("asha@example.com")
    assert api.get("/api/v1/tickets").status_code == 200


def test_an_admin_makes_someone_a_preparer(admin, api, uid):
    assert api.client.get("/tickets/queue").status_code == 404
    r = admin.patch(f"/api/v1/admin/users/{uid('asha@example.com')}", json={"role": "preparer"})
    assert r.get_json()["role"] == "preparer"
    assert api.client.get("/tickets/queue").status_code == 200


def test_bad_changes_and_changes_to_myself_are_refused(admin, api, uid):
    me = uid("admin@example.com")
    r = admin.patch(f"/api/v1/admin/users/{me}", json={"is_active": False})
    assert r.status_code == 422 and "is_active" in r.get_json()["error"]["fields"]
    r = admin.patch(f"/api/v1/admin/users/{me}", json={"role": "taxpayer"})
    assert r.status_code == 422 and "role" in r.get_json()["error"]["fields"]
    r = admin.patch(f"/api/v1/admin/users/{uid('asha@example.com')}", json={"role": "root", "is_active": "no"})
    assert set(r.get_json()["error"]["fields"]) == {"role", "is_active"}
    r = admin.patch(f"/api/v1/admin/users/{uid('asha@example.com')}", json={"email": "x@example.com"})
    assert r.get_json()["error"]["code"] == "unknown_field"
    assert admin.patch("/api/v1/admin/users/99999", json={"role": "preparer"}).status_code == 404


def test_user_search_matches_email_or_name_one_page_at_a_time(admin, make_user):
    for i in range(5):
        make_user(f"team{i}@example.com", name=f"Member {i}")
    make_user("solo@example.com", name="Teamwork Fan")
    make_user("odd_one@example.com", name="Odd")
    first = admin.get("/api/v1/admin/users?q=TEAM&limit=4").get_json()
    assert [u["email"] for u in first["items"]] == [f"team{i}@example.com" for i in range(4)]
    rest = admin.get(f"/api/v1/admin/users?q=team&limit=4&after={first['next_after']}").get_json()
    assert [u["email"] for u in rest["items"]] == ["team4@example.com", "solo@example.com"]
    assert rest["next_after"] is None
    assert [u["email"] for u in admin.get("/api/v1/admin/users?q=d_o").get_json()["items"]] == ["odd_one@example.com"]
    assert admin.get("/api/v1/admin/users?q=%25").get_json()["items"] == []
    page = admin.client.get("/admin/users?q=member")
    assert page.status_code == 200 and b"team3@example.com" in page.data and b"solo@example.com" not in page.data


def test_the_users_page_form_changes_role_and_status(admin, api, uid):
    r = admin.post(f"/admin/users/{uid('asha@example.com')}", data={"role": "preparer", "is_active": "false"})
    assert r.status_code == 302
    assert api.get("/api/v1/tickets").status_code == 401
    user = admin.get("/api/v1/admin/users?q=asha").get_json()["items"][0]
    assert (user["role"], user["is_active"]) == ("preparer", False)
    r = admin.post(f"/admin/users/{uid('admin@example.com')}", data={"role": "admin", "is_active": "false"})
    assert r.status_code == 302
    assert b"cannot demote or disable your own account" in admin.client.get(r.headers["Location"]).data


def _failed_mail_job(user_id: int, redis_url: str) -> str:
    """A mail job as it is after its last attempt failed: the row failed, its outbox row handed
    over, and RQ still holding the job's hash."""
    import redis
    from rq.job import Job as RQJob

    from app.extensions import db
    from app.models import Outbox
    from app.services import jobs

    job, _ = jobs.submit(db.session, kind="email", queue="mail", func="jobs.mail.deliver",
                         args=["job_done", user_id, "Your tax is computed."], user_id=user_id)
    job.status, job.error, job.attempts, job.finished_at = "failed", "gave up", 3, datetime.now(UTC)
    db.session.flush()
    db.session.execute(Outbox.__table__.update().where(Outbox.job_id == job.id).values(enqueued_at=datetime.now(UTC)))
    db.session.commit()
    conn = redis.Redis.from_url(redis_url)
    RQJob.create("jobs.mail.deliver", args=["job_done", user_id, "x"], id=job.id, connection=conn, origin="mail").save()
    assert RQJob.exists(job.id, connection=conn)
    conn.close()
    return job.id


def test_retrying_a_failed_job_runs_it_again(admin, api, uid, worker, wait_job, redis_url):
    job_id = _failed_mail_job(uid("asha@example.com"), redis_url)
    page = admin.client.get("/admin/queues")
    assert page.status_code == 200 and job_id.encode() in page.data and b"/admin/rq/" in page.data
    assert [j["job_id"] for j in admin.get("/api/v1/admin/jobs").get_json()["items"]] == [job_id]

    r = admin.post(f"/api/v1/admin/jobs/{job_id}/retry")
    assert r.status_code == 202 and r.get_json()["status"] == "queued"
    job = wait_job(job_id)
    assert job.status == "finished" and job.attempts == 1 and job.result["sent"] is True
    assert admin.post(f"/api/v1/admin/jobs/{job_id}/retry").status_code == 409
    assert admin.post("/api/v1/admin/jobs/no-such-job/retry").status_code == 404


def test_the_retry_button_on_the_queues_page_requeues(admin, api, uid, redis_url):
    from app.extensions import db
    from app.models import Job, Outbox

    job_id = _failed_mail_job(uid("asha@example.com"), redis_url)
    r = admin.post(f"/admin/jobs/{job_id}/retry")
    assert r.status_code == 302
    db.session.rollback()
    assert db.session.get(Job, job_id).status in ("queued", "started", "finished")
    assert db.session.scalar(select(Outbox.enqueued_at).where(Outbox.job_id == job_id)) is not None


def test_the_queues_page_shows_depths_per_queue(admin):
    page = admin.client.get("/admin/queues")
    assert page.status_code == 200
    for name in ("tax", "ocr", "documents", "mail", "maintenance"):
        assert f'data-queue="{name}"'.encode() in page.data


def test_the_announcements_page_posts_to_the_announcements_api(admin):
    page = admin.client.get("/admin/announcements")
    assert page.status_code == 200
    assert b'data-endpoint="/api/v1/admin/announcements"' in page.data and b"admin.js" in page.data
    r = admin.post("/api/v1/admin/announcements", json={"title": "Filing season is open", "body": "", "link": "/filings"})
    assert r.status_code == 201


def test_everyone_but_admins_gets_404_on_admin_pages_and_api(api, api_for, uid):
    preparer = api_for("priya@example.com", role="preparer")
    target = uid("priya@example.com")
    for someone in (api, preparer):
        for path in ADMIN_PAGES:
            assert someone.client.get(path).status_code == 404, path
        assert someone.post(f"/admin/users/{target}", data={"role": "admin", "is_active": "true"}).status_code == 404
        assert someone.post("/admin/jobs/x/retry").status_code == 404
        assert someone.get("/api/v1/admin/users").status_code == 404
        assert someone.get("/api/v1/admin/jobs").status_code == 404
        assert someone.patch(f"/api/v1/admin/users/{target}", json={"role": "admin"}).status_code == 404
        assert someone.post("/api/v1/admin/jobs/x/retry").status_code == 404


def test_the_nav_shows_admin_only_to_admins(admin, api):
    assert re.search(rb'href="/admin/users"[^>]*>Admin<', admin.client.get("/tickets").data)
    page = api.client.get("/tickets").data
    assert re.search(rb'href="/tickets"[^>]*>Tickets<', page) and re.search(rb'href="/invoices"[^>]*>Invoices<', page)
    assert b">Admin<" not in page


def test_failed_jobs_are_listed_most_recent_first_one_page_at_a_time(admin, uid, redis_url):
    from urllib.parse import quote

    ids = [_failed_mail_job(uid("admin@example.com"), redis_url) for _ in range(3)]
    first = admin.get("/api/v1/admin/jobs?limit=2").get_json()
    assert [j["job_id"] for j in first["items"]] == ids[::-1][:2]
    rest = admin.get(f"/api/v1/admin/jobs?limit=2&cursor={quote(first['next_cursor'])}").get_json()
    assert [j["job_id"] for j in rest["items"]] == ids[:1] and rest["next_cursor"] is None
    assert admin.get("/api/v1/admin/jobs?cursor=garbage|x").status_code == 400
