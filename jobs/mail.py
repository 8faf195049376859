"""The `mail` queue: render and deliver one email to a user, if they want email."""
from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from flask import url_for

from app.auth.service import reset_token
from app.extensions import db
from app.models import Job, Notification, User
from app.services import mailer

from .runner import Progress, tracked

SUBJECTS = {
    "password_reset": "Reset your TaxDesk password",
    "existing_account": "Someone tried to register with your email",
    "job_done": "Your TaxDesk job has finished",
    "ticket_reply": "New reply on your TaxDesk ticket",
}
# Account mail is always sent; activity mail respects the user's preference.
ALWAYS = {"password_reset", "existing_account"}


def _body(kind: str, user: User, args: tuple[Any, ...]) -> str:
    if kind == "password_reset":
        with _request_ctx():
            link = url_for("auth.reset_password", token=reset_token(user), _external=True)
        return f"Hello {user.name},\n\nReset your password here (valid once, for one hour):\n{link}\n\nIf you did not ask, ignore this email."
    if kind == "existing_account":
        return f"Hello {user.name},\n\nSomeone tried to create a TaxDesk account with this email. You already have one: sign in, or reset your password if you forgot it."
    if kind == "job_done":
        return f"Hello {user.name},\n\n{args[0] if args else 'A job you started has finished.'}\n\nOpen TaxDesk to see the result."
    return f"Hello {user.name},\n\n{args[0] if args else 'There is a new reply on your ticket.'}\n\nOpen TaxDesk to read it."


def _request_ctx():
    from flask import current_app

    return current_app.test_request_context(base_url=current_app.config["TAXDESK"].public_url)


def _notification_text(user_id: int, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Activity mail names its notification by id (never its text, which may hold amounts or names)."""
    if not args or not isinstance(args[0], int):
        return args
    note = db.session.get(Notification, args[0])
    return (f"{note.title}\n\n{note.body}".strip(),) if note is not None and note.user_id == user_id else ()


@tracked
def deliver(job: Job, progress: Progress, kind: str, user_id: int, *args: Any) -> dict[str, Any]:
    user = db.session.get(User, user_id)
    if user is None or (kind not in ALWAYS and not user.email_notifications):
        return {"sent": False}
    message = EmailMessage()
    message["To"] = user.email
    message["Subject"] = SUBJECTS.get(kind, "TaxDesk")
    message["X-TaxDesk-Kind"] = kind
    message.set_content(_body(kind, user, _notification_text(user_id, args)))
    path = mailer.deliver(message)
    return {"sent": True, "file": path.name if path else None}
