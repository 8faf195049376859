"""The web app's side of ITR-1: a stored filing as the `filing` dict `build_itr1` takes, the export a
user downloads, and marking a return filed once they say they uploaded it.

TDS schedules come from the documents the user applied to the return (Form 16, Form 16A, interest
certificates), tax payments from the challans entered on it; the other amounts are the engine's,
for the chosen regime.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from flask import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..extensions import db
from ..filings import schedules
from ..filings import service as filings
from ..models import BankAccount, Document, Filing, FilingExport, User
from ..money import parse_rupees
from ..services import audit
from . import ItrBuildError, build_itr1, eligibility_problems, validate_itr1
from .export_cli import ExportError

EXPORTABLE = ("ready", "filed")


def filing_dict(session: Session, filing: Filing, today: date | None = None) -> dict[str, Any]:
    """The `filing` dict of app/itr/README.md for this stored return."""
    today = today or date.today()
    personal = dict(filing.personal or {})
    accounts = session.scalars(select(BankAccount).where(BankAccount.user_id == filing.user_id)
                               .order_by(BankAccount.refund.desc(), BankAccount.id))
    address = personal.get("address") or {}
    return {
        "assessment_year": filing.assessment_year,
        "input": filings.assemble_input(session, filing),
        "computation": filing.computation,
        "regime": filings.chosen_regime(filing),
        "personal": personal,
        "bank_accounts": [{"ifsc": a.ifsc, "account_number": a.account_number, "bank_name": a.bank_name,
                           "refund": a.refund} for a in accounts],
        "tds": applied_tds(session, filing),
        "taxes_paid_challans": [{"bsr_code": c.bsr_code, "date": c.paid_on.isoformat(), "serial_no": c.serial_no,
                                 "amount": c.amount} for c in schedules.challans(session, filing)],
        "verification": {"name": personal.get("name"), "place": address.get("city"), "date": today.isoformat(),
                         "capacity": "S"},
        "created_at": today.isoformat(),
        "foreign_assets": filings.has_foreign_assets(session, filing.id),
    }


def applied_tds(session: Session, filing: Filing) -> dict[str, list[dict[str, Any]]]:
    """TDS schedules from the documents applied to this return, in upload order."""
    docs = session.scalars(select(Document).where(
        Document.filing_id == filing.id, Document.user_id == filing.user_id, Document.status == "applied",
        Document.document_type.in_(("form16", "form16a", "interest_certificate"))).order_by(Document.id))
    salary: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for doc in docs:
        f = doc.fields or {}
        if doc.document_type == "form16":
            row = {"tan": f.get("employer_tan"), "employer_name": f.get("employer_name"),
                   "gross": _rupees(f.get("gross_salary")), "tds": _rupees(f.get("tds"))}
            if f.get("taxable_salary") is not None:
                row["income_chargeable"] = _rupees(f.get("taxable_salary"))
            salary.append(row)
        elif doc.document_type == "form16a":
            other.append({"tan": f.get("deductor_tan"), "deductor_name": f.get("deductor_name"),
                          "amount": _rupees(f.get("amount_paid")), "tds": _rupees(f.get("tds")),
                          "section": f.get("section") or "194A"})
        else:
            other.append({"tan": f.get("tan") or f.get("deductor_tan"), "deductor_name": f.get("bank_name"),
                          "amount": _rupees(f.get("interest_amount")), "tds": _rupees(f.get("tds")),
                          "section": "194A"})
    return {"salary": salary, "other": other}


def _rupees(value: Any) -> int:
    return parse_rupees(value) or 0


def blockers(filing: Filing) -> list[str]:
    """Why this return cannot be exported yet (before eligibility and the schema are looked at)."""
    if filing.computation is None:
        return ["Compute the tax first."]
    if filing.computation_stale:
        return ["The return changed since the last computation: compute the tax again."]
    return []


NOT_READY = "Mark the return ready first (the overview says what is still missing)."


def check(session: Session, filing: Filing) -> tuple[dict[str, Any] | None, list[str]]:
    """(the ITR-1 document, []) or (None, the problems in a taxpayer's words).

    Eligibility is looked at before readiness, so someone who needs ITR-2 learns it early."""
    problems = blockers(filing)
    if problems:
        return None, problems
    data = filing_dict(session, filing)
    reasons = eligibility_problems(data["input"], data["computation"], data["personal"], data["foreign_assets"],
                                   regime=data["regime"])
    if reasons:
        return None, reasons
    if filing.status not in EXPORTABLE:
        return None, [NOT_READY]
    try:
        document = build_itr1(data)
    except ItrBuildError as exc:
        return None, [str(exc)]
    problems = [p.message for p in validate_itr1(document)]
    return (None, problems) if problems else (document, [])


def export_for_user(session: Session, filing: Filing, actor: User) -> dict[str, Any]:
    """The ITR-1 JSON of a return the actor may see (loaded through app.filings.access), or a 409."""
    document, problems = check(session, filing)
    if document is None:
        raise ApiError(409, "itr_not_exportable", "This return cannot be exported as ITR-1: " + " ".join(problems),
                       {f"problem_{i}": text for i, text in enumerate(problems)})
    return document


def download(filing: Filing, document: dict[str, Any]) -> Response:
    """The ITR-1 JSON as the file the user uploads to the e-filing portal."""
    name = f"ITR1_AY{filing.assessment_year}_{filing.id}.json"
    return Response(serialise(document), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def sha256_of(document: dict[str, Any]) -> str:
    return hashlib.sha256(serialise(document)).hexdigest()


def serialise(document: dict[str, Any]) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def mark_filed(session: Session, filing: Filing, actor: User, confirmed: Any) -> FilingExport:
    """The user says they uploaded the return: keep the exported JSON and move it to filed.

    The filing must have been loaded FOR UPDATE."""
    if confirmed is not True:
        raise ApiError(422, "invalid_fields", "Confirm that you uploaded the return on the portal.",
                       {"confirm": "Tick the box to confirm you uploaded the return."})
    if filing.status != "ready":
        session.rollback()
        message = ("This return is already filed." if filing.status == "filed"
                   else "Only a return marked ready can be filed.")
        raise ApiError(409, "not_ready", message)
    document = export_for_user(session, filing, actor)
    digest = sha256_of(document)
    kept = FilingExport(filing_id=filing.id, user_id=filing.user_id, sha256=digest, document=document)
    session.add(kept)
    audit.record(session, filing.user_id, actor.id, filing.id, "filing.filed", {"status": filing.status},
                 {"status": "filed", "sha256": digest})
    filing.status = "filed"
    filing.version += 1
    session.commit()
    filings.announce(filing, actor.id)
    return kept


def exports(session: Session, filing: Filing) -> list[FilingExport]:
    return list(session.scalars(select(FilingExport).where(
        FilingExport.filing_id == filing.id, FilingExport.user_id == filing.user_id)
        .order_by(FilingExport.created_at.desc())))


def load_filing_for_export(filing_id: int) -> dict[str, Any]:
    """For the operator CLI (`python -m app.itr export`): no user scoping; problems raise ExportError."""
    from .. import create_app

    app = create_app()
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        if filing is None:
            raise ExportError([f"No return with id {filing_id}."])
        problems = blockers(filing) or ([] if filing.status in EXPORTABLE else [NOT_READY])
        if problems:
            raise ExportError(problems)
        return filing_dict(db.session, filing)
