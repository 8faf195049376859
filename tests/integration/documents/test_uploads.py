"""Uploading documents: limits, types by content, passwords, duplicates, downloads and deletion."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
from sqlalchemy import select


def text_pdf(text: str = "Certificate of interest", pages: int = 1, password: str | None = None) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption(password) if password else None)
    pdf.setCreator("tests")
    for n in range(pages):
        pdf.drawString(72, 720, f"{text} page {n + 1}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def stored_path(app, sha256: str):
    from app.documents.storage import Store

    return Store(app.config["TAXDESK"].upload_dir).path_for(sha256)


def document_row(document_id: int):
    from app.extensions import db
    from app.models import Document

    db.session.rollback()
    return db.session.get(Document, document_id, populate_existing=True)


def test_uploading_a_pdf_stores_it_under_its_hash_and_queues_reading(api, upload, app, filing):
    from app.extensions import db
    from app.models import Job, Outbox

    data = text_pdf()
    r = upload(api, data, "Form 16 (2025).pdf", filing_id=filing.id)
    assert r.status_code == 202, r.get_json()
    body = r.get_json()
    document = document_row(body["document_id"])
    assert document.status == "queued" and document.filing_id == filing.id
    assert document.original_name == "Form 16 (2025).pdf" and document.content_type == "application/pdf"
    path = stored_path(app, document.sha256)
    assert path.read_bytes() == data
    assert path.parent.parent.parent == app.config["TAXDESK"].upload_dir
    assert path.parent.name == document.sha256[2:4] and path.parent.parent.name == document.sha256[:2]
    job = db.session.get(Job, body["job_id"])
    assert (job.kind, job.queue, job.subject_id) == ("ocr", "ocr", document.id)
    outbox = db.session.scalar(select(Outbox).where(Outbox.job_id == job.id))
    assert outbox.func == "jobs.ocr.extract_document" and outbox.args == [document.id]
    shown = api.get(f"/api/v1/documents/{document.id}").get_json()
    assert {"id", "status", "document_type", "fields", "confidence", "warnings", "error", "job_id", "pages",
            "method", "original_name"} <= set(shown)
    assert shown["job_id"] == job.id and shown["status"] == "queued"


def test_an_empty_file_is_400_and_a_missing_file_too(api, upload):
    r = upload(api, b"", "empty.pdf")
    assert r.status_code == 400 and "empty" in r.get_json()["error"]["message"]
    r = api.post("/api/v1/documents", data={"filing_id": ""}, content_type="multipart/form-data")
    assert r.status_code == 400 and "file" in r.get_json()["error"]["fields"]


def test_the_type_comes_from_the_content_not_the_name(api, upload):
    for data, name in [(b"PK\x03\x04 a zip archive", "form16.pdf"), (b"<html><script>alert(1)</script>%PDF-1.4", "x.pdf"),
                       (b"GIF89a;alert(1)//", "photo.jpg"), (b"MZ\x90\x00", "form16.pdf")]:
        r = upload(api, data, name)
        assert r.status_code == 415, name
        assert "PDF, PNG, JPEG" in r.get_json()["error"]["message"]


def test_a_file_over_the_size_limit_is_413_with_a_clear_message(api, upload, app):
    limit = app.config["TAXDESK"].max_upload_mb
    r = upload(api, b"%PDF-1.4\n" + b"0" * (limit * 1024 * 1024), "huge.pdf")
    assert r.status_code == 413
    assert f"{limit} MB" in r.get_json()["error"]["message"]
    r = upload(api, b"%PDF-1.4\n" + b"0" * ((limit + 2) * 1024 * 1024), "huger.pdf")
    assert r.status_code == 413 and f"{limit} MB" in r.get_json()["error"]["message"]
    from app.extensions import db
    from app.models import Document

    assert db.session.scalar(select(Document.id)) is None


def test_a_password_protected_pdf_asks_for_its_password_and_is_stored_decrypted(api, upload, app):
    from app.extensions import db
    from app.models import Outbox

    data = text_pdf("Interest certificate", password="ABCPE1234F")
    r = upload(api, data, "sbi.pdf")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "password_required"
    assert "password" in r.get_json()["error"]["fields"]
    r = upload(api, data, "sbi.pdf", password="wrong")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "password_incorrect"
    r = upload(api, data, "sbi.pdf", password="ABCPE1234F")
    assert r.status_code == 202, r.get_json()
    document = document_row(r.get_json()["document_id"])
    stored = stored_path(app, document.sha256).read_bytes()
    assert b"ABCPE1234F" not in stored
    pdf = pdfium.PdfDocument(stored)  # opens without a password
    assert "Interest certificate" in pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert db.session.scalar(select(Outbox.args).where(Outbox.job_id == r.get_json()["job_id"])) == [document.id]


def test_uploading_the_same_file_twice_returns_the_first_document(api, other_api, upload, app):
    data = text_pdf("Same bytes")
    first = upload(api, data, "a.pdf")
    again = upload(api, data, "b.pdf")
    assert again.status_code == 200
    assert again.get_json() | {"status": None} == {"document_id": first.get_json()["document_id"],
                                                   "job_id": first.get_json()["job_id"], "duplicate": True, "status": None}
    theirs = upload(other_api, data, "c.pdf")
    assert theirs.status_code == 202 and theirs.get_json()["document_id"] != first.get_json()["document_id"]


def test_deleting_keeps_the_file_while_another_users_document_still_uses_it(api, other_api, upload, app):
    data = text_pdf("Shared bytes")
    mine = upload(api, data).get_json()["document_id"]
    theirs = upload(other_api, data).get_json()["document_id"]
    path = stored_path(app, document_row(mine).sha256)
    assert api.delete(f"/api/v1/documents/{mine}").status_code == 200
    assert document_row(mine) is None and path.exists()
    assert api.get(f"/api/v1/documents/{mine}").status_code == 404
    r = other_api.post(f"/documents/{theirs}/delete")
    assert r.status_code == 302
    assert document_row(theirs) is None and not path.exists()


def test_i_download_my_document_as_an_attachment_with_a_safe_name(api, upload):
    data = text_pdf()
    document_id = upload(api, data, '../../etc/pass"wd <script>.pdf').get_json()["document_id"]
    r = api.get(f"/api/v1/documents/{document_id}/file")
    assert r.status_code == 200 and r.data == data
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "/" not in disposition and "<" not in disposition and '"wd' not in disposition
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert api.get(f"/documents/{document_id}/download").data == data


def test_a_png_named_like_a_web_page_downloads_as_a_png(api, upload):
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (40, 20), 255).save(out, "PNG")
    document_id = upload(api, out.getvalue(), "invoice.html").get_json()["document_id"]
    r = api.get(f"/api/v1/documents/{document_id}/file")
    assert r.headers["Content-Type"] == "image/png"
    assert 'filename=invoice.png' in r.headers["Content-Disposition"]
    preview = api.get(f"/documents/{document_id}/image")
    assert preview.status_code == 200 and preview.headers["Content-Type"] == "image/png"


def test_my_documents_list_newest_first_in_pages(api, other_api, upload):
    ids = [upload(api, text_pdf(f"Document {n}")).get_json()["document_id"] for n in range(3)]
    upload(other_api, text_pdf("Not mine"))
    first = api.get("/api/v1/documents?limit=2").get_json()
    assert [d["id"] for d in first["documents"]] == [ids[2], ids[1]]
    second = api.get(f"/api/v1/documents?limit=2&cursor={first['next_cursor']}").get_json()
    assert [d["id"] for d in second["documents"]] == [ids[0]] and second["next_cursor"] is None
    page = api.get("/documents")
    assert page.status_code == 200 and "Not mine" not in page.get_data(as_text=True)


def test_the_upload_form_works_without_javascript(api, make_filing):
    filing = make_filing(api)
    r = api.post("/documents", data={"file": (io.BytesIO(text_pdf()), "form16.pdf"), "filing_id": str(filing.id)},
                 content_type="multipart/form-data")
    assert r.status_code == 302 and r.headers["Location"].startswith("/documents/")
    r = api.post("/documents", data={"file": (io.BytesIO(b"not a document"), "x.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 415
    assert 'aria-describedby="file-help file-error"' in r.get_data(as_text=True)
    huge = b"%PDF-1.4\n" + b"0" * (22 * 1024 * 1024)
    r = api.post("/documents", data={"file": (io.BytesIO(huge), "big.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 413 and "20 MB" in r.get_data(as_text=True)


def test_uploading_to_someone_elses_return_is_404(api, other_api, upload, make_filing):
    theirs = make_filing(other_api)
    assert upload(api, text_pdf(), filing_id=theirs.id).status_code == 404


def test_another_user_gets_404_on_every_route_of_my_document(api, other_api, upload, read_document):
    document_id = upload(api, text_pdf()).get_json()["document_id"]
    read_id = read_document(api).id
    for doc in (document_id, read_id):
        for method, url in [
            ("get", f"/api/v1/documents/{doc}"), ("get", f"/api/v1/documents/{doc}/file"),
            ("delete", f"/api/v1/documents/{doc}"), ("get", f"/documents/{doc}"),
            ("get", f"/documents/{doc}/download"), ("get", f"/documents/{doc}/image"),
            ("post", f"/documents/{doc}/delete"), ("post", f"/documents/{doc}/apply"),
        ]:
            assert getattr(other_api, method)(url).status_code == 404, (method, url)
        r = other_api.post(f"/api/v1/documents/{doc}/apply", json={"fields": {"tds": 1}})
        assert r.status_code == 404
    assert other_api.get("/api/v1/documents").get_json()["documents"] == []
    assert api.get(f"/api/v1/documents/{document_id}").status_code == 200
