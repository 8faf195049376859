"""The one decorator every job uses: the `jobs` row is the truth the UI shows.

It marks the row started, runs the body, stores the result or a readable error, and emits
`job.progress` / `job.completed` / `job.failed` to the owner. Bodies are idempotent: a job whose row
is already finished returns at once, so a retry or a duplicate delivery never stores twice.
"""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from rq import get_current_job
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Job
from app.realtime import emit
from app.services import logs, metrics
from app.services.jobs import as_json

log = logging.getLogger("jobs")
GAVE_UP = "This job could not be completed after several attempts. Please try again later."


class JobFailed(Exception):
    """A failure the user can act on: the job ends failed with this message, without retries."""


class Progress:
    """`progress(percent, message)`: stores the percentage and tells the owner's browser.

    It writes on its own connection, so it never commits the body's unfinished work."""

    def __init__(self, job: Job) -> None:
        self.job_id, self.user_id, self.kind = job.id, job.user_id, job.kind
        self._last = -1

    def __call__(self, percent: int, message: str = "") -> None:
        percent = max(0, min(99, int(percent)))
        if percent == self._last:
            return
        self._last = percent
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == self.job_id).values(progress=percent, updated_at=func.now()))
        if self.user_id is not None:
            emit.to_user(self.user_id, "job.progress",
                         {"job_id": self.job_id, "kind": self.kind, "status": "started", "progress": percent,
                          "message": message})


def tracked(body: Callable[..., dict[str, Any] | None]) -> Callable[..., None]:
    """Wrap `body(job_row, progress, *args)`; the RQ job id is the `jobs` row id.

    The body's uncommitted changes are committed together with `finished`, so a job killed
    mid-run leaves nothing behind and its rerun starts clean."""

    @functools.wraps(body)
    def run(*args: Any) -> None:
        rq_job = get_current_job()
        job_id = rq_job.id if rq_job else None
        logs.bind(job_id=job_id)
        try:
            job = _start(job_id)
            if job is None:
                return
            started = time.perf_counter()
            try:
                result = body(job, Progress(job), *args)
            except JobFailed as exc:
                db.session.rollback()
                _finish(job.id, "failed", error=str(exc))
            except Exception as exc:
                db.session.rollback()
                log.exception("job attempt %s failed", job.attempts)
                if rq_job is None or not rq_job.retries_left:
                    _finish(job.id, "failed", error=GAVE_UP)
                    return
                db.session.execute(update(Job).where(Job.id == job.id, Job.status == "started").values(
                    status="queued", error=f"retrying: {type(exc).__name__}", updated_at=func.now()))
                db.session.commit()
                raise
            else:
                _finish(job.id, "finished", result=result or {})
            finally:
                metrics.JOB_DURATION.labels(job.queue, job.status).observe(time.perf_counter() - started)
        finally:
            db.session.remove()
            logs.bind(job_id=None)

    return run


DONE = ("finished", "failed")


def _start(job_id: str | None) -> Job | None:
    """Mark the row started; None when there is nothing to run (missing row, already done)."""
    job = None
    if job_id:
        job = _update_unless_done(job_id, status="started", started_at=datetime.now(UTC), attempts=Job.attempts + 1, error=None)
        db.session.commit()
    if job is None:
        log.info("no job row left to run (missing, or finished by an earlier delivery)")
    return job


def _finish(job_id: str, status: str, result: dict[str, Any] | None = None, error: str | None = None) -> None:
    # The update waits for the row lock: if another delivery of this job finished first, its result
    # stands and this run's changes are dropped, so one job stores one result.
    job = _update_unless_done(job_id, status=status, result=result, error=error, finished_at=datetime.now(UTC),
                              progress=100 if status == "finished" else Job.progress)
    if job is None:
        db.session.rollback()
        return
    db.session.commit()
    if job.user_id is not None:
        emit.to_user(job.user_id, "job.completed" if status == "finished" else "job.failed", as_json(job))


def _update_unless_done(job_id: str, **values: Any) -> Job | None:
    stmt = update(Job).where(Job.id == job_id, Job.status.not_in(DONE)).values(**values).returning(Job)
    return db.session.scalar(select(Job).from_statement(stmt).execution_options(populate_existing=True))
