"""Tickets: a user's questions about a filing, and the preparers' and admins' queue."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from ..auth.guard import login_required, role_required
from ..documents.service import send_document
from ..errors import ApiError
from ..extensions import db
from . import service

bp = Blueprint("tickets", __name__, template_folder="templates")


@bp.get("/tickets")
@login_required
def index():
    rows, next_before = service.my_page(db.session, g.user, request.args.get("before"))
    return render_template("tickets/index.html", tickets=service.listing(db.session, rows), next_before=next_before,
                           first_page=not request.args.get("before"))


@bp.get("/tickets/queue")
@role_required("preparer", "admin")
def queue():
    rows, next_before = service.queue_page(db.session, g.user, request.args.get("before"))
    return render_template("tickets/queue.html", tickets=service.listing(db.session, rows), next_before=next_before,
                           first_page=not request.args.get("before"))


@bp.get("/tickets/new")
@login_required
def new():
    return _new_page({}, {"filing_id": request.args.get("filing_id", "")})


def _new_page(errors: dict[str, str], form: dict[str, str], status: int = 200):
    filings, documents = service.attachable(db.session, g.user)
    return render_template("tickets/new.html", errors=errors, form=form, filings=filings, documents=documents), status


@bp.post("/tickets/new")
@login_required
def create():
    try:
        ticket = service.open_ticket(db.session, g.user, request.form.to_dict())
    except ApiError as exc:
        if exc.status != 422:
            raise
        return _new_page(exc.fields, request.form.to_dict(), 422)
    flash("Your ticket is open. You will be notified when someone replies.")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@bp.get("/tickets/<int:ticket_id>")
@login_required
def show(ticket_id: int):
    return _show_page(ticket_id, {})


def _show_page(ticket_id: int, errors: dict[str, str], status: int = 200):
    ticket = service.detail(db.session, g.user, ticket_id)
    staff = service.staff_choices(db.session) if g.user.is_admin else []
    return render_template("tickets/show.html", ticket=ticket, errors=errors, staff=staff), status


@bp.post("/tickets/<int:ticket_id>/messages")
@login_required
def reply(ticket_id: int):
    try:
        service.reply(db.session, g.user, ticket_id, request.form.to_dict())
    except ApiError as exc:
        if exc.status == 404:
            raise
        db.session.rollback()
        return _show_page(ticket_id, exc.fields or {"body": exc.message}, exc.status)
    return redirect(url_for("tickets.show", ticket_id=ticket_id, _anchor="latest"))


@bp.post("/tickets/<int:ticket_id>/assign")
@role_required("preparer", "admin")
def assign(ticket_id: int):
    try:
        ticket = service.assign(db.session, g.user, ticket_id, {"assignee_id": request.form.get("assignee_id") or None})
    except ApiError as exc:
        if exc.status == 404:
            raise
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("tickets.queue"))
    if ticket.assignee_id is None and not g.user.is_admin:
        flash(f"Ticket #{ticket.id} is back in the queue.")
        return redirect(url_for("tickets.queue"))
    flash(f"Ticket #{ticket.id} is assigned.")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@bp.post("/tickets/<int:ticket_id>/close")
@login_required
def close(ticket_id: int):
    service.close(db.session, g.user, ticket_id)
    flash("Ticket closed.")
    return redirect(url_for("tickets.show", ticket_id=ticket_id))


@bp.get("/tickets/<int:ticket_id>/attachment")
@login_required
def attachment(ticket_id: int):
    return send_document(service.attachment(db.session, g.user, ticket_id))
