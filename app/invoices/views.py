"""Invoices blueprint: list, issue (preparers and admins), view, mark paid, download as PDF."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for

from ..auth.guard import login_required, role_required
from ..errors import ApiError
from ..extensions import db
from . import pdf, service

bp = Blueprint("invoices", __name__, template_folder="templates")
FORM_LINES = 5


@bp.get("/invoices")
@login_required
def index():
    rows, next_before = service.page(db.session, g.user, request.args.get("before"), None)
    who = service.people(db.session, rows)
    return render_template("invoices/index.html", invoices=[service.as_json(i, who) for i in rows],
                           next_before=next_before, first_page=not request.args.get("before"))


@bp.get("/invoices/new")
@role_required("preparer", "admin")
def new():
    return _form_page({}, {})


def _form_page(errors: dict[str, str], form: dict[str, Any], status: int = 200):
    clients = [] if g.user.is_admin else service.clients(db.session, g.user)
    names = {c.id: c.name for c in clients}
    filings = [(fid, f"{names.get(uid, '?')} · AY {ay}") for fid, uid, ay in
               ([] if g.user.is_admin else service.granted_filings(db.session, g.user))]
    return render_template("invoices/new.html", errors=errors, form=form, clients=clients, filings=filings,
                           lines=range(FORM_LINES)), status


def _items_from_form(form) -> list[dict[str, str]]:
    items = []
    for i in range(FORM_LINES):
        row = {k: form.get(f"items-{i}-{k}", "").strip() for k in ("description", "quantity", "rate")}
        if any(row.values()):
            items.append(row)
    return items


@bp.post("/invoices/new")
@role_required("preparer", "admin")
def create():
    form = request.form
    data = {"user_id": form.get("user_id"), "customer_email": form.get("customer_email"),
            "filing_id": form.get("filing_id"), "items": _items_from_form(form)}
    try:
        invoice = service.issue(db.session, g.user, data)
    except ApiError as exc:
        if exc.status != 422:
            raise
        db.session.rollback()
        return _form_page(_form_errors(exc.fields, form), form.to_dict(), 422)
    flash(f"Invoice {invoice.number} issued.")
    return redirect(url_for("invoices.show", invoice_id=invoice.id))


def _form_errors(fields: dict[str, str], form) -> dict[str, str]:
    """Line errors come back numbered among the filled lines; the form numbers all its rows."""
    filled = [i for i in range(FORM_LINES)
              if any(form.get(f"items-{i}-{k}", "").strip() for k in ("description", "quantity", "rate"))]
    out = {}
    for key, message in fields.items():
        if key.startswith("items."):
            _, index, name = key.split(".")
            out[f"items-{filled[int(index)]}-{name}"] = message
        else:
            out[key] = message
    return out


@bp.get("/invoices/<int:invoice_id>")
@login_required
def show(invoice_id: int):
    invoice = service.get_visible(db.session, g.user, invoice_id)
    return render_template("invoices/show.html", invoice=service.as_json(invoice, service.people(db.session, [invoice])))


@bp.get("/invoices/<int:invoice_id>/pdf")
@login_required
def download(invoice_id: int):
    invoice = service.get_visible(db.session, g.user, invoice_id)
    body = pdf.render(service.paper(db.session, invoice))
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{service.pdf_name(invoice)}"',
        "Cache-Control": "private, no-store",
    })


@bp.post("/invoices/<int:invoice_id>/paid")
@login_required
def paid(invoice_id: int):
    invoice = service.mark_paid(db.session, g.user, invoice_id)
    flash(f"Invoice {invoice.number} is marked paid.")
    return redirect(url_for("invoices.show", invoice_id=invoice.id))
