"""Jobs: the row is the truth, duplicates are absorbed, bodies run once, readable failures."""
from __future__ import annotations

import threading

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Job, Notification
from app.services import jobs
from tests.integration.jobs.sample_jobs import counts

FUNC = "tests.integration.jobs.sample_jobs.record"


def _submit(user_id: int, marker: str, **kw) -> Job:
    job, _ = jobs.submit_and_enqueue(db.session, kind="compute", queue="tax", func=FUNC, args=[marker, *kw.pop("args", [])],
                                     user_id=user_id, **kw)
    return job


def _user_id(api) -> int:
    return api.get("/api/v1/auth/me").get_json()["user"]["id"]


def test_a_finished_job_stores_its_result_once_and_shows_it_to_its_owner(api, worker, wait_job):
    job = _submit(_user_id(api), "done")
    assert wait_job(job.id).status == "finished"
    body = api.get(f"/api/v1/jobs/{job.id}").get_json()
    assert (body["status"], body["progress"], body["result"], body["error"]) == ("finished", 100, {"marker": "done"}, None)
    assert counts(job.id) == (1, 1)


def test_another_user_gets_404_for_my_job(api, other_api, worker, wait_job):
    job = _submit(_user_id(api), "mine")
    wait_job(job.id)
    assert other_api.get(f"/api/v1/jobs/{job.id}").status_code == 404
    assert other_api.get("/api/v1/jobs/not-a-job").status_code == 404


def test_a_failure_the_user_can_fix_ends_failed_with_a_readable_message_and_no_retry(api, worker, wait_job):
    job = _submit(_user_id(api), "refuse")
    row = wait_job(job.id)
    assert (row.status, row.error, row.attempts) == ("failed", "Add your PAN before computing.", 1)
    assert counts(job.id) == (1, 0)


def test_a_crash_is_retried_with_backoff_and_then_succeeds(api, worker, wait_job):
    job = _submit(_user_id(api), "flaky", args=[0.0, True])
    row = wait_job(job.id, timeout=60)
    assert (row.status, row.attempts) == ("finished", 2)
    assert counts(job.id) == (2, 1)


def test_a_second_compute_while_one_is_queued_returns_the_same_job(api):
    user_id = _user_id(api)
    first, created = jobs.submit(db.session, kind="compute", queue="tax", func=FUNC, args=["a"], user_id=user_id,
                                 dedup_key="compute:filing:1")
    db.session.commit()
    again, created_again = jobs.submit(db.session, kind="compute", queue="tax", func=FUNC, args=["a"],
                                       user_id=user_id, dedup_key="compute:filing:1")
    db.session.commit()
    assert (created, created_again, again.id) == (True, False, first.id)


def test_submissions_keep_deduplicating_once_the_connection_prepares_the_statement(api):
    # psycopg prepares a statement on its 5th execution on a connection; the dedup insert must
    # still find its partial unique index then.
    user_id = _user_id(api)
    for n in range(8):
        job, created = jobs.submit(db.session, kind="compute", queue="tax", func=FUNC, args=["a"], user_id=user_id,
                                   dedup_key=f"compute:filing:{100 + n}")
        again, created_again = jobs.submit(db.session, kind="compute", queue="tax", func=FUNC, args=["a"],
                                           user_id=user_id, dedup_key=f"compute:filing:{100 + n}")
        db.session.commit()
        assert (created, created_again, again.id) == (True, False, job.id)


def test_simultaneous_duplicate_submissions_make_one_job(api):
    user_id = _user_id(api)
    barrier, ids, errors = threading.Barrier(8), [], []

    engine = create_engine(db.engine.url, pool_size=8)

    def submit() -> None:
        with Session(engine) as session:
            try:
                barrier.wait()
                job, _ = jobs.submit(session, kind="compute", queue="tax", func=FUNC, args=["a"], user_id=user_id,
                                     dedup_key="compute:filing:7")
                session.commit()
                ids.append(job.id)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert errors == []
    assert len(set(ids)) == 1
    assert db.session.query(Job).filter(Job.dedup_key == "compute:filing:7").count() == 1


def test_a_repeated_post_with_the_same_idempotency_key_returns_the_first_response(api_for):
    admin = api_for("admin@example.com", role="admin")
    headers = {"Idempotency-Key": "announce-1"}
    first = admin.post("/api/v1/admin/announcements", json={"title": "Hello"}, headers=headers)
    second = admin.post("/api/v1/admin/announcements", json={"title": "Hello"}, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert db.session.query(Notification).count() == 1
    third = admin.post("/api/v1/admin/announcements", json={"title": "Hello"}, headers={"Idempotency-Key": "announce-2"})
    assert third.get_json()["id"] != first.get_json()["id"]


def test_idempotency_keys_are_per_user_and_per_path(api_for):
    admin, other = api_for("admin@example.com", role="admin"), api_for("root@example.com", role="admin")
    headers = {"Idempotency-Key": "same-key"}
    a = admin.post("/api/v1/admin/announcements", json={"title": "One"}, headers=headers)
    b = other.post("/api/v1/admin/announcements", json={"title": "Two"}, headers=headers)
    assert a.get_json()["id"] != b.get_json()["id"]
    reused = admin.post("/api/v1/notifications/read-all", headers=headers)
    assert reused.status_code == 422
    assert reused.get_json()["error"]["code"] == "idempotency_key_reused"


def test_a_request_still_running_with_the_same_key_gets_409_and_a_dead_ones_key_is_taken_over(api_for):
    from datetime import UTC, datetime, timedelta

    from app.models import IdempotencyKey

    admin = api_for("admin@example.com", role="admin")
    user_id = admin.get("/api/v1/auth/me").get_json()["user"]["id"]
    db.session.add(IdempotencyKey(user_id=user_id, key="busy", path="/api/v1/admin/announcements", status_code=0, body={}))
    db.session.commit()
    r = admin.post("/api/v1/admin/announcements", json={"title": "Hi"}, headers={"Idempotency-Key": "busy"})
    assert (r.status_code, r.get_json()["error"]["code"]) == (409, "request_in_progress")
    row = db.session.get(IdempotencyKey, (user_id, "busy"))
    row.created_at = datetime.now(UTC) - timedelta(minutes=5)
    db.session.commit()
    r = admin.post("/api/v1/admin/announcements", json={"title": "Hi"}, headers={"Idempotency-Key": "busy"})
    assert r.status_code == 201


def test_validation_errors_are_replayed_but_sign_in_ignores_the_header(api_for, client):
    admin = api_for("admin@example.com", role="admin")
    headers = {"Idempotency-Key": "bad"}
    assert admin.post("/api/v1/admin/announcements", json={"title": ""}, headers=headers).status_code == 422
    assert admin.post("/api/v1/admin/announcements", json={"title": "Fixed"}, headers=headers).status_code == 422
    from tests.conftest import Api

    fresh = Api(client)
    for _ in range(2):
        r = fresh.post("/api/v1/auth/login", json={"email": "admin@example.com", "password": "nope"},
                       headers={"Idempotency-Key": "login"})
        assert r.status_code in (401, 422)
