"""The dashboard's summary of a user's own returns, cached per user in Redis.

The dashboard is the most requested page; reading every filing row with its full computation
(both regimes, several KB of JSON) on each view cost a query and the JSON decoding. The summary
is small, so it is cached, and dropped after any commit that inserted, changed or deleted one of
the user's filings, whichever code path made the change (SQLAlchemy session events). The TTL
bounds what a change made outside the ORM (raw SQL in a script) could leave stale.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..models import Filing
from ..services import cache
from . import service

NAMESPACE = "dashboard"
TTL_SECONDS = 300
_DIRTY = "dashboard_users"


def summaries(session: Session, user_id: int) -> dict[str, dict[str, Any]]:
    """assessment year → service.summary_json of each of the user's own filings."""
    def load() -> dict[str, dict[str, Any]]:
        return {f.assessment_year: service.summary_json(f) for f in service.own_filings(session, user_id)}

    return cache.get_or_load(NAMESPACE, user_id, "filings", TTL_SECONDS, load)


@event.listens_for(Session, "after_flush")
def _note_changed_filings(session: Session, _context: object) -> None:
    users = {obj.user_id for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, Filing)}
    if users:
        session.info.setdefault(_DIRTY, set()).update(users)


@event.listens_for(Session, "after_commit")
def _drop_changed_summaries(session: Session) -> None:
    users = session.info.pop(_DIRTY, None)
    if users:
        cache.invalidate(NAMESPACE, *users)
