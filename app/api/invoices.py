"""Invoices API: list, issue (preparers and admins), read, mark paid. The PDF is /invoices/<id>/pdf."""
from __future__ import annotations

from flask import g, jsonify, request

from ..auth.guard import login_required, role_required
from ..extensions import db
from ..invoices import service
from . import bp
from .helpers import json_body, only_keys


@bp.get("/invoices")
@login_required
def list_invoices():
    rows, next_before = service.page(db.session, g.user, request.args.get("before"), request.args.get("limit"))
    who = service.people(db.session, rows)
    return jsonify(items=[service.as_json(i, who) for i in rows], next_before=next_before)


@bp.post("/invoices")
@role_required("preparer", "admin")
def issue_invoice():
    data = json_body()
    only_keys(data, {"user_id", "customer_email", "filing_id", "items"})
    invoice = service.issue(db.session, g.user, data)
    return jsonify(service.as_json(invoice, service.people(db.session, [invoice]))), 201


@bp.get("/invoices/<int:invoice_id>")
@login_required
def get_invoice(invoice_id: int):
    invoice = service.get_visible(db.session, g.user, invoice_id)
    return jsonify(service.as_json(invoice, service.people(db.session, [invoice])))


@bp.post("/invoices/<int:invoice_id>/paid")
@login_required
def mark_invoice_paid(invoice_id: int):
    invoice = service.mark_paid(db.session, g.user, invoice_id)
    return jsonify(service.as_json(invoice, service.people(db.session, [invoice])))
