"""Find jobs whose worker died mid-run and put them back on their queue."""
from __future__ import annotations

import logging

from rq.job import Job as RQJob
from rq.job import JobStatus
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.extensions import redis_store
from app.models import Job, Outbox
from app.services.jobs import RETRY_INTERVALS

from .worker import ALIVE_PREFIX

log = logging.getLogger("jobs.orphans")


def requeue_orphans(session: Session) -> int:
    started = list(session.scalars(select(Job).where(Job.status == "started").with_for_update(skip_locked=True)))
    if not started:
        session.commit()
        return 0
    client = redis_store().client
    requeued = 0
    for job in started:
        rq_job = RQJob.fetch_many([job.id], connection=client)[0]
        status = rq_job.get_status(refresh=False) if rq_job is not None else None
        if status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.FINISHED):
            continue  # RQ will run it (again) or has finished it; the runner updates the row
        if status == JobStatus.STARTED and rq_job.worker_name and client.exists(ALIVE_PREFIX + rq_job.worker_name):
            continue
        worker = rq_job.worker_name if rq_job is not None else None
        if job.attempts > len(RETRY_INTERVALS):
            job.status, job.error = "failed", "The worker running this job stopped too many times."
            continue
        log.warning("requeueing job %s: worker %s is gone", job.id, worker)
        if rq_job is not None:
            rq_job.delete(remove_from_queue=True)
        job.status = "queued"
        session.execute(update(Outbox).where(Outbox.job_id == job.id).values(enqueued_at=None))
        requeued += 1
    session.commit()
    return requeued
