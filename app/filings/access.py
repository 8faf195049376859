"""The one way to load a filing for a user: its owner, or a preparer it is shared with.

Anything else is a 404 (never a 403), so nobody learns that someone else's return exists.
"""
from __future__ import annotations

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..ids import parse_id
from ..models import Filing, FilingGrant, User
from ..models.filing import ASSESSMENT_YEARS

NOT_FOUND = "No such return."


def granted_to(user_id: int):
    """SQL condition: an unrevoked grant of the filing to this preparer."""
    return exists().where(FilingGrant.filing_id == Filing.id, FilingGrant.preparer_id == user_id,
                          FilingGrant.revoked_at.is_(None))


def load(session: Session, user: User, ref: int | str, *, for_update: bool = False,
         owner_only: bool = False) -> Filing:
    """The filing `ref` (an id, or an assessment year meaning the user's own return of that year).

    Owner, or preparer with an active grant (unless `owner_only`); anything else raises a 404."""
    if isinstance(ref, str) and ref in ASSESSMENT_YEARS:
        stmt = select(Filing).where(Filing.user_id == user.id, Filing.assessment_year == ref)
    else:
        filing_id = parse_id(ref)
        if filing_id is None:
            raise ApiError(404, "not_found", NOT_FOUND)
        allowed = Filing.user_id == user.id if owner_only else or_(Filing.user_id == user.id, granted_to(user.id))
        stmt = select(Filing).where(and_(Filing.id == filing_id, allowed))
    filing = session.scalar(stmt.with_for_update(of=Filing) if for_update else stmt)
    if filing is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return filing


def can_access(session: Session, user_id: int | None, filing: Filing) -> bool:
    """Whether this user (say, the one who queued a job) may still act on the filing."""
    if user_id is None:
        return False
    if filing.user_id == user_id:
        return True
    return session.scalar(select(FilingGrant.id).where(
        FilingGrant.filing_id == filing.id, FilingGrant.preparer_id == user_id, FilingGrant.revoked_at.is_(None)
    ).limit(1)) is not None
