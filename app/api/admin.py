"""Admin API: user search, role and active changes, failed-job retry. Announcements: notifications.py."""
from __future__ import annotations

from flask import g, jsonify, request

from ..admin import service
from ..auth.guard import role_required
from ..extensions import db
from ..services import jobs
from . import bp
from .helpers import json_body, only_keys


@bp.get("/admin/users")
@role_required("admin")
def search_users():
    rows, next_after = service.search_users(db.session, request.args.get("q"), request.args.get("after"),
                                            request.args.get("limit"))
    return jsonify(items=[service.user_json(u) for u in rows], next_after=next_after)


@bp.patch("/admin/users/<int:user_id>")
@role_required("admin")
def update_user(user_id: int):
    data = json_body()
    only_keys(data, {"role", "is_active"})
    return jsonify(service.user_json(service.update_user(db.session, g.user, user_id, data)))


@bp.get("/admin/jobs")
@role_required("admin")
def failed_jobs():
    rows, next_cursor = service.failed_jobs(db.session, request.args.get("cursor"), request.args.get("limit"))
    return jsonify(items=[service.job_json(job, email) for job, email in rows], next_cursor=next_cursor)


@bp.post("/admin/jobs/<job_id>/retry")
@role_required("admin")
def retry_job(job_id: str):
    return jsonify(jobs.as_json(service.retry_job(db.session, job_id))), 202
