"""Job bodies for tests (imported by real workers as tests.integration.jobs.sample_jobs).

Each run is counted with a `test.run` notification committed on its own connection (it survives a
killed run); the result is a `test.result` notification committed with the job's `finished` status.
"""
from __future__ import annotations

import time

from app.extensions import db
from app.models import Job, Notification
from jobs.runner import JobFailed, Progress, tracked


@tracked
def record(job: Job, progress: Progress, marker: str, seconds: float = 0.0, fail_first: bool = False) -> dict:
    with db.engine.begin() as conn:
        conn.execute(Notification.__table__.insert().values(user_id=job.user_id, kind="test.run", title=marker,
                                                            body="", job_id=job.id))
    steps = max(1, int(seconds / 0.25))
    for step in range(steps if seconds else 0):
        progress(100 * step // steps, f"step {step}")
        time.sleep(seconds / steps)
    if fail_first and job.attempts == 1:
        raise RuntimeError("a flaky dependency")
    if marker == "refuse":
        raise JobFailed("Add your PAN before computing.")
    db.session.add(Notification(user_id=job.user_id, kind="test.result", title=marker, body="", job_id=job.id))
    return {"marker": marker}


def counts(job_id: str) -> tuple[int, int]:
    """(runs, results) of one job."""
    from sqlalchemy import func, select

    rows = dict(db.session.execute(
        select(Notification.kind, func.count()).where(Notification.job_id == job_id).group_by(Notification.kind)
    ).all())
    db.session.rollback()
    return rows.get("test.run", 0), rows.get("test.result", 0)
