"""Documents on the web side: upload, listing, extraction results, applying to a return, deletion.

Not part of the pure extraction core (it uses the database, the job queue and the request).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from flask import current_app, request, send_file
from PIL import Image
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

from ..config import Config
from ..errors import ApiError
from ..filings import service as filings
from ..ids import page_cursor, parse_id
from ..models import Document, Filing, IncomeItem, Job
from ..services import audit, jobs
from . import apply as mapping
from .sniff import sniff_type
from .storage import Store, TooLarge, download_name, sanitise_name

MB = 1024 * 1024
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg", "tiff": "image/tiff"}
KINDS = {v: k for k, v in CONTENT_TYPES.items()}
ACTIVE = ("queued", "processing")
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
PREVIEW_WIDTH = 1600


@dataclass(frozen=True)
class Uploaded:
    document: Document
    job_id: str | None
    duplicate: bool


def config() -> Config:
    return current_app.config["TAXDESK"]


def store() -> Store:
    return Store(config().upload_dir)


def review_path(document_id: int) -> str:
    return f"/documents/{document_id}"


def kind_of(document: Document) -> str:
    return KINDS.get(document.content_type, "")


# --- reading -----------------------------------------------------------------------------------

def owned(session: Session, user_id: int, document_id: int, for_update: bool = False) -> Document:
    stmt = select(Document).where(Document.id == document_id, Document.user_id == user_id)
    document = session.scalar(stmt.with_for_update() if for_update else stmt)
    if document is None:
        raise ApiError(404, "not_found", "No such document.")
    return document


def owned_filing(session: Session, user_id: int, filing_id: Any, for_update: bool = False) -> Filing:
    fid = parse_id(filing_id)
    if fid is None:
        raise ApiError(404, "not_found", "No such return.", {"filing_id": "Choose one of your returns."})
    stmt = select(Filing).where(Filing.id == fid, Filing.user_id == user_id)
    filing = session.scalar(stmt.with_for_update() if for_update else stmt)
    if filing is None:
        raise ApiError(404, "not_found", "No such return.", {"filing_id": "Choose one of your returns."})
    return filing


def user_filings(session: Session, user_id: int) -> list[Filing]:
    return list(session.scalars(select(Filing).where(Filing.user_id == user_id).order_by(Filing.assessment_year.desc())))


def latest_jobs(session: Session, user_id: int, document_ids: list[int]) -> dict[int, Job]:
    """The newest extraction job of each document."""
    if not document_ids:
        return {}
    rows = session.scalars(
        select(Job).where(Job.user_id == user_id, Job.kind == "ocr", Job.subject_id.in_(document_ids))
        .order_by(Job.created_at)
    )
    return {job.subject_id: job for job in rows if job.subject_id is not None}


def page(session: Session, user_id: int, cursor: Any = None, limit: Any = None) -> tuple[list[Document], int | None]:
    """One page of the user's documents, newest first; the cursor is the last id seen."""
    before, size = page_cursor(cursor, limit, PAGE_SIZE, MAX_PAGE_SIZE)
    stmt = select(Document).where(Document.user_id == user_id).order_by(Document.id.desc()).limit(size + 1)
    if before is not None:
        stmt = stmt.where(Document.id < before)
    rows = list(session.scalars(stmt))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].id if more else None)


def shown_status(document: Document, job: Job | None) -> tuple[str, str | None]:
    """A document whose job was given up on (its worker kept dying) is shown failed, not stuck."""
    if document.status in ACTIVE and job is not None and job.status == "failed":
        return "failed", job.error or "This document could not be read. Delete it and upload it again."
    return document.status, document.error


def as_json(document: Document, job: Job | None) -> dict[str, Any]:
    status, error = shown_status(document, job)
    return {
        "id": document.id, "status": status, "document_type": document.document_type,
        "fields": document.fields or {}, "confidence": document.confidence or {},
        "sources": document.sources or {}, "warnings": document.warnings or [], "error": error,
        "job_id": job.id if job else None, "progress": job.progress if job else None,
        "pages": document.pages, "method": document.method, "original_name": document.original_name,
        "content_type": document.content_type, "size": document.size, "filing_id": document.filing_id,
        "created_at": document.created_at.isoformat() if document.created_at else None,
    }


# --- upload ------------------------------------------------------------------------------------

def upload_from_request(session: Session, user_id: int) -> Uploaded:
    """Validate and store the multipart upload of the current request, then queue its extraction."""
    if request.content_length is not None and request.content_length > (config().max_upload_mb + 1) * MB:
        raise too_large()
    try:
        file = request.files.get("file")
        form = request.form
    except RequestEntityTooLarge:
        raise too_large() from None
    if file is None:
        raise ApiError(400, "file_missing", "Choose a file to upload.", {"file": "Choose a file to upload."})
    return upload(session, user_id, file.stream, file.filename, form.get("filing_id") or None,
                  form.get("password") or None)


