"""The RQ dashboard at /admin/rq/: admins only, everyone else (even signed out) gets 404."""
from __future__ import annotations

import base64
import hashlib
import re

DASHBOARD_PATHS = ("/admin/rq/", "/admin/rq/0/data/queues.json", "/admin/rq/0/view/workers",
                   "/admin/rq/static/js/jquery-3.5.1.min.js")


def test_an_admin_opens_the_dashboard_and_its_data(admin):
    page = admin.client.get("/admin/rq/")
    assert page.status_code == 200 and b"RQ dashboard" in page.data
    queues = admin.client.get("/admin/rq/0/data/queues.json")
    assert queues.status_code == 200 and "queues" in queues.get_json()
    assert admin.client.get("/admin/rq/static/js/jquery-3.5.1.min.js").status_code == 200


def test_the_dashboard_allows_exactly_its_own_inline_script(admin):
    page = admin.client.get("/admin/rq/")
    csp = page.headers["Content-Security-Policy"]
    scripts = re.findall(r'<script type="text/javascript">(.*?)</script>', page.get_data(as_text=True), re.S)
    assert scripts
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    cookie = page.headers.getlist("Set-Cookie")
    assert any(c.startswith("_csrf_token=") and "Path=/admin/rq" in c for c in cookie)


def test_signed_in_users_and_preparers_get_404(api, api_for):
    preparer = api_for("priya@example.com", role="preparer")
    for someone in (api, preparer):
        for path in DASHBOARD_PATHS:
            assert someone.client.get(path).status_code == 404, path
        assert someone.post("/admin/rq/job/x/delete").status_code == 404


def test_signed_out_visitors_get_404(client):
    for path in DASHBOARD_PATHS:
        assert client.get(path).status_code == 404, path
    assert client.get("/admin/rq/5/view").status_code == 404


def test_urls_that_would_redirect_or_refuse_a_method_say_nothing_to_non_admins(client, api, admin):
    for someone in (client, api.client):
        assert someone.get("/admin/rq/0/").status_code == 404  # an admin is redirected to /admin/rq/
        assert someone.get("/admin/rq/job/x/delete").status_code == 404  # an admin gets 405
        assert someone.get("/admin/rq").status_code == 404
    assert admin.client.get("/admin/rq/0/").status_code == 308
    assert admin.client.get("/admin/rq/job/x/delete").status_code == 405


def test_deleting_jobs_is_disabled_unless_configured(admin):
    r = admin.post("/admin/rq/job/some-job/delete")
    assert r.status_code == 200 and r.get_json() == {"status": "DISABLED"}
    r = admin.post("/admin/rq/queue/tax/queued/empty")
    assert r.get_json() == {"status": "DISABLED"}


def test_a_link_cannot_requeue_a_whole_failed_registry(admin):
    assert admin.client.get("/admin/rq/requeue/tax").status_code == 405


def test_dashboard_posts_need_the_csrf_token(admin):
    assert admin.client.post("/admin/rq/job/some-job/delete").status_code == 400


def test_dashboard_actions_on_missing_or_unfit_jobs_answer_instead_of_failing(admin, redis_url):
    import redis
    from rq import Queue

    assert admin.post("/admin/rq/job/no-such-job/requeue").status_code == 404
    conn = redis.Redis.from_url(redis_url)
    job = Queue("default", connection=conn).enqueue("jobs.mail.deliver", "job_done", 1, job_id="waiting-job")
    r = admin.post(f"/admin/rq/job/{job.id}/requeue")
    assert r.status_code == 409 and r.get_json()["status"] == "ERROR"
    Queue("default", connection=conn).empty()
    conn.close()
    assert admin.post("/admin/rq/queue/tax/compact").get_json() == {"status": "OK"}
