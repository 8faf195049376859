"""Documents API: upload, list, read, apply to a return, download, delete (owner only)."""
from __future__ import annotations

from flask import g, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth.guard import login_required
from ..documents import service
from ..errors import error_response
from ..extensions import db
from . import bp
from .helpers import json_body, only_keys


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge):
    # Raised while the CSRF check reads the form, before any view runs: only uploads get this big.
    error = service.too_large()
    return error_response(error.status, error.code, error.message, error.fields)


@bp.post("/documents")
@login_required
def upload_document():
    uploaded = service.upload_from_request(db.session, g.user.id)
    body = {"document_id": uploaded.document.id, "job_id": uploaded.job_id, "status": uploaded.document.status}
    if uploaded.duplicate:
        return jsonify(duplicate=True, **body), 200
    return jsonify(body), 202


@bp.get("/documents")
@login_required
def list_documents():
    rows, next_cursor = service.page(db.session, g.user.id, request.args.get("cursor"), request.args.get("limit"))
    jobs = service.latest_jobs(db.session, g.user.id, [d.id for d in rows])
    return jsonify(documents=[service.as_json(d, jobs.get(d.id)) for d in rows], next_cursor=next_cursor)


@bp.get("/documents/<int:document_id>")
@login_required
def get_document(document_id: int):
    document = service.owned(db.session, g.user.id, document_id)
    job = service.latest_jobs(db.session, g.user.id, [document.id]).get(document.id)
    return jsonify(service.as_json(document, job))


@bp.post("/documents/<int:document_id>/apply")
@login_required
def apply_document(document_id: int):
    data = json_body()
    only_keys(data, {"fields", "filing_id"})
    document, plan = service.apply_document(db.session, g.user.id, g.user.id, document_id, data.get("fields"),
                                            data.get("filing_id"))
    return jsonify(id=document.id, status=document.status, filing_id=document.filing_id,
                   changes=[{"field": path, "before": old, "after": new} for path, old, new in plan.changes])


@bp.get("/documents/<int:document_id>/file")
@login_required
def download_document(document_id: int):
    return service.send_document(service.owned(db.session, g.user.id, document_id))


@bp.delete("/documents/<int:document_id>")
@login_required
def delete_document(document_id: int):
    service.delete_document(db.session, g.user.id, document_id)
    return jsonify(id=document_id, status="deleted")
