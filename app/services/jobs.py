"""Job submission through the transactional outbox.

`submit` adds a `jobs` row and an `outbox` row to the caller's transaction; after the commit,
`enqueue_pending` tries to put them on RQ at once. Whatever is still pending (Redis down, process
killed) is enqueued by the relay (`python -m jobs.relay`). A Redis outage delays jobs, never loses them.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from ..extensions import redis_store
from ..models import Job, Outbox
from ..models.job import ACTIVE_WHERE
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
    values = {"id": str(uuid.uuid4()), "user_id": user_id, "kind": kind, "queue": queue, "subject_id": subject_id,
              "dedup_key": dedup_key, "status": "queued", "progress": 0}
    if dedup_key is None:
        job = Job(**values)
        session.add(job)
    else:
        # One statement against the partial unique index (uq_jobs_active_dedup): a submission that
        # loses to a concurrent one with the same key inserts nothing and returns theirs.
        stmt = (pg_insert(Job).values(**values)
                .on_conflict_do_nothing(index_elements=[Job.dedup_key], index_where=text(ACTIVE_WHERE))
                .returning(Job))
        job = session.scalar(select(Job).from_statement(stmt))
        if job is None:
            existing = session.scalar(select(Job).where(Job.dedup_key == dedup_key, Job.status.in_(ACTIVE)))
            if existing is None:  # it finished between the two statements: nothing is running now
                return submit(session, kind=kind, queue=queue, func=func, args=args, user_id=user_id,
                              subject_id=subject_id, dedup_key=dedup_key)
            return existing, False
    session.add(Outbox(job_id=job.id, queue=queue, func=func, args=args))
    return job, True


@functools.lru_cache(maxsize=32)
def _queue(name: str, connection: Redis) -> Queue:
    # One Queue per client: RQ asks the server for its version once per Queue object.
    return Queue(name, connection=connection)


def enqueue(row: Any) -> None:
    """Put an outbox row (job_id, queue, func, args) on its RQ queue, unless RQ still has that job;
    raises RedisUnavailable."""
    settings = QUEUES[row.queue]

    def push(r):
        with contextlib.suppress(DuplicateJobError):
            _queue(row.queue, r).enqueue(
                row.func, *row.args, job_id=row.job_id, job_timeout=settings.timeout,
                result_ttl=settings.result_ttl, failure_ttl=settings.failure_ttl,
                retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS), unique=True,
            )

    redis_store().call(push)


def enqueue_pending(session: Session, job_ids: list[str] | None = None, limit: int = 100) -> int:
    """Enqueue pending outbox rows (only `job_ids` when given); safe with several relays at once.

    The rows are claimed and marked in one statement; rows Redis did not take are unmarked before
    the commit, so the relay tries them again."""
    pending = (select(Outbox.id).where(Outbox.enqueued_at.is_(None)).order_by(Outbox.id)
               .limit(limit).with_for_update(skip_locked=True))
    if job_ids is not None:
        pending = pending.where(Outbox.job_id.in_(job_ids))
    claim = (update(Outbox).where(Outbox.id.in_(pending.scalar_subquery())).values(enqueued_at=datetime.now(UTC))
             .returning(Outbox.id, Outbox.job_id, Outbox.queue, Outbox.func, Outbox.args)
             .execution_options(synchronize_session=False))
    rows = sorted(session.execute(claim).all())
    done = 0
    try:
        for row in rows:
            enqueue(row)
            done += 1
    except RedisUnavailable as exc:
        log.warning("enqueue deferred to the relay: %s", exc)
        session.execute(update(Outbox).where(Outbox.id.in_([row.id for row in rows[done:]])).values(enqueued_at=None)
                        .execution_options(synchronize_session=False))
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
