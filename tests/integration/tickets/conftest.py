"""Fixtures for the ticket tests: stored documents."""
from __future__ import annotations

import hashlib

import pytest

from tests.integration.conftest import user_id


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
