"""Append-only audit log: who changed what in a filing, before → after.

Entries hold the values as they were (PAN and account numbers included: the history tab shows them
to the people who may see the filing), so nothing here ever writes them to the application log.
"""
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


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(dotted field, before, after) for every leaf that differs, for showing an entry."""
    out: list[tuple[str, Any, Any]] = []

    def walk(path: str, old: Any, new: Any) -> None:
        if isinstance(old, dict) or isinstance(new, dict):
            old_d = old if isinstance(old, dict) else {}
            new_d = new if isinstance(new, dict) else {}
            for key in sorted(set(old_d) | set(new_d), key=str):
                walk(f"{path}.{key}" if path else str(key), old_d.get(key), new_d.get(key))
        elif isinstance(old, list) or isinstance(new, list):
            old_l = old if isinstance(old, list) else []
            new_l = new if isinstance(new, list) else []
            for i in range(max(len(old_l), len(new_l))):
                walk(f"{path}[{i}]", old_l[i] if i < len(old_l) else None, new_l[i] if i < len(new_l) else None)
        elif old != new:
            out.append((path, old, new))

    walk("", before, after)
    return out
