"""Personal data stays out of logs and job queues, and the audit log cannot be rewritten."""
from __future__ import annotations

import io
import json
import logging
import re

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.security.conftest import ACCOUNT_NUMBER, PAN
from tests.security.corpus import FORM16
from tests.unit.documents import generate

AADHAAR = "234567890123"
# What a job argument may be: an id or a short code (a kind, a queue, an assessment year).
SHORT_CODE = re.compile(r"^[A-Za-z0-9_.:\-]{1,40}$")


def _pii_free(value: object) -> bool:
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return abs(value) < 10**9  # an id, never an account or Aadhaar number
    if isinstance(value, str):
        return bool(SHORT_CODE.match(value)) and not re.search(r"[A-Z]{5}\d{4}[A-Z]|\d{9,}|@", value)
    return False


def test_log_lines_mask_pan_and_account_numbers_wherever_they_appear(app):
    from app.services.logs import JsonFormatter

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("taxdesk.security-test")
    log.addHandler(handler)
    try:
        log.warning("filing for %s paid to %s", PAN, ACCOUNT_NUMBER, extra={"aadhaar": AADHAAR, "pan": PAN})
        try:
            raise ValueError(f"bad account {ACCOUNT_NUMBER} for {PAN}")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    lines = out.getvalue()
    assert lines.count("\n") == 2 and all(json.loads(line) for line in lines.splitlines())
    for secret in (PAN, ACCOUNT_NUMBER, AADHAAR):
        assert secret not in lines
    assert "ABCXXXXXXK" in lines and "XXXX5501" in lines


def test_reading_a_form16_leaves_no_pan_in_the_workers_log(api, worker, wait_job, tmp_path):
    path = tmp_path / "form16.pdf"
    generate.make_form16_pdf(path, {**FORM16, "employee_pan": "QWERT6789Z"})
    r = api.client.post("/api/v1/documents", headers={"X-CSRFToken": api.token},
                        data={"file": (io.BytesIO(path.read_bytes()), "form16.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 202
    wait_job(r.get_json()["job_id"], timeout=120)
    assert "QWERT6789Z" not in worker.output()


def test_every_queued_job_carries_ids_and_codes_never_personal_data(app, world, redis_server, worker, wait_job):
    import redis
    from rq.job import Job as RqJob

    from app.extensions import db
    from app.models import Outbox

    owner = world.api("owner")
    filing = world.ids["filing"]
    owner.patch(f"/api/v1/filings/{filing}", json={"personal": {"name": "Ownerly Secretson", "pan": PAN}})
    owner.post(f"/api/v1/filings/{filing}/compute")
    owner.post(f"/api/v1/tickets/{world.ids['ticket']}/messages", json={"body": f"My PAN is {PAN}"})
    world.api("anonymous").client.post("/password/forgot", data={"email": "owner@example.com",
                                                                  "csrf_token": world.api("anonymous").token})
    db.session.rollback()
    outbox = list(db.session.scalars(select(Outbox)))
    assert len(outbox) >= 3
    bad = [(row.func, row.args) for row in outbox if not all(_pii_free(a) for a in row.args)]
    assert not bad, f"outbox jobs with personal data in their arguments: {bad}"

    conn = redis.Redis.from_url(redis_server.url)
    ids = [k.decode().removeprefix("rq:job:") for k in conn.scan_iter("rq:job:*") if k.count(b":") == 2]
    assert ids
    jobs = [j for j in RqJob.fetch_many(ids, connection=conn) if j is not None]
    bad = [(j.func_name, j.args, j.kwargs) for j in jobs
           if not all(_pii_free(a) for a in [*j.args, *j.kwargs.values()])]
    assert not bad, f"RQ jobs with personal data in their arguments: {bad}"
    dashboard = world.api("admin")
    for queue in ("tax", "documents", "ocr", "mail", "default"):
        for registry in ("queued", "finished", "failed"):
            page = dashboard.get(f"/admin/rq/0/data/jobs/{queue}/{registry}/50/asc/1.json").get_data(as_text=True)
            assert PAN not in page and ACCOUNT_NUMBER not in page


def test_the_audit_log_refuses_updates_and_deletes_from_the_apps_own_connection(app, make_user):
    from app.extensions import db
    from app.services import audit

    user = make_user("asha@example.com")
    with app.test_request_context():
        entry = audit.record(db.session, user.id, user.id, None, "filing.updated", {"regime": "old"}, {"regime": "new"})
        db.session.commit()
    role = db.session.scalar(text("SELECT current_user"))
    for statement in ("UPDATE audit_logs SET action = 'nothing.happened' WHERE id = :id",
                      "UPDATE audit_logs SET after = NULL",
                      "DELETE FROM audit_logs WHERE id = :id",
                      "DELETE FROM audit_logs"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement), {"id": entry.id})
        db.session.rollback()
    row = db.session.execute(text("SELECT action, after FROM audit_logs WHERE id = :id"), {"id": entry.id}).one()
    assert tuple(row) == ("filing.updated", {"regime": "new"}), f"changed through role {role}"
