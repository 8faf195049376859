"""Persisted notifications, pushed live to the owner's room."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import Notification
from ..realtime import emit


def notify(session: Session, user_id: int, kind: str, title: str, body: str = "", link: str | None = None,
           job_id: str | None = None) -> Notification:
    note = Notification(user_id=user_id, kind=kind, title=title, body=body, link=link, job_id=job_id)
    session.add(note)
    session.commit()
    emit.to_user(user_id, "notification.created", as_json(note))
    return note


def as_json(note: Notification) -> dict[str, object]:
    return {
        "id": note.id, "kind": note.kind, "title": note.title, "body": note.body, "link": note.link,
        "job_id": note.job_id, "read": note.read_at is not None, "created_at": note.created_at.isoformat(),
    }
