"""Fixtures for the documents tests: a return to apply to, uploads, already-read documents."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

FORM16 = {
    "employee_pan": "ABCPE1234F", "employer_tan": "MUMA12345B", "employer_name": "Acme Tools Private Limited",
    "assessment_year": "2026-27", "gross_salary": 1450000, "hra_exempt": 0, "standard_deduction": 75000,
    "professional_tax": 2400, "taxable_salary": 1372600, "tds": 89700,
}


def _user_id(email: str) -> int:
    from app.extensions import db
    from app.models import User

    return db.session.scalar(select(User.id).where(User.email == email))


@pytest.fixture
def make_filing(app):
    """make_filing(api, assessment_year="2026-27", **values) -> Filing owned by that api's user."""
    from app.extensions import db
    from app.models import Filing

    def make(api, assessment_year: str = "2026-27", **values) -> Filing:
        filing = Filing(user_id=_user_id(api.user_email), assessment_year=assessment_year, **values)
        db.session.add(filing)
        db.session.commit()
        db.session.expunge(filing)  # a snapshot: requests in this thread end the scoped session
        return filing

    return make


@pytest.fixture
def filing(api, make_filing):
    return make_filing(api)


@pytest.fixture
def upload():
    """upload(api, data, name="form16.pdf", **form) -> response of POST /api/v1/documents."""

    def send(api, data: bytes, name: str = "form16.pdf", **form):
        fields = {"file": (io.BytesIO(data), name), **{k: str(v) for k, v in form.items()}}
        return api.post("/api/v1/documents", data=fields, content_type="multipart/form-data")

    return send


@pytest.fixture
def read_document(app, var_dir):
    """read_document(api, document_type="form16", fields=..., sources=...) -> a Document as the OCR job
    leaves it (status extracted), with a small stored file, for tests that need no OCR."""
    import hashlib

    from app.documents.storage import Store
    from app.extensions import db
    from app.models import Document

    def make(api, document_type: str = "form16", fields: dict | None = None, sources: dict | None = None,
             filing_id: int | None = None, content: bytes | None = None) -> Document:
        content = content or b"%PDF-1.4\n% test document " + hashlib.sha256(repr((fields, sources)).encode()).hexdigest().encode()
        sha = hashlib.sha256(content).hexdigest()
        store = Store(app.config["TAXDESK"].upload_dir)
        temp = store.temp_path()
        temp.write_bytes(content)
        store.keep(temp, sha)
        document = Document(
            user_id=_user_id(api.user_email), filing_id=filing_id, sha256=sha, original_name=f"{document_type}.pdf",
            content_type="application/pdf", size=len(content), status="extracted", document_type=document_type,
            method="text-layer", pages=1, fields=fields if fields is not None else dict(FORM16),
            confidence={}, sources=sources or {}, warnings=[],
        )
        db.session.add(document)
        db.session.commit()
        db.session.expunge(document)
        return document

    return make


@pytest.fixture
def fresh(app):
    """fresh(Model, id) -> the row as the database has it now."""
    from app.extensions import db

    def get(model, key):
        db.session.rollback()
        return db.session.get(model, key, populate_existing=True)

    return get
