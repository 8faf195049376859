"""Append-only audit log: who changed what in a filing, before → after."""
from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlalchemy.orm import Session

from ..models import AuditLog


def record(session: Session, user_id: int, actor_id: int | None, filing_id: int | None, action: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> AuditLog:
    """Add one entry to the caller's transaction (committed with the change it describes)."""
    entry = AuditLog(user_id=user_id, actor_id=actor_id, filing_id=filing_id, action=action, before=before,
                     after=after, request_id=g.get("request_id") if has_request_context() else None)
    session.add(entry)
    return entry
