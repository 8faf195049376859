"""Job submission through the transactional outbox.

`submit` adds a `jobs` row and an `outbox` row to the caller's transaction; after the commit,
`enqueue_pending` tries to put them on RQ at once. Whatever is still pending (Redis down, process
killed) is enqueued by the relay (`python -m jobs.relay`). A Redis outage delays jobs, never loses them.
"""
from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from rq import Queue, Retry
from rq.job import Job as RQJob
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..extensions import redis_store
from ..models import Job, Outbox
from .queues import QUEUES
from .redis_health import RedisUnavailable

log = logging.getLogger(__name__)
RETRY_INTERVALS = [2, 8, 30]  # exponential backoff between the 3 retries
ACTIVE = ("queued", "started")


def submit(
    session: Session, *, kind: str, queue: str, func: str, args: list, user_id: int | None,
    subject_id: int | None = None, dedup_key: str | None = None,
) -> tuple[Job, bool]:
    """Record a job in the caller's transaction; returns (job, created). A job with the same
    `dedup_key` still queued or running is returned instead of a new one."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    if dedup_key is not None:
        existing = _active(session, dedup_key)
        if existing is not None:
            return existing, False
    job = Job(id=str(uuid.uuid4()), user_id=user_id, kind=kind, queue=queue, subject_id=subject_id,
              dedup_key=dedup_key, status="queued", progress=0)
    try:
        # A concurrent submission with the same key may commit first: the partial unique index
        # (uq_jobs_active_dedup) then rejects ours, and theirs is the job to return.
        with session.begin_nested():
            session.add(job)
            session.flush()
    except IntegrityError:
        existing = _active(session, dedup_key) if dedup_key is not None else None
        if existing is None:
            raise
        return existing, False
    session.add(Outbox(job_id=job.id, queue=queue, func=func, args=args))
    return job, True


def _active(session: Session, dedup_key: str) -> Job | None:
    return session.scalar(select(Job).where(Job.dedup_key == dedup_key, Job.status.in_(ACTIVE)))


def enqueue(row: Outbox) -> None:
    """Put one outbox row on its RQ queue; raises RedisUnavailable."""
    settings = QUEUES[row.queue]

    def push(r):
        if RQJob.exists(row.job_id, connection=r):
            return
        Queue(row.queue, connection=r).enqueue(
            row.func, *row.args, job_id=row.job_id, job_timeout=settings.timeout,
            result_ttl=settings.result_ttl, failure_ttl=settings.failure_ttl,
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        )

    redis_store().call(push)


def enqueue_pending(session: Session, job_ids: list[str] | None = None, limit: int = 100) -> int:
    """Enqueue pending outbox rows (only `job_ids` when given); safe with several relays at once."""
    stmt = (
        select(Outbox).where(Outbox.enqueued_at.is_(None)).order_by(Outbox.id)
        .limit(limit).with_for_update(skip_locked=True)
    )
    if job_ids is not None:
        stmt = stmt.where(Outbox.job_id.in_(job_ids))
    rows = list(session.scalars(stmt))
    done = 0
    try:
        for row in rows:
            enqueue(row)
            row.enqueued_at = datetime.now(UTC)
            done += 1
    except RedisUnavailable as exc:
        log.warning("enqueue deferred to the relay: %s", exc)
    session.commit()
    return done


def submit_and_enqueue(session: Session, **kwargs) -> tuple[Job, bool]:
    """Submit in its own transaction (committing the caller's pending changes with it), then try to enqueue."""
    job, created = submit(session, **kwargs)
    session.commit()
    if created:
        enqueue_pending(session, [job.id])
    return job, created


def as_json(job: Job) -> dict[str, Any]:
    """What the browser renders a job from (GET /api/v1/jobs/<id>, catch-up and job.* events)."""
    return {
        "job_id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress,
        "subject_id": job.subject_id, "result": job.result, "error": job.error,
        "updated_at": job.updated_at.isoformat() if job.updated_at else None,
    }


def get_for_user(session: Session, job_id: str, user_id: int) -> Job | None:
    return session.scalar(select(Job).where(Job.id == job_id, Job.user_id == user_id))


def mark(session: Session, job_id: str, **values) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(**values))
    session.commit()
