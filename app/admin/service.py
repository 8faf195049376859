"""Admin work: find users, change their role or disable them, look at queues, retry failed jobs."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from rq.job import Job as RQJob
from sqlalchemy import or_, select, tuple_, update
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..extensions import redis_store
from ..ids import INT_MAX
from ..models import Job, Outbox, User
from ..models.user import ROLES
from ..realtime import emit
from ..services import audit, jobs, sessions
from ..services.redis_health import RedisUnavailable

PAGE_SIZE, MAX_PAGE_SIZE = 25, 100


def _size(limit: Any) -> int:
    try:
        return max(1, min(MAX_PAGE_SIZE, int(limit))) if limit not in (None, "") else PAGE_SIZE
    except ValueError:
        raise ApiError(400, "invalid_cursor", "limit must be a whole number.") from None


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_users(session: Session, query: str | None, after: Any = None, limit: Any = None) -> tuple[list[User], int | None]:
    """Users whose email or name contains `query`, by id; the cursor is the last id seen."""
    size = _size(limit)
    try:
        cursor = int(after) if after not in (None, "") else None
    except ValueError:
        raise ApiError(400, "invalid_cursor", "after must be a whole number.") from None
    if cursor is not None and cursor >= INT_MAX:  # no user comes after it
        return [], None
    stmt = select(User).order_by(User.id).limit(size + 1)
    term = (query or "").strip()[:254]
    if term:
        stmt = stmt.where(or_(User.email.ilike(_like(term), escape="\\"), User.name.ilike(_like(term), escape="\\")))
    if cursor is not None:
        stmt = stmt.where(User.id > cursor)
    rows = list(session.scalars(stmt))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].id if more else None)


def update_user(session: Session, actor: User, user_id: int, data: dict[str, Any]) -> User:
    """Change role and/or active flag in one transaction; disabling ends all the user's sessions."""
    target = session.scalar(select(User).where(User.id == user_id).with_for_update())
    if target is None:
        raise ApiError(404, "not_found", "No such user.")
    errors: dict[str, str] = {}
    role, active = data.get("role", target.role), data.get("is_active", target.is_active)
    if role not in ROLES:
        errors["role"] = "Choose taxpayer, preparer or admin."
    if not isinstance(active, bool):
        errors["is_active"] = "true or false."
    if target.id == actor.id and (role != target.role or active is not True):
        errors["role" if role != target.role else "is_active"] = "You cannot demote or disable your own account."
    if errors:
        raise ApiError(422, "invalid", "Check the highlighted fields.", errors)
    before = {"role": target.role, "is_active": target.is_active}
    disabling = target.is_active and not active
    target.role, target.is_active = role, active
    after = {"role": target.role, "is_active": target.is_active}
    if before != after:
        audit.record(session, target.id, actor.id, None, "admin.user_updated", before, after)
    session.commit()
    if disabling:
        sessions.revoke_all(target.id)
    return target


def user_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role, "is_active": user.is_active,
            "created_at": user.created_at.isoformat() if user.created_at else None}


def failed_jobs(session: Session, cursor: str | None, limit: Any = None) -> tuple[list[tuple[Job, str | None]], str | None]:
    """Failed jobs, most recent first, with their owner's email; the cursor is "<finished_at>|<id>"."""
    size = _size(limit)
    stmt = (select(Job, User.email).outerjoin(User, User.id == Job.user_id)
            .where(Job.status == "failed", Job.finished_at.is_not(None))
            .order_by(Job.finished_at.desc(), Job.id.desc()).limit(size + 1))
    if cursor:
        stamp, _, last_id = cursor.partition("|")
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            raise ApiError(400, "invalid_cursor", "Start again from the first page.") from None
        stmt = stmt.where(tuple_(Job.finished_at, Job.id) < (when, last_id))
    rows = [(job, email) for job, email in session.execute(stmt)]
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1][0] if more else None
    return rows, (f"{last.finished_at.isoformat()}|{last.id}" if last is not None and last.finished_at else None)


def job_json(job: Job, email: str | None) -> dict[str, Any]:
    return {"job_id": job.id, "kind": job.kind, "queue": job.queue, "user_email": email, "attempts": job.attempts,
            "error": job.error, "finished_at": job.finished_at.isoformat() if job.finished_at else None}


def retry_job(session: Session, job_id: str) -> Job:
    """Put a failed job back through the outbox: row queued, outbox row pending, enqueued at once
    if Redis answers (the relay does it otherwise)."""
    job = session.scalar(select(Job).where(Job.id == job_id).with_for_update())
    if job is None:
        raise ApiError(404, "not_found", "No such job.")
    if job.status != "failed":
        raise ApiError(409, "not_failed", "Only a failed job can be retried.")
    if session.scalar(select(Outbox.id).where(Outbox.job_id == job.id).limit(1)) is None:
        raise ApiError(409, "not_retryable", "This job has no queue entry to replay.")
    try:
        # RQ keeps a failed job's hash for its failure TTL, and enqueueing skips an id RQ still
        # has: drop it first so the relay's enqueue really runs the job again.
        redis_store().call(lambda r: [j.delete(remove_from_queue=True)
                                      for j in RQJob.fetch_many([job.id], connection=r) if j is not None])
    except RedisUnavailable:
        session.rollback()
        raise ApiError(503, "queue_unavailable", "The job queue is unreachable; try again in a moment.") from None
    job.status, job.error, job.result, job.progress, job.attempts = "queued", None, None, 0, 0
    job.started_at = job.finished_at = None
    session.execute(update(Outbox).where(Outbox.job_id == job.id).values(enqueued_at=None))
    session.commit()
    jobs.enqueue_pending(session, [job.id])
    if job.user_id is not None:
        emit.to_user(job.user_id, "job.progress", jobs.as_json(job))
    return job
