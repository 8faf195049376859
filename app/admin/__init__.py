"""Admin pages: users, queues (with the RQ dashboard at /admin/rq/, see rq.py), announcements."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from ..auth.guard import role_required
from ..errors import ApiError
from ..extensions import db
from ..models.user import ROLES
from ..services import queues
from . import service

bp = Blueprint("admin", __name__, template_folder="templates")


@bp.get("/admin")
@role_required("admin")
def home():
    return redirect(url_for("admin.users"))


@bp.get("/admin/users")
@role_required("admin")
def users():
    query = request.args.get("q", "")
    rows, next_after = service.search_users(db.session, query, request.args.get("after"))
    return render_template("admin/users.html", users=rows, q=query, next_after=next_after, roles=ROLES,
                           first_page=not request.args.get("after"))


@bp.post("/admin/users/<int:user_id>")
@role_required("admin")
def update_user(user_id: int):
    form = request.form
    data = {"role": form.get("role"), "is_active": form.get("is_active") == "true"}
    try:
        user = service.update_user(db.session, g.user, user_id, data)
    except ApiError as exc:
        if exc.status == 404:
            raise
        db.session.rollback()
        flash(" ".join(exc.fields.values()) or exc.message, "error")
    else:
        flash(f"Saved {user.email}: {user.role}, {'active' if user.is_active else 'disabled'}.")
    return redirect(url_for("admin.users", q=form.get("q") or None, after=form.get("after") or None))


@bp.get("/admin/queues")
@role_required("admin")
def queue_overview():
    rows, next_cursor = service.failed_jobs(db.session, request.args.get("cursor"))
    return render_template("admin/queues.html", figures=queues.safe_depths(), queue_names=list(queues.QUEUES),
                           failed=[service.job_json(job, email) for job, email in rows], next_cursor=next_cursor,
                           first_page=not request.args.get("cursor"))


@bp.post("/admin/jobs/<job_id>/retry")
@role_required("admin")
def retry_job(job_id: str):
    try:
        service.retry_job(db.session, job_id)
    except ApiError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
    else:
        flash("The job is queued again.")
    return redirect(url_for("admin.queue_overview"))


@bp.get("/admin/announcements")
@role_required("admin")
def announcements():
    return render_template("admin/announcements.html")
