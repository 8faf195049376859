"""Fixtures for the ticket tests: shared returns (grants), stored documents, notification lookups."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select


def user_id(email: str) -> int:
    from app.extensions import db
    from app.models import User

    return db.session.scalar(select(User.id).where(User.email == email))


def notifications(email: str, kind: str) -> list:
    from app.extensions import db
    from app.models import Notification

    db.session.rollback()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id(email),
                                                               Notification.kind == kind).order_by(Notification.id)))


@pytest.fixture
def notes(app):
    """notes(email, kind) -> that user's notifications of that kind, oldest first."""
    return notifications


@pytest.fixture
def grant(app):
    """grant(customer_email, preparer_email) -> id of a return the customer shares with the preparer."""
    from app.extensions import db
    from app.models import Filing, FilingGrant

    def make(customer: str, preparer: str, assessment_year: str = "2026-27") -> int:
        filing = Filing(user_id=user_id(customer), assessment_year=assessment_year)
        db.session.add(filing)
        db.session.flush()
        db.session.add(FilingGrant(filing_id=filing.id, user_id=filing.user_id, email=preparer,
                                   preparer_id=user_id(preparer)))
        db.session.commit()
        return filing.id

    return make


@pytest.fixture
def stored_document(app):
    """stored_document(email, data) -> id of a document of that user whose file is stored."""
    from app.documents.storage import Store
    from app.extensions import db
    from app.models import Document

    def make(email: str, data: bytes = b"%PDF-1.4 test attachment", name: str = "form16.pdf") -> int:
        sha = hashlib.sha256(data).hexdigest()
        path = Store(app.config["TAXDESK"].upload_dir).path_for(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        document = Document(user_id=user_id(email), sha256=sha, original_name=name, content_type="application/pdf",
                            size=len(data), status="extracted")
        db.session.add(document)
        db.session.commit()
        return document.id

    return make
