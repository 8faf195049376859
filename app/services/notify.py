"""Persisted notifications, pushed live to the owner's room and, if they want it, emailed.

Job-done notifications (those tied to a job) and ticket replies (`email=True`) are also sent as
email through the `mail` queue when the user keeps `email_notifications` on. The notification and
its mail job commit together, so neither exists without the other.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Notification, User
from ..realtime import emit
from . import jobs


def notify(session: Session, user_id: int, kind: str, title: str, body: str = "", link: str | None = None,
           job_id: str | None = None, email: bool | None = None) -> Notification:
    """Commit a notification for one user, then push it. `email` defaults to "is it about a job"."""
    from ..notifications.service import as_json, forget_unread

    note = Notification(user_id=user_id, kind=kind, title=title, body=body, link=link, job_id=job_id)
    session.add(note)
    wants_email = job_id is not None if email is None else email
    if wants_email and session.scalar(select(User.email_notifications).where(User.id == user_id)):
        mail_kind = "ticket_reply" if kind.startswith("ticket") else "job_done"
        session.flush()  # the mail job takes the notification's id: its text stays out of RQ and the dashboard
        jobs.submit_and_enqueue(session, kind="email", queue="mail", func="jobs.mail.deliver",
                                args=[mail_kind, user_id, note.id], user_id=user_id)
    else:
        session.commit()
    forget_unread(user_id)
    emit.to_user(user_id, "notification.created", as_json(note, read=False))
    return note