def upload(session: Session, user_id: int, stream, filename: str | None, filing_id: Any,
           password: str | None) -> Uploaded:
    cfg = config()
    if filing_id is not None:
        owned_filing(session, user_id, filing_id)
    files = Store(cfg.upload_dir)
    try:
        received = files.receive(stream, cfg.max_upload_mb * MB)
    except TooLarge:
        raise too_large() from None
    decrypted = None
    try:
        if received.size == 0:
            raise ApiError(400, "empty_file", "This file is empty.", {"file": "This file is empty: choose another."})
        kind = sniff_type(received.head)
        if kind is None:
            raise ApiError(415, "unsupported_type",
                           "TaxDesk reads PDF, PNG, JPEG and TIFF files, and this file is none of these "
                           "(its contents decide, not its name).", {"file": "Upload a PDF, PNG, JPEG or TIFF file."})
        _lock_content(session, received.sha256)
        existing = session.scalar(
            select(Document).where(Document.user_id == user_id, Document.sha256 == received.sha256)
            .order_by(Document.id).limit(1)
        )
        if existing is not None:
            job = latest_jobs(session, user_id, [existing.id]).get(existing.id)
            session.commit()
            return Uploaded(existing, job.id if job else None, True)
        if kind == "pdf":
            decrypted = _decrypted_copy(received.path, password, files)
        files.keep(decrypted or received.path, received.sha256)
        document = Document(
            user_id=user_id, filing_id=int(filing_id) if filing_id is not None else None, sha256=received.sha256,
            original_name=sanitise_name(filename), content_type=CONTENT_TYPES[kind], size=received.size,
            status="queued",
        )
        session.add(document)
        session.flush()
        job, _ = jobs.submit_and_enqueue(
            session, kind="ocr", queue="ocr", func="jobs.ocr.extract_document", args=[document.id],
            user_id=user_id, subject_id=document.id, dedup_key=f"ocr:{document.id}",
        )
        return Uploaded(document, job.id, False)
    except BaseException:
        session.rollback()
        raise
    finally:
        files.discard(received.path, decrypted)


def too_large() -> ApiError:
    limit = config().max_upload_mb
    return ApiError(413, "file_too_large",
                    f"This file is larger than {limit} MB. Upload a smaller file: scan at 300 dpi in grey, or upload "
                    "only the pages of the certificate.", {"file": f"Choose a file of at most {limit} MB."})


