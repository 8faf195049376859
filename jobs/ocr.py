"""The `ocr` queue: read one uploaded document into suggested fields for the user to review.

Idempotent: a document already read (or deleted) is left alone, and a run interrupted by a dying
worker simply starts the document again when the relay requeues the job.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from rq import get_current_job

from app.documents import service
from app.documents.apply import TYPE_NAMES
from app.documents.extract import ExtractionError, Limits, extract_file
from app.extensions import db
from app.models import Document, Job
from app.services.notify import notify

from .runner import JobFailed, Progress, tracked

OUR_FAULT = "This document could not be read because of a problem on our side. Delete it and upload it again."


@tracked
def extract_document(job: Job, progress: Progress, document_id: int) -> dict[str, Any]:
    document = db.session.get(Document, document_id)
    if document is None:
        return {"document_id": document_id, "deleted": True}
    if document.status not in service.ACTIVE:
        return _summary(document)
    document.status, document.error = "processing", None
    db.session.commit()
    progress(2, "Opening the document")
    cfg = current_app.config["TAXDESK"]
    limits = Limits(max_pages=cfg.ocr_max_pages, max_pixels=cfg.ocr_max_pixels, page_timeout=cfg.ocr_page_timeout)

    def on_page(done: int, total: int) -> None:
        progress(5 + 90 * done // max(total, 1), f"Read page {done} of {total}")

    try:
        result = extract_file(service.Store(cfg.upload_dir).path_for(document.sha256), limits=limits, on_page=on_page)
    except ExtractionError as exc:
        if not _fail(document_id, job.id, str(exc)):
            return {"document_id": document_id, "deleted": True}
        raise JobFailed(str(exc)) from None
    except Exception:
        rq_job = get_current_job()
        if rq_job is None or not rq_job.retries_left:
            _fail(document_id, job.id, OUR_FAULT)
        raise
    return _store(document_id, job.id, result)


def _store(document_id: int, job_id: str, result: dict[str, Any]) -> dict[str, Any]:
    db.session.rollback()
    document = db.session.get(Document, document_id, with_for_update=True, populate_existing=True)
    if document is None:
        db.session.rollback()
        return {"document_id": document_id, "deleted": True}
    document.document_type = result.get("document_type") or "unknown"
    document.method = result.get("method")
    document.pages = result.get("pages")
    document.fields = result.get("fields") or {}
    document.confidence = result.get("confidence") or {}
    document.sources = result.get("sources") or {}
    document.warnings = result.get("warnings") or []
    document.status, document.error = "extracted", None
    db.session.commit()
    name = TYPE_NAMES.get(document.document_type, "Document")
    if document.document_type == "unknown":
        title, body = f"{document.original_name} was read", "We could not tell what kind of document it is; check it yourself."
    else:
        title = f"{name} read: review {len(document.fields)} fields"
        body = f"{document.original_name}: check each field against the document before applying it to your return."
    notify(db.session, document.user_id, "document.extracted", title, body, service.review_path(document.id), job_id)
    return _summary(document)


def _fail(document_id: int, job_id: str, reason: str) -> bool:
    """Mark the document failed with a reason the user can act on; False if it no longer exists."""
    db.session.rollback()
    document = db.session.get(Document, document_id, with_for_update=True, populate_existing=True)
    if document is None:
        db.session.rollback()
        return False
    document.status, document.error = "failed", reason
    db.session.commit()
    notify(db.session, document.user_id, "document.failed", f"We could not read {document.original_name}", reason,
           service.review_path(document.id), job_id)
    return True


def _summary(document: Document) -> dict[str, Any]:
    return {"document_id": document.id, "status": document.status, "document_type": document.document_type,
            "fields": len(document.fields or {})}
