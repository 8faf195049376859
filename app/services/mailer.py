"""Email: messages are queued as `mail` jobs (ids only) and delivered by SMTP or as .eml files."""
from __future__ import annotations

import smtplib
import time
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlparse

from flask import current_app

from ..extensions import db
from ..models import User
from . import jobs


def queue(kind: str, user_id: int, *args: object) -> None:
    jobs.submit_and_enqueue(db.session, kind="email", queue="mail", func="jobs.mail.deliver",
                            args=[kind, user_id, *args], user_id=user_id)


def send_existing_account_notice(email: str) -> None:
    from sqlalchemy import select

    user_id = db.session.scalar(select(User.id).where(User.email == email))
    if user_id is not None:
        queue("existing_account", user_id)


def send_password_reset(user: User, _link: str | None = None) -> None:
    # The link is minted inside the mail job, so no token sits in Redis or the RQ dashboard.
    queue("password_reset", user.id)


def deliver(message: EmailMessage) -> Path | None:
    cfg = current_app.config["TAXDESK"]
    message["From"] = cfg.mail_from
    if cfg.smtp_url:
        url = urlparse(cfg.smtp_url)
        smtp_cls = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
        with smtp_cls(url.hostname or "localhost", url.port or (465 if url.scheme == "smtps" else 25), timeout=10) as smtp:
            if url.username:
                smtp.login(url.username, url.password or "")
            smtp.send_message(message)
        return None
    cfg.mail_dir.mkdir(parents=True, exist_ok=True)
    path = cfg.mail_dir / f"{time.time_ns()}-{message['X-TaxDesk-Kind']}.eml"
    path.write_bytes(bytes(message))
    return path
