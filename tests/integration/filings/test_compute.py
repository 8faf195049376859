"""Computing a return runs as a job on the `tax` queue; the page and API see the result without waiting."""
from __future__ import annotations

import time

from sqlalchemy import text

from app.tax import compute


def test_computing_returns_at_once_and_the_worker_stores_the_engines_result(api, filled_filing, worker, wait_job):
    filing_id = filled_filing(api)
    started = time.monotonic()
    r = api.post(f"/api/v1/filings/{filing_id}/compute")
    assert r.status_code == 202
    assert time.monotonic() - started < 1.0
    job_id = r.get_json()["job_id"]

    job = wait_job(job_id)
    assert job.status == "finished", job.error
    assert job.kind == "compute"
    polled = api.get(f"/api/v1/jobs/{job_id}").get_json()
    assert polled["status"] == "finished" and polled["progress"] == 100
    assert polled["result"]["filing_id"] == filing_id

    body = api.get(f"/api/v1/filings/{filing_id}").get_json()
    assert body["status"] == "computed"
    assert body["computation_stale"] is False
    assert body["computation"] == compute(body["input"])
    assert body["regime"] == body["computation"]["recommended_regime"]


def test_asking_twice_while_a_computation_is_pending_returns_the_same_job(api, filled_filing, app):
    from app.extensions import db

    filing_id = filled_filing(api)
    # Holding the return's row lock keeps any worker's run of the job from finishing meanwhile.
    with db.engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT id FROM filings WHERE id = :id FOR UPDATE"), {"id": filing_id})
        first = api.post(f"/api/v1/filings/{filing_id}/compute")
        second = api.post(f"/api/v1/filings/{filing_id}/compute")
        assert first.status_code == second.status_code == 202
        assert first.get_json()["job_id"] == second.get_json()["job_id"]
        count = conn.execute(text("SELECT count(*) FROM jobs WHERE dedup_key = :k"), {"k": f"compute:{filing_id}"})
        assert count.scalar() == 1


def test_a_return_deleted_before_its_computation_runs_ends_the_job_failed_with_a_reason(
        api, filled_filing, worker, wait_job, app):
    from app.extensions import db

    filing_id = filled_filing(api)
    with db.engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT id FROM filings WHERE id = :id FOR UPDATE"), {"id": filing_id})
        job_id = api.post(f"/api/v1/filings/{filing_id}/compute").get_json()["job_id"]
        conn.execute(text("DELETE FROM filings WHERE id = :id"), {"id": filing_id})
    job = wait_job(job_id)
    assert job.status == "failed"
    assert "no longer exists" in job.error
    assert api.get(f"/api/v1/jobs/{job_id}").get_json()["status"] == "failed"


def test_a_corrupt_stored_input_ends_the_job_failed_with_a_readable_message(api, filled_filing, worker, wait_job, sql):
    filing_id = filled_filing(api)
    sql("UPDATE income_items SET data = '{\"gross\": \"lots\"}'::jsonb WHERE filing_id = :id AND head = 'salary'",
        id=filing_id)
    job = wait_job(api.post(f"/api/v1/filings/{filing_id}/compute").get_json()["job_id"])
    assert job.status == "failed"
    assert "salary.gross" in job.error and "Correct it" in job.error
    body = api.get(f"/api/v1/filings/{filing_id}").get_json()
    assert body["status"] == "draft" and body["computation"] is None


def test_a_computation_after_sharing_is_revoked_fails_for_the_preparer(api_for, new_filing, worker, wait_job, app):
    from app.extensions import db

    owner = api_for("meera@example.com")
    preparer = api_for("ca@example.com", role="preparer")
    filing_id = new_filing(owner)["id"]
    grant_id = owner.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "ca@example.com"}).get_json()["id"]
    with db.engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT id FROM filings WHERE id = :id FOR UPDATE"), {"id": filing_id})
        job_id = preparer.post(f"/api/v1/filings/{filing_id}/compute").get_json()["job_id"]
        conn.execute(text("UPDATE filing_grants SET revoked_at = now() WHERE id = :id"), {"id": grant_id})
    job = wait_job(job_id)
    assert job.status == "failed" and "no longer" in job.error
    assert owner.get(f"/api/v1/filings/{filing_id}").get_json()["computation"] is None


def test_an_input_change_after_computing_marks_the_result_stale(api, filled_filing, worker, wait_job):
    filing_id = filled_filing(api)
    wait_job(api.post(f"/api/v1/filings/{filing_id}/compute").get_json()["job_id"])
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"deductions": {"80C": 100000}}})
    assert r.get_json()["computation_stale"] is True
    assert r.get_json()["status"] == "draft"
    assert r.get_json()["computation"] is not None
    job = wait_job(api.post(f"/api/v1/filings/{filing_id}/compute").get_json()["job_id"])
    body = api.get(f"/api/v1/filings/{filing_id}").get_json()
    assert job.status == "finished"
    assert body["computation_stale"] is False
    assert body["computation"] == compute(body["input"])
