"""Fixtures for the admin tests."""
from __future__ import annotations

import pytest
from sqlalchemy import select


@pytest.fixture
def uid(app):
    """uid(email) -> that user's id."""
    from app.extensions import db
    from app.models import User

    def find(email: str) -> int:
        return db.session.scalar(select(User.id).where(User.email == email))

    return find


@pytest.fixture
def admin(api_for):
    return api_for("admin@example.com", role="admin")