def _lock_content(session: Session, sha256: str) -> None:
    """Serialise uploads and deletions of the same content (held until the transaction ends), so a
    file is never removed while another upload is about to reference it."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(sha256[:15], 16)})


def _decrypted_copy(path, password: str | None, files: Store):
    """For a password-protected PDF, check the password and return a copy without security (so
    the password is neither stored nor given to a job); None for any other PDF. A PDF PDFium cannot
    open at all is left to the extraction job, which reports why."""
    try:
        pdfium.PdfDocument(str(path)).close()
        return None
    except pdfium.PdfiumError as exc:
        if exc.err_code != pdfium_c.FPDF_ERR_PASSWORD:
            return None
    if not password:
        raise ApiError(422, "password_required",
                       "This PDF is password-protected. Enter its password (banks often use your PAN or date of "
                       "birth) and upload it again.", {"password": "Enter the PDF's password."})
    try:
        pdf = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ApiError(422, "password_incorrect", "That password does not open this PDF. Check it and try again.",
                           {"password": "That password does not open this PDF."}) from None
        return None
    out = files.temp_path()
    try:
        pdf.save(str(out), flags=pdfium_c.FPDF_REMOVE_SECURITY)
    finally:
        pdf.close()
    return out


# --- apply -------------------------------------------------------------------------------------

def _read_sections(session: Session, filing: Filing) -> dict[str, dict[str, Any]]:
    items = session.scalars(
        select(IncomeItem).where(IncomeItem.filing_id == filing.id, IncomeItem.head.in_(("salary", "other_sources")))
        .order_by(IncomeItem.position)
    )
    sections: dict[str, dict[str, Any]] = {"taxes_paid": dict(filing.taxes_paid or {})}
    for item in items:
        sections.setdefault(item.head, dict(item.data or {}))
    return sections


def _write_sections(session: Session, filing: Filing, sections: dict[str, dict[str, Any]]) -> None:
    for head, data in sections.items():
        if head == "taxes_paid":
            filing.taxes_paid = data
            continue
        item = session.scalar(
            select(IncomeItem).where(IncomeItem.filing_id == filing.id, IncomeItem.head == head)
            .order_by(IncomeItem.position).limit(1)
        )
        if item is None:
            session.add(IncomeItem(filing_id=filing.id, user_id=filing.user_id, head=head, position=0, data=data))
        else:
            item.data = data


def apply_document(session: Session, user_id: int, actor_id: int, document_id: int, accepted: Any,
                   filing_id: Any = None) -> tuple[Document, mapping.Plan]:
    """Write the accepted fields into the filing in one transaction (see app.documents.apply)."""
    try:
        return _apply(session, user_id, actor_id, document_id, accepted, filing_id)
    except BaseException:
        session.rollback()
        raise


def _apply(session, user_id, actor_id, document_id, accepted, filing_id):
    document = owned(session, user_id, document_id, for_update=True)
    if document.status not in ("extracted", "applied"):
        raise ApiError(409, "not_ready", "This document has not been read successfully, so there is nothing to apply.")
    allowed = mapping.targets(document.document_type, document.fields or {}, document.sources or {})
    if not allowed:
        raise ApiError(422, "nothing_to_apply",
                       "Nothing in this document can be applied to a return; enter its figures in the return yourself.")
    if not isinstance(accepted, dict):
        raise ApiError(422, "invalid_fields", "Send the accepted fields as an object of name → amount.",
                       {"fields": "Send an object of name → amount."})
    clean, errors = mapping.validate(accepted, allowed)
    if errors:
        raise ApiError(422, "invalid_fields", "Some accepted fields need attention.", errors)
    if not clean:
        raise ApiError(422, "nothing_accepted", "Accept at least one field to apply.", {"fields": "Accept at least one field."})
    target_id = filing_id if filing_id not in (None, "") else document.filing_id
    if target_id is None:
        raise ApiError(422, "filing_required", "Choose the return to apply this document to.",
                       {"filing_id": "Choose a return."})
    filing = owned_filing(session, user_id, target_id, for_update=True)
    filings.ensure_editable(filing)
    previous = document.applied if document.filing_id == filing.id else None
    current = _read_sections(session, filing)
    plan = mapping.plan(current, clean, allowed, previous)
    _write_sections(session, filing, plan.sections)
    filings.touched(filing, input_changed=True)
    document.status, document.applied, document.filing_id = "applied", plan.contribution, filing.id
    _audit(session, user_id, actor_id, filing.id, document, plan)
    session.commit()
    filings.announce(filing, actor_id)
    return document, plan


def _audit(session: Session, user_id: int, actor_id: int, filing_id: int, document: Document, plan: mapping.Plan) -> None:
    before = {"document_id": document.id, **{path: old for path, old, _ in plan.changes}}
    after = {"document_id": document.id, **{path: new for path, _, new in plan.changes}}
    audit.record(session, user_id, actor_id, filing_id, "document.apply", before, after)


# --- files -------------------------------------------------------------------------------------

def send_document(document: Document):
    """The stored file as an attachment under its sanitised name, with the type its bytes showed."""
    path = store().path_for(document.sha256)
    if not path.exists():
        raise ApiError(404, "file_missing", "The file of this document is missing; delete it and upload it again.")
    response = send_file(path, mimetype=document.content_type, as_attachment=True, max_age=0,
                         download_name=download_name(document.original_name, kind_of(document)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_preview(document: Document):
    """An image document for an <img> on the review page (TIFF, which browsers do not show, as PNG)."""
    kind = kind_of(document)
    path = store().path_for(document.sha256)
    if kind not in ("png", "jpeg", "tiff") or not path.exists():
        raise ApiError(404, "no_preview", "This document has no image preview.")
    if kind != "tiff":
        response = send_file(path, mimetype=document.content_type, max_age=0)
    else:
        with Image.open(path) as image:
            if image.width * image.height > config().ocr_max_pixels:
                raise ApiError(404, "no_preview", "This image is too large to preview.")
            image.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 2))
            out = io.BytesIO()
            image.convert("RGB").save(out, "PNG")
        out.seek(0)
        response = send_file(out, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


# --- delete ------------------------------------------------------------------------------------

def delete_document(session: Session, user_id: int, document_id: int) -> None:
    """Delete the row; remove the file when no document of any user still references its content."""
    try:
        document = owned(session, user_id, document_id)
        sha = document.sha256
        _lock_content(session, sha)
        session.delete(document)
        session.flush()
        others = session.scalar(select(func.count()).select_from(Document).where(Document.sha256 == sha))
        if not others:
            store().remove(sha)
        session.commit()
    except BaseException:
        session.rollback()
        raise
