"""Export one stored filing as ITR-1 JSON: eligibility, build, validation.

The filing is read by `app.itr.service.load_filing_for_export(filing_id: int) -> dict`, which the
web app provides (database access lives there, not in this pure package). It returns the
`filing` dict that `build_itr1` takes, plus an optional `"foreign_assets": bool`.
"""
from __future__ import annotations

from typing import Any

from .build import build_itr1
from .eligibility import eligibility_problems
from .validation import validate_itr1


class ExportError(Exception):
    """The filing cannot be exported; `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def export_filing(filing_id: int) -> dict[str, Any]:
    """The validated ITR-1 document of filing `filing_id`, or ExportError with the reasons."""
    from app.itr.service import load_filing_for_export  # the web app's loader, only when used

    filing = load_filing_for_export(filing_id)
    return export_document(filing)


def export_document(filing: dict[str, Any]) -> dict[str, Any]:
    """Check eligibility, build and validate one `filing` dict (see build_itr1)."""
    reasons = eligibility_problems(
        filing.get("input") or {},
        filing.get("computation") or {},
        filing.get("personal") or {},
        bool(filing.get("foreign_assets")),
        regime=filing.get("regime"),
    )
    if reasons:
        raise ExportError(reasons)
    document = build_itr1(filing)
    problems = validate_itr1(document)
    if problems:
        raise ExportError([f"{p.path}: {p.message}" for p in problems])
    return document
