"""A filing's history tab: its audit entries, newest first, with who did what (keyset pages)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..ids import BIGINT_MAX
from ..models import AuditLog, Filing, User
from ..services import audit

MAX_PAGE = 100
DEFAULT_PAGE = 30
ACTIONS = {
    "filing.create": "Started the return", "filing.update": "Changed the return", "filing.delete": "Deleted the return",
    "filing.compute_requested": "Asked for a computation", "filing.computed": "Computed the tax",
    "filing.ready": "Marked the return ready", "filing.filed": "Marked the return filed",
    "bank_account.add": "Added a bank account", "bank_account.refund": "Chose the refund account", "bank_account.remove": "Removed a bank account",
    "family_member.add": "Added a family member", "family_member.remove": "Removed a family member",
    "foreign_asset.add": "Added a foreign asset", "foreign_asset.remove": "Removed a foreign asset",
    "challan.add": "Added a challan", "challan.remove": "Removed a challan",
    "grant.add": "Shared the return", "grant.revoke": "Stopped sharing the return",
    "document.apply": "Applied a document", "invoice.issued": "Issued an invoice",
    "invoice.paid": "Marked an invoice paid",
}


def page_size(value: Any) -> int:
    try:
        return max(1, min(MAX_PAGE, int(value)))
    except (TypeError, ValueError):
        return DEFAULT_PAGE


def page(session: Session, filing: Filing, before: Any, limit: Any) -> tuple[list[dict[str, Any]], int | None]:
    size = page_size(limit)
    stmt = (select(AuditLog, User.name).outerjoin(User, User.id == AuditLog.actor_id)
            .where(AuditLog.filing_id == filing.id, AuditLog.user_id == filing.user_id)
            .order_by(AuditLog.id.desc()).limit(size + 1))
    try:
        cursor = int(before) if before not in (None, "") else None
    except (TypeError, ValueError):
        cursor = None
    if cursor is not None and cursor <= BIGINT_MAX:
        stmt = stmt.where(AuditLog.id < cursor)
    rows = session.execute(stmt).all()
    entries = [_entry(log, name) for log, name in rows[:size]]
    return entries, (rows[size - 1][0].id if len(rows) > size else None)


def _entry(log: AuditLog, actor_name: str | None) -> dict[str, Any]:
    return {
        "id": log.id, "action": log.action, "summary": ACTIONS.get(log.action, log.action),
        "actor": {"id": log.actor_id, "name": actor_name}, "created_at": log.created_at.isoformat(),
        "before": log.before, "after": log.after,
        "changes": [{"field": f, "before": b, "after": a} for f, b, a in audit.changes(log.before, log.after)],
    }
