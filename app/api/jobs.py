"""Job status: the `jobs` row the browser renders from (also its fallback when the socket is down)."""
from __future__ import annotations

from flask import abort, g, jsonify

from ..auth.guard import login_required
from ..extensions import db
from ..services import jobs
from . import bp


@bp.get("/jobs/<job_id>")
@login_required
def get_job(job_id: str):
    job = jobs.get_for_user(db.session, job_id[:36], g.user.id)
    if job is None:
        abort(404)
    return jsonify(jobs.as_json(job))
