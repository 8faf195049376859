"""Notifications API (keyset-paginated list, read, read all, unread count) and admin announcements."""
from __future__ import annotations

from flask import abort, g, jsonify, request

from ..auth.guard import login_required, role_required
from ..errors import ApiError
from ..extensions import db
from ..notifications import service
from . import bp
from .helpers import json_body, only_keys


def _int_arg(name: str, default: int | None) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"{name} must be a whole number.", {name: "Whole number."}) from None


@bp.get("/notifications")
@login_required
def list_notifications():
    limit = _int_arg("limit", 20) or 20
    items, next_before = service.page(db.session, g.user, _int_arg("before", None), limit)
    return jsonify(items=items, next_before=next_before)


@bp.get("/notifications/unread-count")
@login_required
def unread_count():
    return jsonify(unread=service.cached_unread_count(db.session, g.user))


@bp.post("/notifications/<bigint:note_id>/read")
@login_required
def read_notification(note_id: int):
    unread = service.mark_read(db.session, g.user, note_id)
    if unread is None:
        abort(404)
    return jsonify(unread=unread)


@bp.post("/notifications/read-all")
@login_required
def read_all_notifications():
    service.mark_all_read(db.session, g.user)
    return jsonify(unread=0)


@bp.post("/admin/announcements")
@role_required("admin")
def announce():
    data = json_body()
    only_keys(data, {"title", "body", "link"})
    title, body, link = data.get("title"), data.get("body", ""), data.get("link")
    errors = {}
    if not isinstance(title, str) or not title.strip():
        errors["title"] = "Give the announcement a title."
    elif len(title) > 200:
        errors["title"] = "Keep the title to 200 characters."
    if not isinstance(body, str) or len(body) > 5000:
        errors["body"] = "The text must be at most 5,000 characters."
    if link is not None and (not isinstance(link, str) or not link.startswith("/") or link.startswith("//")
                             or len(link) > 300):
        errors["link"] = "Use a path on this site, such as /filings."
    if errors:
        raise ApiError(422, "invalid", "Check the highlighted fields.", errors)
    note = service.announce(db.session, title.strip(), body.strip(), link)
    return jsonify(service.as_json(note, read=False)), 201
