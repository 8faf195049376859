"""Find jobs the queue lost and put them back: the `jobs` table is the truth, RQ only carries them.

- started, but its worker is dead (liveness key expired, e.g. SIGKILL or OOM kill): requeue;
- queued and handed to RQ a while ago, but RQ no longer carries it: no such job (Redis lost it: a
  restart without the last second of AOF, a flush), a job RQ failed before our code ran (stuck in
  its intermediate queue), or one that says queued but has left its queue (a worker popped it and
  was stopped before it registered the job: RQ raises its stop exception from the signal handler,
  wherever the worker is): enqueue again.

Both go back through the outbox, so the relay's usual path does the enqueueing. A job whose worker
died more times than it may retry ends failed with a readable message.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from rq.job import Job as RQJob
from rq.job import JobStatus
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.extensions import redis_store
from app.models import Job, Outbox
from app.realtime import emit
from app.services.jobs import RETRY_INTERVALS, as_json

from .worker import ALIVE_PREFIX

log = logging.getLogger("jobs.orphans")
# Handing a job over and a worker registering a popped job each take milliseconds: a queued row
# RQ does not carry this long after it was handed over is lost.
LOST_AFTER = timedelta(seconds=15)
WAITING = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)
NEVER_RAN = (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)
TOO_MANY = "The worker running this job stopped too many times. Please try again later."


def requeue_orphans(session: Session) -> int:
    """One pass; returns how many jobs were put back. Raises RedisUnavailable while Redis is down."""
    return _requeue_dead_workers(session) + _requeue_lost(session)


def _rq_jobs(ids: list[str]) -> list[RQJob | None]:
    return redis_store().call(lambda r: RQJob.fetch_many(ids, connection=r))


def _alive(worker_names: list[str]) -> set[str]:
    if not worker_names:
        return set()
    flags = redis_store().call(lambda r: r.mget([ALIVE_PREFIX + n for n in worker_names]))
    return {name for name, flag in zip(worker_names, flags, strict=True) if flag is not None}


def _requeue_dead_workers(session: Session) -> int:
    started = list(session.scalars(select(Job).where(Job.status == "started").with_for_update(skip_locked=True)))
    if not started:
        session.commit()
        return 0
    rq_jobs = _rq_jobs([job.id for job in started])
    alive = _alive(sorted({j.worker_name for j in rq_jobs if j is not None and j.worker_name}))
    failed: list[Job] = []
    requeued = 0
    for job, rq_job in zip(started, rq_jobs, strict=True):
        status = rq_job.get_status(refresh=False) if rq_job is not None else None
        if status in (*WAITING, JobStatus.FINISHED):
            continue  # RQ runs it (again) or just finished it; the runner updates the row
        if status == JobStatus.STARTED and rq_job.worker_name in alive:
            continue
        if job.attempts > len(RETRY_INTERVALS):
            job.status, job.error, job.finished_at = "failed", TOO_MANY, datetime.now(UTC)
            failed.append(job)
            continue
        log.warning("requeueing job %s: worker %s is gone", job.id, rq_job.worker_name if rq_job else None)
        if rq_job is not None:
            redis_store().call(lambda r, j=rq_job: j.delete(remove_from_queue=True))
        job.status = "queued"
        session.execute(update(Outbox).where(Outbox.job_id == job.id).values(enqueued_at=None))
        requeued += 1
    session.commit()
    for job in failed:
        if job.user_id is not None:
            emit.to_user(job.user_id, "job.failed", as_json(job))
    return requeued


def _requeue_lost(session: Session) -> int:
    handed_over_before = datetime.now(UTC) - LOST_AFTER
    rows = list(session.execute(
        select(Outbox).join(Job, Job.id == Outbox.job_id)
        .where(Job.status == "queued", Outbox.enqueued_at < handed_over_before)
        .with_for_update(of=Outbox, skip_locked=True).limit(500)
    ).scalars())
    if not rows:
        session.commit()
        return 0
    rq_jobs = _rq_jobs([row.job_id for row in rows])
    heads = _queue_heads({j.origin for j in rq_jobs if j is not None and j.get_status(refresh=False) == JobStatus.QUEUED})
    lost = [(row, rq_job) for row, rq_job in zip(rows, rq_jobs, strict=True) if _carried_no_more(rq_job, heads)]
    for row, rq_job in lost:
        log.warning("job %s is no longer carried by RQ; enqueueing it again", row.job_id)
        if rq_job is not None:  # the relay enqueues only ids RQ does not know
            redis_store().call(lambda r, j=rq_job: j.delete(remove_from_queue=True))
        row.enqueued_at = None
    session.commit()
    return len(lost)


def _carried_no_more(rq_job: RQJob | None, heads: dict[str, datetime | None]) -> bool:
    if rq_job is None:
        return True
    status = rq_job.get_status(refresh=False)
    if status in NEVER_RAN:  # a job our runner saw ends with the row finished, failed or queued for RQ's retry
        return True
    if status != JobStatus.QUEUED:
        return False
    # Queues are first in, first out: a job older than the one at the head has left its queue.
    head = heads.get(rq_job.origin)
    return head is None or (rq_job.enqueued_at is not None and head > rq_job.enqueued_at)


def _queue_heads(origins: set[str]) -> dict[str, datetime | None]:
    """When the job at the head of each queue was enqueued (None for an empty queue)."""
    def read(r) -> dict[str, datetime | None]:
        heads: dict[str, datetime | None] = {}
        for origin in origins:
            head_id = r.lindex(f"rq:queue:{origin}", 0)
            head = RQJob.fetch_many([head_id.decode()], connection=r)[0] if head_id else None
            heads[origin] = head.enqueued_at if head is not None else None
        return heads

    return redis_store().call(read) if origins else {}
