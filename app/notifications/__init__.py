"""Notifications pages (list, mark read, mark all read) and the header's unread count."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from ..auth.guard import login_required
from ..extensions import db
from . import service

bp = Blueprint("notifications", __name__, template_folder="templates")
PAGE_SIZE = 20


@bp.app_context_processor
def unread_count() -> dict[str, object]:
    user = g.get("user")
    if user is None:
        return {"unread_count": 0}
    try:
        return {"unread_count": service.cached_unread_count(db.session, user)}
    except Exception:  # a badge must never take the page down with it
        db.session.rollback()
        return {"unread_count": 0}


@bp.get("/notifications")
@login_required
def index():
    before = request.args.get("before", type=int)
    items, next_before = service.page(db.session, g.user, before, PAGE_SIZE)
    return render_template("notifications/list.html", items=items, next_before=next_before, first_page=before is None)


@bp.post("/notifications/<bigint:note_id>/read")
@login_required
def read(note_id: int):
    if service.mark_read(db.session, g.user, note_id) is None:
        abort(404)
    return redirect(_back())


@bp.post("/notifications/read-all")
@login_required
def read_all():
    service.mark_all_read(db.session, g.user)
    return redirect(url_for("notifications.index"))


def _back() -> str:
    before = request.form.get("before", type=int)
    return url_for("notifications.index", before=before) if before else url_for("notifications.index")
