"""The dashboard's summary of a user's own returns, cached per user in Redis.

The dashboard is the most requested page; reading every filing row with its full computation
(both regimes, several KB of JSON) on each view cost a query and the JSON decoding. The summary
is small, so it is cached, and dropped after any commit that inserted, changed or deleted one of
the user's filings.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import Filing
from ..services import cache
from . import service

TTL_SECONDS = 300


def summaries(session: Session, user_id: int) -> dict[str, dict[str, Any]]:
    """assessment year → service.summary_json of each of the user's own filings."""
    def load() -> dict[str, dict[str, Any]]:
        return {f.assessment_year: service.summary_json(f) for f in service.own_filings(session, user_id)}

    return cache.get_or_load(cache.USER, user_id, "filings", TTL_SECONDS, load)


cache.drop_on_commit(Filing, cache.USER, "filings", lambda filing: filing.user_id)
