"""Notifications: a user's own rows plus platform announcements (`user_id` NULL) shared by everyone.

Read state of an announcement is per reader (`notification_reads`); announcements older than the
account count as read. The header's unread count is cached with the rest of the user's cached data
(services.cache.USER), so a page view reads it in the round trip that loads the user; any change drops
the user's count, an announcement everyone's.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from ..ids import BIGINT_MAX
from ..models import Job, Notification, NotificationRead, User
from ..realtime import emit
from ..services import cache
from ..services import jobs as jobs_service

MAX_PAGE = 50
UNREAD_CACHE_SECONDS = 60
CATCH_UP_LIMIT = 100
# Rows committed by a transaction that began before the client's last catch-up carry an older
# timestamp than that catch-up; looking back a little further means they are not missed.
CATCH_UP_OVERLAP = timedelta(seconds=10)
CATCH_UP_MAX_AGE = timedelta(days=7)


def _visible(user: User):
    return or_(Notification.user_id == user.id, Notification.user_id.is_(None))


def _read_by(user: User):
    """SQL truth of "this user has read it" for both kinds of row."""
    platform_read = or_(
        Notification.created_at < user.created_at,
        exists().where(NotificationRead.user_id == user.id, NotificationRead.notification_id == Notification.id),
    )
    return or_(and_(Notification.user_id.is_not(None), Notification.read_at.is_not(None)),
               and_(Notification.user_id.is_(None), platform_read))


def as_json(note: Notification, read: bool) -> dict[str, Any]:
    return {
        "id": note.id, "kind": note.kind, "title": note.title, "body": note.body, "link": note.link,
        "job_id": note.job_id, "platform": note.user_id is None, "read": read,
        "created_at": note.created_at.isoformat(),
    }


def page(session: Session, user: User, before: int | None, limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """Newest first; returns (items, cursor for the next page or None)."""
    limit = max(1, min(limit, MAX_PAGE))
    stmt = select(Notification, _read_by(user).label("read")).where(_visible(user))
    if before is not None and before <= BIGINT_MAX:
        stmt = stmt.where(Notification.id < before)
    rows = session.execute(stmt.order_by(Notification.id.desc()).limit(limit + 1)).all()
    items = [as_json(note, bool(read)) for note, read in rows[:limit]]
    return items, (rows[limit - 1][0].id if len(rows) > limit else None)


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(_visible(user), ~_read_by(user))) or 0


def cached_unread_count(session: Session, user: User) -> int:
    # A count read just before a notification committed can be stored just after the notification
    # dropped it; the entry's age limit bounds how long such a count can be off.
    return cache.get_or_load(cache.USER, user.id, "unread", UNREAD_CACHE_SECONDS, lambda: unread_count(session, user))


def forget_unread(user_id: int | None) -> None:
    """Drop a cached count (None: everyone's, after an announcement)."""
    if user_id is None:
        cache.forget_everywhere(cache.USER, "unread")
    else:
        cache.forget(cache.USER, "unread", user_id)


def mark_read(session: Session, user: User, note_id: int) -> int | None:
    """The user's unread count afterwards; None when the notification is not visible to them."""
    note = session.scalar(select(Notification).where(Notification.id == note_id, _visible(user)))
    if note is None:
        return None
    if note.user_id is None:
        stmt = pg_insert(NotificationRead).values(user_id=user.id, notification_id=note.id).on_conflict_do_nothing()
        session.execute(stmt)
    elif note.read_at is None:
        note.read_at = datetime.now(UTC)
    session.commit()
    return _after_read(session, user)


def mark_all_read(session: Session, user: User) -> None:
    session.execute(
        update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=func.now())
    )
    unread_platform = select(literal(user.id), Notification.id).where(
        Notification.user_id.is_(None), ~_read_by(user)
    )
    session.execute(
        pg_insert(NotificationRead).from_select(["user_id", "notification_id"], unread_platform).on_conflict_do_nothing()
    )
    session.commit()
    _after_read(session, user)


def _after_read(session: Session, user: User) -> int:
    forget_unread(user.id)
    unread = unread_count(session, user)
    emit.to_user(user.id, "notification.read", {"unread": unread})
    return unread


def announce(session: Session, title: str, body: str, link: str | None = None) -> Notification:
    """A platform announcement: stored once for everyone and pushed to every connected client."""
    note = Notification(user_id=None, kind="announcement", title=title, body=body, link=link)
    session.add(note)
    session.commit()
    forget_unread(None)
    emit.emit("notification.created", as_json(note, read=False), room=None)
    return note


def catch_up(session: Session, user: User, since: datetime | None) -> dict[str, Any]:
    """What a reconnecting client missed: notifications created and jobs changed since `since`,
    every job still running, and the unread count. The client renders from this, not from events."""
    now = session.scalar(select(func.now()))
    oldest = now - CATCH_UP_MAX_AGE
    since = max(since - CATCH_UP_OVERLAP, oldest) if since is not None else oldest
    notes = session.execute(
        select(Notification, _read_by(user).label("read"))
        .where(_visible(user), Notification.created_at > since)
        .order_by(Notification.id.desc()).limit(CATCH_UP_LIMIT)
    ).all()
    jobs = session.scalars(
        select(Job).where(Job.user_id == user.id, or_(Job.updated_at > since, Job.status.in_(("queued", "started"))))
        .order_by(Job.updated_at.desc()).limit(CATCH_UP_LIMIT)
    ).all()
    return {
        "now": now.isoformat(),
        "notifications": [as_json(note, bool(read)) for note, read in notes],
        "jobs": [jobs_service.as_json(job) for job in jobs],
        "unread": unread_count(session, user),
    }
