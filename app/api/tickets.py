"""Tickets API: open, list, read, reply, assign, close."""
from __future__ import annotations

from flask import g, jsonify, request

from ..auth.guard import login_required, role_required
from ..errors import ApiError
from ..extensions import db
from ..tickets import service
from . import bp
from .helpers import json_body, only_keys


@bp.get("/tickets")
@login_required
def list_tickets():
    """?scope=queue: the preparer's or admin's queue of open tickets; otherwise the tickets I opened."""
    if request.args.get("scope") == "queue":
        if not g.user.is_preparer:
            raise ApiError(404, "not_found", "Not found.")
        rows, next_before = service.queue_page(db.session, g.user, request.args.get("before"), request.args.get("limit"))
    else:
        rows, next_before = service.my_page(db.session, g.user, request.args.get("before"), request.args.get("limit"))
    return jsonify(items=service.listing(db.session, rows), next_before=next_before)


@bp.post("/tickets")
@login_required
def open_ticket():
    data = json_body()
    only_keys(data, {"subject", "body", "filing_id", "document_id"})
    ticket = service.open_ticket(db.session, g.user, data)
    return jsonify(service.detail(db.session, g.user, ticket.id)), 201


@bp.get("/tickets/<int:ticket_id>")
@login_required
def get_ticket(ticket_id: int):
    return jsonify(service.detail(db.session, g.user, ticket_id))


@bp.post("/tickets/<int:ticket_id>/messages")
@login_required
def reply_ticket(ticket_id: int):
    data = json_body()
    only_keys(data, {"body"})
    service.reply(db.session, g.user, ticket_id, data)
    return jsonify(service.detail(db.session, g.user, ticket_id)), 201


@bp.post("/tickets/<int:ticket_id>/assign")
@role_required("preparer", "admin")
def assign_ticket(ticket_id: int):
    data = json_body()
    only_keys(data, {"assignee_id"})
    ticket = service.assign(db.session, g.user, ticket_id, data)
    return jsonify(service.as_json(ticket, service.people(db.session, {ticket.user_id, ticket.assignee_id})))


@bp.post("/tickets/<int:ticket_id>/close")
@login_required
def close_ticket(ticket_id: int):
    service.close(db.session, g.user, ticket_id)
    return jsonify(service.detail(db.session, g.user, ticket_id))
