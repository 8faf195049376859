"""Documents blueprint: upload, review and apply (the extraction core lives beside it)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth.guard import login_required
from ..errors import ApiError, error_response
from ..extensions import db
from . import apply as mapping
from . import service

bp = Blueprint("documents", __name__, template_folder="templates")
LOW_CONFIDENCE = 0.8


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge):
    error = service.too_large()
    return error_response(error.status, error.code, error.message, error.fields)


@bp.get("/documents")
@login_required
def index():
    return _index_page({}, request.args.get("filing_id", ""))


def _index_page(errors: dict[str, str], filing_id: Any, status: int = 200):
    rows, next_cursor = service.page(db.session, g.user.id, request.args.get("cursor"), None)
    jobs = service.latest_jobs(db.session, g.user.id, [d.id for d in rows])
    documents = [service.as_json(d, jobs.get(d.id)) for d in rows]
    return render_template(
        "documents/index.html", documents=documents, next_cursor=next_cursor, errors=errors,
        filings=service.user_filings(db.session, g.user.id), filing_id=str(filing_id or ""),
        max_upload_mb=service.config().max_upload_mb, type_names=mapping.TYPE_NAMES,
    ), status


@bp.post("/documents")
@login_required
def upload():
    try:
        uploaded = service.upload_from_request(db.session, g.user.id)
    except ApiError as exc:
        errors = {"form": exc.message, **exc.fields}
        return _index_page(errors, request.form.get("filing_id", ""), exc.status)
    if uploaded.duplicate:
        flash("You uploaded this file before: here it is.")
    else:
        flash("Uploaded. TaxDesk is reading it now; this page updates when it is done.")
    return redirect(url_for("documents.review", document_id=uploaded.document.id))


@bp.get("/documents/<int:document_id>")
@login_required
def review(document_id: int):
    return _review_page(document_id, {}, {})


def _review_page(document_id: int, errors: dict[str, str], form: dict[str, str], status: int = 200):
    document = service.owned(db.session, g.user.id, document_id)
    job = service.latest_jobs(db.session, g.user.id, [document.id]).get(document.id)
    doc = service.as_json(document, job)
    allowed = mapping.targets(document.document_type, document.fields or {}, document.sources or {})
    rows = []
    for name, value in (document.fields or {}).items():
        target = allowed.get(name)
        confidence = (document.confidence or {}).get(name)
        rows.append({
            "name": name, "label": mapping.LABELS.get(name, name.replace("_", " ").capitalize()), "value": value,
            "source": (document.sources or {}).get(name), "confidence": confidence,
            "low": confidence is not None and confidence < LOW_CONFIDENCE,
            "place": mapping.PLACES.get(target.path, target.path) if target else None,
            "decision": form.get(f"decision_{name}", "accept"), "typed": form.get(f"value_{name}", value),
        })
    order = list(allowed)
    rows.sort(key=lambda row: order.index(row["name"]) if row["name"] in order else len(order))
    return render_template(
        "documents/review.html", doc=doc, rows=rows, errors=errors, filings=service.user_filings(db.session, g.user.id),
        filing_id=str(form.get("filing_id") or document.filing_id or ""), type_name=mapping.TYPE_NAMES.get(
            document.document_type or "", "Document"), has_preview=service.kind_of(document) in ("png", "jpeg", "tiff"),
    ), status


@bp.post("/documents/<int:document_id>/apply")
@login_required
def apply(document_id: int):
    form = request.form
    accepted = {
        key.removeprefix("decision_"): form.get(f"value_{key.removeprefix('decision_')}", "")
        for key, decision in form.items() if key.startswith("decision_") and decision == "accept"
    }
    try:
        document, plan = service.apply_document(db.session, g.user.id, g.user.id, document_id, accepted,
                                                form.get("filing_id") or None)
    except ApiError as exc:
        if exc.status == 404 and "filing_id" not in exc.fields:
            raise
        return _review_page(document_id, {"form": exc.message, **exc.fields}, form.to_dict(), exc.status)
    flash(f"Applied {len(accepted)} field{'s' if len(accepted) != 1 else ''} to your return "
          f"({len(plan.changes)} change{'s' if len(plan.changes) != 1 else ''}). Recompute the tax to see the effect.")
    return redirect(url_for("documents.review", document_id=document.id))


@bp.post("/documents/<int:document_id>/delete")
@login_required
def delete(document_id: int):
    service.delete_document(db.session, g.user.id, document_id)
    flash("Document deleted.")
    return redirect(url_for("documents.index"))


@bp.get("/documents/<int:document_id>/download")
@login_required
def download(document_id: int):
    return service.send_document(service.owned(db.session, g.user.id, document_id))


@bp.get("/documents/<int:document_id>/image")
@login_required
def image(document_id: int):
    return service.send_preview(service.owned(db.session, g.user.id, document_id))
