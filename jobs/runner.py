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

from app.extensions import db
from app.models import Job
from app.realtime import emit
from app.services import logs, metrics

log = logging.getLogger("jobs")


class JobFailed(Exception):
    """A failure the user can act on: the job ends failed with this message, without retries."""


class Progress:
    def __init__(self, job: Job) -> None:
        self.job_id, self.user_id, self.kind = job.id, job.user_id, job.kind
        self._last = -1

    def __call__(self, percent: int, message: str = "") -> None:
        percent = max(0, min(99, int(percent)))
        if percent == self._last:
            return
        self._last = percent
        db.session.query(Job).filter(Job.id == self.job_id).update({"progress": percent})
        db.session.commit()
        if self.user_id is not None:
            emit.to_user(self.user_id, "job.progress",
                         {"job_id": self.job_id, "kind": self.kind, "progress": percent, "message": message})


def job_json(job: Job) -> dict[str, Any]:
    return {
        "job_id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress,
        "subject_id": job.subject_id, "result": job.result, "error": job.error,
    }


def tracked(body: Callable[..., dict[str, Any] | None]) -> Callable[..., None]:
    """Wrap `body(job_row, progress, *args)`; the RQ job id is the `jobs` row id."""

    @functools.wraps(body)
    def run(*args: Any) -> None:
        rq_job = get_current_job()
        job_id = rq_job.id if rq_job else None
        logs.bind(job_id=job_id)
        job = db.session.get(Job, job_id, with_for_update=True)
        if job is None:
            log.warning("job row missing; nothing to do")
            db.session.rollback()
            return
        if job.status in ("finished", "failed"):
            db.session.rollback()
            return
        job.status, job.started_at, job.attempts = "started", datetime.now(UTC), job.attempts + 1
        db.session.commit()
        started = time.perf_counter()
        try:
            result = body(job, Progress(job), *args)
        except JobFailed as exc:
            _finish(job, "failed", error=str(exc))
        except Exception as exc:
            last_try = rq_job is None or not rq_job.retries_left
            log.exception("job attempt %s failed", job.attempts)
            db.session.rollback()
            if last_try:
                _finish(job, "failed", error="This job could not be completed after several attempts. Please try again later.")
                return
            db.session.query(Job).filter(Job.id == job.id).update({"status": "queued", "error": f"retrying: {type(exc).__name__}"})
            db.session.commit()
            raise
        else:
            _finish(job, "finished", result=result or {})
        finally:
            metrics.JOB_DURATION.labels(job.queue, job.status).observe(time.perf_counter() - started)
            logs.bind(job_id=None)

    return run


def _finish(job: Job, status: str, result: dict[str, Any] | None = None, error: str | None = None) -> None:
    db.session.rollback()
    job = db.session.get(Job, job.id)
    job.status, job.progress, job.result, job.error = status, 100 if status == "finished" else job.progress, result, error
    job.finished_at = datetime.now(UTC)
    db.session.commit()
    if job.user_id is not None:
        emit.to_user(job.user_id, f"job.{'completed' if status == 'finished' else 'failed'}", job_json(job))
