"""The signed-in user of a request, from a Redis copy of their row.

Every signed-in request needs the user's row (role, active flag, name). Read from PostgreSQL it
cost a BEGIN, a SELECT and a ROLLBACK on every request, a third of the dashboard's time, although
the row rarely changes. The copy is attached to the request's database session as if just loaded,
so it behaves as a queried row: changes to it are flushed, and the columns left out of the copy
(the password hash never goes to Redis) load from the database when first read. It is dropped
after any commit that changed the user.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, make_transient_to_detached

from ..models import User
from ..services import cache

TTL_SECONDS = 300
_COPIED = ("id", "email", "name", "role", "is_active", "email_notifications")


def load(session: Session, user_id: int) -> User | None:
    """The user with this id, attached to `session`; None when there is no such user. Reads the
    user's whole cache hash, which the rest of the request's per-user reads then answer from."""
    cache.prefetch(cache.USER, user_id)
    row = cache.get_or_load(cache.USER, user_id, "row", TTL_SECONDS, lambda: _row(session, user_id))
    if row is None:
        return None
    user = User(**{k: row[k] for k in _COPIED}, created_at=datetime.fromisoformat(row["created_at"]))
    make_transient_to_detached(user)
    return session.merge(user, load=False)


def _row(session: Session, user_id: int) -> dict[str, Any] | None:
    user = session.get(User, user_id)
    if user is None:
        return None
    return {**{k: getattr(user, k) for k in _COPIED}, "created_at": user.created_at.isoformat()}


cache.drop_on_commit(User, cache.USER, "row", lambda user: user.id)
