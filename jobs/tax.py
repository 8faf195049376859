"""The `tax` queue: compute one filing with the tax engine and store the result on it."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.filings import access, service
from app.models import Filing, Job
from app.services import audit
from app.tax import InputError, compute

from .runner import JobFailed, Progress, tracked

GONE = "This return no longer exists (or is no longer shared with you), so there was nothing to compute."


@tracked
def compute_filing(job: Job, progress: Progress, filing_id: int) -> dict[str, Any]:
    # No progress events: the whole job takes milliseconds, less than the two writes they would cost.
    # The row lock makes an edit wait for this job (or this job for the edit), so a result is
    # never stored over inputs that changed after it was read.
    filing = db.session.scalar(select(Filing).where(Filing.id == filing_id).with_for_update())
    if filing is None or not access.can_access(db.session, job.user_id, filing):
        raise JobFailed(GONE)
    if filing.status == "filed":
        raise JobFailed("This return has been filed, so it is not computed again.")
    case = service.assemble_input(db.session, filing)
    try:
        result = compute(case)
    except InputError as exc:
        raise JobFailed(f"Part of this return could not be read ({exc.field or 'input'}: {exc.message}). "
                        "Correct it in the editor and compute again.") from None
    filing.computation, filing.computed_at, filing.computation_stale = result, datetime.now(UTC), False
    before_status = filing.status
    if filing.status == "draft":
        filing.status = "computed"
    filing.version += 1
    summary = {"filing_id": filing.id, "recommended_regime": result["recommended_regime"], "saving": result["saving"],
               "old_tax": result["old"]["total_tax"], "new_tax": result["new"]["total_tax"]}
    audit.record(db.session, filing.user_id, job.user_id, filing.id, "filing.computed",
                 {"status": before_status}, {"status": filing.status, **summary})
    # Committed here (not with the job row) so `filing.updated` never announces an uncommitted
    # result; a rerun computes the same inputs to the same result.
    db.session.commit()
    service.announce(filing, job.user_id or filing.user_id)
    return summary
