"""Documents read by the OCR worker: end to end from upload to the return, and bad files that
fail with a reason while the worker keeps going."""
from __future__ import annotations

from sqlalchemy import select

from tests.unit.documents.generate import (
    make_form16_pdf,
    make_many_pages_pdf,
    make_pdf_magic_garbage,
    make_pdf_zip_polyglot,
    make_png_bomb,
    make_scan,
    make_truncated,
)

SALARY = {"gross_salary": 1450000, "professional_tax": 2400, "tds": 89700, "assessment_year": "2026-27"}


def read(api, upload, wait_job, data: bytes, name: str, **form) -> dict:
    r = upload(api, data, name, **form)
    assert r.status_code == 202, r.get_json()
    job = wait_job(r.get_json()["job_id"], timeout=90)
    document = api.get(f"/api/v1/documents/{r.get_json()['document_id']}").get_json()
    return {"job": job, **document}


def test_my_form16_is_read_reviewed_and_applied_to_my_return(api, filing, upload, worker, wait_job, tmp_path, fresh):
    from app.extensions import db
    from app.models import Filing, IncomeItem, Notification

    expected = make_form16_pdf(tmp_path / "form16.pdf", SALARY)
    document = read(api, upload, wait_job, (tmp_path / "form16.pdf").read_bytes(), "form16.pdf", filing_id=filing.id)
    assert document["job"].status == "finished" and document["job"].progress == 100
    assert (document["status"], document["document_type"], document["method"]) == ("extracted", "form16", "text-layer")
    for name in ("gross_salary", "professional_tax", "tds", "employee_pan"):
        assert document["fields"][name] == expected[name], name
    assert "89,700" in document["sources"]["tds"] or "89700" in document["sources"]["tds"]
    note = db.session.scalar(select(Notification).where(Notification.job_id == document["job"].id))
    assert note.link == f"/documents/{document['id']}"

    page = api.get(f"/documents/{document['id']}").get_data(as_text=True)
    assert document["sources"]["gross_salary"].replace("&", "&amp;") in page.replace("&#39;", "'")
    accepted = {k: document["fields"][k] for k in ("gross_salary", "professional_tax", "tds")}
    r = api.post(f"/api/v1/documents/{document['id']}/apply", json={"fields": accepted})
    assert r.status_code == 200, r.get_json()
    saved = fresh(Filing, filing.id)
    salary = db.session.scalar(select(IncomeItem.data).where(IncomeItem.filing_id == filing.id, IncomeItem.head == "salary"))
    assert salary == {"gross": 1450000, "professional_tax": 2400}
    assert saved.taxes_paid == {"tds_salary": 89700} and saved.computation_stale
    assert api.get(f"/api/v1/documents/{document['id']}").get_json()["status"] == "applied"


def test_a_password_protected_form16_is_read_after_i_give_its_password(api, upload, worker, wait_job, tmp_path):
    expected = make_form16_pdf(tmp_path / "locked.pdf", SALARY, layout=1, password="ABCPE1234F")
    data = (tmp_path / "locked.pdf").read_bytes()
    assert upload(api, data, "locked.pdf").status_code == 422
    document = read(api, upload, wait_job, data, "locked.pdf", password="ABCPE1234F")
    assert document["status"] == "extracted"
    assert document["fields"]["tds"] == expected["tds"]


def test_a_scanned_form16_photo_is_read_by_ocr_and_shown_beside_its_fields(api, upload, worker, wait_job, tmp_path):
    expected = make_form16_pdf(tmp_path / "form16.pdf", SALARY)
    scan = make_scan(tmp_path / "form16.pdf", tmp_path / "scan.png", skew=0.5, noise=0.02, dpi=300)
    document = read(api, upload, wait_job, scan.read_bytes(), "IMG_2041.png")
    assert (document["status"], document["method"], document["document_type"]) == ("extracted", "ocr", "form16")
    assert document["fields"]["gross_salary"] == expected["gross_salary"]
    page = api.get(f"/documents/{document['id']}").get_data(as_text=True)
    assert f'src="/documents/{document["id"]}/image"' in page
    image = api.get(f"/documents/{document['id']}/image")
    assert image.status_code == 200 and image.data == scan.read_bytes()


def test_bad_files_fail_with_a_readable_reason_and_the_worker_keeps_working(api, upload, worker, wait_job, tmp_path):
    make_form16_pdf(tmp_path / "good.pdf", SALARY)
    bad = {
        "garbage.pdf": make_pdf_magic_garbage(tmp_path / "garbage.pdf"),
        "truncated.pdf": make_truncated(tmp_path / "truncated.pdf", tmp_path / "good.pdf"),
        "polyglot.pdf": make_pdf_zip_polyglot(tmp_path / "polyglot.pdf", tmp_path / "good.pdf"),
        "bomb.png": make_png_bomb(tmp_path / "bomb.png"),
        "statement.pdf": make_many_pages_pdf(tmp_path / "statement.pdf", 1000),
        "broken.png": tmp_path / "broken.png",
    }
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    reasons = {}
    for name, path in bad.items():
        document = read(api, upload, wait_job, path.read_bytes(), name)
        assert document["job"].status == "failed", name
        assert document["status"] == "failed" and document["error"], name
        assert "problem on our side" not in document["error"] and "several attempts" not in document["error"], name
        reasons[name] = document["error"]
    assert "1000 pages" in reasons["statement.pdf"]
    assert worker.alive()
    good = read(api, upload, wait_job, (tmp_path / "good.pdf").read_bytes(), "good.pdf")
    assert good["status"] == "extracted" and good["fields"]["tds"] == 89700


def test_a_document_left_half_read_by_a_dead_worker_is_read_when_its_job_runs_again(
    api, upload, read_document, worker, wait_job, tmp_path, app,
):
    """The runner and the relay requeue a job whose worker died; the body then starts the document
    over instead of leaving it stuck in `processing`."""
    from app.extensions import db
    from app.models import Document
    from app.services import jobs

    make_form16_pdf(tmp_path / "form16.pdf", SALARY)
    document = read_document(api, content=(tmp_path / "form16.pdf").read_bytes(), fields={})
    row = db.session.get(Document, document.id)
    row.status, row.document_type = "processing", None
    db.session.commit()
    job, _ = jobs.submit_and_enqueue(db.session, kind="ocr", queue="ocr", func="jobs.ocr.extract_document",
                                     args=[document.id], user_id=row.user_id, subject_id=document.id,
                                     dedup_key=f"ocr:{document.id}")
    assert wait_job(job.id, timeout=60).status == "finished"
    shown = api.get(f"/api/v1/documents/{document.id}").get_json()
    assert shown["status"] == "extracted" and shown["fields"]["tds"] == 89700
