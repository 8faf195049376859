"""Fixtures shared by the integration tests: users by email, their notifications, shared returns."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select


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
def uid(app):
    """uid(email) -> that user's id."""
    return user_id


@pytest.fixture
def notes(app):
    """notes(email, kind) -> that user's notifications of that kind, oldest first."""
    return notifications


@pytest.fixture
def grant(app):
    """grant(customer_email, preparer_email) -> id of a return the customer shares with the preparer."""
    from app.extensions import db
    from app.models import Filing, FilingGrant

    def make(customer: str, preparer: str, assessment_year: str = "2026-27", revoked: bool = False) -> int:
        filing = Filing(user_id=user_id(customer), assessment_year=assessment_year)
        db.session.add(filing)
        db.session.flush()
        db.session.add(FilingGrant(filing_id=filing.id, user_id=filing.user_id, email=preparer,
                                   preparer_id=user_id(preparer), revoked_at=func.now() if revoked else None))
        db.session.commit()
        return filing.id

    return make
