"""Taxpayers share one return with a preparer by email; the preparer works on it under their own name."""
from __future__ import annotations

from sqlalchemy import select

from .conftest import INPUT, PERSONAL


def test_a_preparer_sees_and_edits_only_the_return_shared_with_them(api, api_for, new_filing, filled_filing, sql,
                                                                    user_id):
    preparer = api_for("ca@example.com", role="preparer")
    shared = filled_filing(api, "2026-27")
    private = new_filing(api, "2025-26")["id"]
    r = api.post(f"/api/v1/filings/{shared}/grants", json={"email": "CA@example.com"})
    assert r.status_code == 201 and r.get_json()["status"] == "active"

    assert preparer.get(f"/api/v1/filings/{shared}").get_json()["personal"]["pan"] == PERSONAL["pan"]
    assert preparer.get(f"/api/v1/filings/{private}").status_code == 404
    r = preparer.patch(f"/api/v1/filings/{shared}", json={"input": {"deductions": {"80C": 120000}}})
    assert r.status_code == 200

    entry = sql("SELECT actor_id, user_id, action FROM audit_logs WHERE filing_id = :id ORDER BY id DESC LIMIT 1",
                id=shared)[0]
    assert entry.action == "filing.update"
    assert entry.actor_id == user_id("ca@example.com") and entry.user_id == user_id("asha@example.com")
    history = api.get(f"/api/v1/filings/{shared}/history").get_json()["entries"]
    assert history[0]["actor"]["name"] == "Ca"

    clients = preparer.get("/api/v1/filings").get_json()["clients"]
    assert [c["id"] for c in clients] == [shared]
    assert "A bank account for the refund" in clients[0]["missing"]


def test_the_preparer_is_told_when_a_return_is_shared_with_them(api, api_for, new_filing, user_id):
    from app.extensions import db
    from app.models import Notification

    api_for("ca@example.com", role="preparer")
    filing_id = new_filing(api)["id"]
    api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "ca@example.com"})
    db.session.rollback()
    notes = list(db.session.scalars(select(Notification).where(Notification.user_id == user_id("ca@example.com"))))
    assert [n.kind for n in notes] == ["filing.shared"]
    assert notes[0].link == f"/filings/{filing_id}"


def test_revoking_access_makes_the_return_disappear_for_the_preparer(api, api_for, filled_filing):
    preparer = api_for("ca@example.com", role="preparer")
    filing_id = filled_filing(api)
    grant = api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "ca@example.com"}).get_json()
    assert preparer.get(f"/api/v1/filings/{filing_id}").status_code == 200
    assert api.delete(f"/api/v1/filings/{filing_id}/grants/{grant['id']}").status_code == 204
    assert preparer.get(f"/api/v1/filings/{filing_id}").status_code == 404
    assert preparer.get(f"/filings/{filing_id}").status_code == 404
    assert preparer.get("/api/v1/filings").get_json()["clients"] == []
    assert [g["status"] for g in api.get(f"/api/v1/filings/{filing_id}/grants").get_json()["grants"]] == ["revoked"]


def test_an_invitation_to_someone_not_yet_a_preparer_here_is_linked_when_they_are(api, api_for, new_filing, sql):
    filing_id = new_filing(api)["id"]
    grant = api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "late@example.com"}).get_json()
    assert grant["status"] == "pending"
    late = api_for("late@example.com", role="preparer")
    assert late.get(f"/api/v1/filings/{filing_id}").status_code == 404  # not until the dashboard links it
    page = late.get("/")
    assert page.status_code == 200 and b"Clients" in page.data and b"Asha" in page.data
    assert late.get(f"/api/v1/filings/{filing_id}").status_code == 200


def test_a_taxpayer_who_is_not_a_preparer_gains_nothing_from_an_invitation(api, other_api, new_filing):
    filing_id = new_filing(api)["id"]
    grant = api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "ravi@example.com"}).get_json()
    assert grant["status"] == "pending"
    assert other_api.get("/").status_code == 200
    assert other_api.get(f"/api/v1/filings/{filing_id}").status_code == 404


def test_sharing_needs_a_valid_email_and_not_twice(api, api_for, new_filing):
    api_for("ca@example.com", role="preparer")
    filing_id = new_filing(api)["id"]
    assert api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "nope"}).status_code == 422
    assert api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "asha@example.com"}).status_code == 422
    assert api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "ca@example.com"}).status_code == 201
    assert api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "ca@example.com"}).status_code == 409


def test_a_preparer_computes_a_shared_return_and_the_action_is_theirs(api, api_for, filled_filing, worker, wait_job,
                                                                      sql, user_id):
    preparer = api_for("ca@example.com", role="preparer")
    filing_id = filled_filing(api)
    api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "ca@example.com"})
    job_id = preparer.post(f"/api/v1/filings/{filing_id}/compute").get_json()["job_id"]
    assert wait_job(job_id).status == "finished"
    assert preparer.get(f"/api/v1/jobs/{job_id}").get_json()["status"] == "finished"
    actors = {r.action: r.actor_id for r in sql("SELECT action, actor_id FROM audit_logs WHERE filing_id = :id",
                                                   id=filing_id)}
    assert actors["filing.compute_requested"] == actors["filing.computed"] == user_id("ca@example.com")
    assert api.get(f"/api/v1/filings/{filing_id}").get_json()["status"] == "computed"
    assert INPUT["salary"]["gross"] == api.get(f"/api/v1/filings/{filing_id}").get_json()["input"]["salary"]["gross"]
