"""Filings: assemble the tax-engine input from a return's rows, apply changes in one transaction,
check readiness, and queue the computation.

Storage: `salary`, `other_sources`, `capital_gains` and `family_pension` ({"amount"}) are one
income_items row each, `house_property` one row per property (in order), `deductions` one
deduction_items row per section, `taxes_paid`, `personal` and `residential_status` live on the
filing. `age` follows from `personal.dob`; `foreign_assets` from the Schedule FA rows.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..models import BankAccount, DeductionItem, Filing, ForeignAsset, IncomeItem, Job, User
from ..models.filing import ASSESSMENT_YEARS
from ..realtime import emit
from ..services import audit, jobs
from ..tax import InputError, validate
from . import validation

SINGLE_HEADS = ("salary", "other_sources", "capital_gains")
SECTIONS = ("residential_status", "salary", "family_pension", "house_property", "other_sources", "capital_gains",
            "deductions", "taxes_paid")
DERIVED = {
    "age": "Age follows from the date of birth: set personal.dob instead.",
    "foreign_assets": "Foreign assets follow from Schedule FA: add them on the foreign assets page.",
}
REGIMES = ("old", "new")


# --- reading -------------------------------------------------------------------------------------

def stored_sections(session: Session, filing: Filing) -> dict[str, Any]:
    """The input sections as stored (not validated: a corrupt row shows up as it is)."""
    sections: dict[str, Any] = {"residential_status": filing.residential_status}
    houses: list[Any] = []
    items = session.scalars(select(IncomeItem).where(IncomeItem.filing_id == filing.id)
                            .order_by(IncomeItem.position, IncomeItem.id))
    for item in items:
        if item.head == "house_property":
            houses.append(item.data)
        elif item.head == "family_pension":
            sections["family_pension"] = item.data.get("amount", 0) if isinstance(item.data, dict) else item.data
        elif item.head in SINGLE_HEADS:
            sections.setdefault(item.head, item.data)
    if houses:
        sections["house_property"] = houses
    deductions = session.execute(select(DeductionItem.section, DeductionItem.amount)
                                 .where(DeductionItem.filing_id == filing.id)).all()
    if deductions:
        sections["deductions"] = {section: amount for section, amount in deductions}
    if filing.taxes_paid:
        sections["taxes_paid"] = filing.taxes_paid
    return sections


def age_of(personal: dict[str, Any], financial_year: str) -> int | None:
    dob = validation.parse_date(personal.get("dob"))
    return validation.age_on_march_31(dob, financial_year) if dob else None


def has_foreign_assets(session: Session, filing_id: int) -> bool:
    return session.scalar(select(ForeignAsset.id).where(ForeignAsset.filing_id == filing_id).limit(1)) is not None


def assemble_input(session: Session, filing: Filing, sections: dict[str, Any] | None = None,
                   personal: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tax-engine input (contracts/tax-engine.md) for this filing."""
    case: dict[str, Any] = {"financial_year": filing.financial_year}
    age = age_of(filing.personal if personal is None else personal, filing.financial_year)
    if age is not None:
        case["age"] = age
    case.update(stored_sections(session, filing) if sections is None else sections)
    if has_foreign_assets(session, filing.id):
        case["foreign_assets"] = True
    return case


def refund_account_exists(session: Session, user_id: int) -> bool:
    return session.scalar(select(BankAccount.id).where(BankAccount.user_id == user_id, BankAccount.refund)
                          .limit(1)) is not None


def missing(filing: Filing, has_refund_account: bool) -> list[str]:
    """What stops this return from being marked ready, in the taxpayer's words."""
    out = [f"Personal details: {item}" for item in validation.personal_missing(filing.personal or {})]
    if not has_refund_account:
        out.append("A bank account for the refund")
    if filing.computation is None:
        out.append("A computation of the tax")
    elif filing.computation_stale:
        out.append("A fresh computation (the return changed since the last one)")
    return out


def as_json(session: Session, filing: Filing, owner: User | None = None) -> dict[str, Any]:
    owner = owner or session.get(User, filing.user_id)
    return {
        "id": filing.id, "assessment_year": filing.assessment_year, "financial_year": filing.financial_year,
        "status": filing.status, "input": assemble_input(session, filing), "computation": filing.computation,
        "computation_stale": filing.computation_stale,
        "computed_at": filing.computed_at.isoformat() if filing.computed_at else None,
        "personal": filing.personal or {}, "regime": chosen_regime(filing), "version": filing.version,
        "owner": {"id": owner.id, "name": owner.name, "email": owner.email} if owner else None,
        "missing": missing(filing, refund_account_exists(session, filing.user_id)),
    }


def summary_json(filing: Filing) -> dict[str, Any]:
    comp = filing.computation or {}
    return {
        "id": filing.id, "assessment_year": filing.assessment_year, "status": filing.status,
        "computation_stale": filing.computation_stale, "regime": chosen_regime(filing),
        "tax": {r: (comp.get(r) or {}).get("total_tax") for r in REGIMES} if comp else None,
        "recommended_regime": comp.get("recommended_regime"),
    }


def chosen_regime(filing: Filing) -> str | None:
    return filing.regime or (filing.computation or {}).get("recommended_regime")


def own_filings(session: Session, user_id: int) -> list[Filing]:
    return list(session.scalars(select(Filing).where(Filing.user_id == user_id)
                                .order_by(Filing.assessment_year.desc())))


# --- changes -------------------------------------------------------------------------------------

def touched(filing: Filing, *, input_changed: bool) -> None:
    """A change to a return: inputs make the computation stale and send it back to draft; any
    other change takes a ready return back to computed, to be checked again."""
    filing.version += 1
    if input_changed:
        filing.computation_stale = True
        if filing.status in ("computed", "ready"):
            filing.status = "draft"
    elif filing.status == "ready":
        filing.status = "computed"


def ensure_editable(filing: Filing) -> None:
    if filing.status == "filed":
        raise ApiError(409, "filing_filed", "This return has been filed and can no longer change.")


def announce(filing: Filing, actor_id: int) -> None:
    data = {"filing_id": filing.id, "version": filing.version, "status": filing.status}
    emit.to_user(filing.user_id, "filing.updated", data)
    if actor_id != filing.user_id:
        emit.to_user(actor_id, "filing.updated", data)


def create(session: Session, user: User, assessment_year: Any) -> Filing:
    if assessment_year not in ASSESSMENT_YEARS:
        raise ApiError(422, "invalid_field", "Choose an assessment year TaxDesk supports.",
                       {"assessment_year": f"Choose one of {', '.join(sorted(ASSESSMENT_YEARS))}."})
    filing = Filing(user_id=user.id, assessment_year=assessment_year, status="draft", personal=_starting_personal(user))
    try:
        with session.begin_nested():
            session.add(filing)
            session.flush()
    except IntegrityError:
        session.rollback()
        raise ApiError(409, "filing_exists", f"You already have a return for AY {assessment_year}.",
                       {"assessment_year": "You already have a return for this year."}) from None
    audit.record(session, user.id, user.id, filing.id, "filing.create", None,
                 {"assessment_year": assessment_year, "status": "draft"})
    session.commit()
    return filing


def _starting_personal(user: User) -> dict[str, Any]:
    return {"name": user.name, "email": user.email}


def delete_filing(session: Session, filing: Filing, actor: User) -> None:
    ensure_editable(filing)
    audit.record(session, filing.user_id, actor.id, filing.id, "filing.delete",
                 {"assessment_year": filing.assessment_year, "status": filing.status}, None)
    session.delete(filing)
    session.commit()


def _field_message(message: str) -> str:
    text = message.strip().rstrip(".")
    return (text[:1].upper() + text[1:] + ".") if text else "Check this value."


def _check_input(filing: Filing, given: Any, errors: dict[str, str]) -> dict[str, Any]:
    if given is None:
        return {}
    if not isinstance(given, dict):
        errors["input"] = "Send the input as an object of sections."
        return {}
    out: dict[str, Any] = {}
    for key, value in given.items():
        if key == "financial_year":
            if value != filing.financial_year:
                errors["financial_year"] = (f"This is the return for AY {filing.assessment_year}: its financial "
                                            f"year is {filing.financial_year}.")
        elif key in DERIVED:
            errors[key] = DERIVED[key]
        elif key in SECTIONS:
            out[key] = value
        else:
            errors[key] = "Unknown section."
    return out


def patch(session: Session, filing: Filing, actor: User, data: dict[str, Any]) -> Filing:
    """Apply a PATCH body ({"input", "personal", "regime"}) in one transaction, or nothing.

    The filing must have been loaded FOR UPDATE, so a computation cannot store a result of the
    inputs this replaces."""
    try:
        _patch(session, filing, actor, data)
    except BaseException:
        session.rollback()
        raise
    announce(filing, actor.id)
    return filing


def _patch(session: Session, filing: Filing, actor: User, data: dict[str, Any]) -> None:
    ensure_editable(filing)
    errors = {f"{k}": "Unknown field." for k in sorted(set(data) - {"input", "personal", "regime"})}
    given = _check_input(filing, data.get("input"), errors)
    personal = filing.personal or {}
    if "personal" in data:
        personal, personal_errors = validation.clean_personal(data["personal"], filing.financial_year)
        errors.update(personal_errors)
    regime = data.get("regime", filing.regime)
    if regime is not None and regime not in REGIMES:
        errors["regime"] = "Choose old or new."
    if errors:
        raise ApiError(422, "invalid_fields", "Some fields need attention.", errors)
    current = stored_sections(session, filing)
    candidate = {**current, **given}
    try:
        normal = validate(assemble_input(session, filing, candidate, personal))
    except InputError as exc:
        field = exc.field or "input"
        raise ApiError(422, "invalid_fields", "Some fields need attention.",
                       {field: _field_message(exc.message)}) from None

    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for section in given:
        new = normal[section]
        old = current.get(section)
        if old != new:
            before[section], after[section] = old, new
            _write_section(session, filing, section, new)
    input_changed = bool(after)
    if personal != (filing.personal or {}):
        before["personal"], after["personal"] = filing.personal or {}, personal
        input_changed = input_changed or age_of(personal, filing.financial_year) != age_of(
            filing.personal or {}, filing.financial_year)
        filing.personal = personal
    if regime != filing.regime:
        before["regime"], after["regime"] = filing.regime, regime
        filing.regime = regime
    if not after:
        session.rollback()
        return
    touched(filing, input_changed=input_changed)
    audit.record(session, filing.user_id, actor.id, filing.id, "filing.update", before, after)
    session.commit()


def _write_section(session: Session, filing: Filing, section: str, value: Any) -> None:
    if section == "residential_status":
        filing.residential_status = value
    elif section == "taxes_paid":
        filing.taxes_paid = value
    elif section == "deductions":
        rows = {row.section: row for row in session.scalars(
            select(DeductionItem).where(DeductionItem.filing_id == filing.id))}
        for key, amount in value.items():
            row = rows.pop(key, None)
            if amount and row is not None:
                row.amount = amount
            elif amount:
                session.add(DeductionItem(filing_id=filing.id, user_id=filing.user_id, section=key, amount=amount))
            elif row is not None:
                session.delete(row)
        for row in rows.values():
            session.delete(row)
    else:
        head = section
        session.execute(delete(IncomeItem).where(IncomeItem.filing_id == filing.id, IncomeItem.head == head))
        if section == "house_property":
            for position, house in enumerate(value):
                session.add(IncomeItem(filing_id=filing.id, user_id=filing.user_id, head=head, position=position,
                                       data=house))
        elif section == "family_pension":
            if value:
                session.add(IncomeItem(filing_id=filing.id, user_id=filing.user_id, head=head, position=0,
                                       data={"amount": value}))
        else:
            session.add(IncomeItem(filing_id=filing.id, user_id=filing.user_id, head=head, position=0, data=value))
    session.flush()


def mark_ready(session: Session, filing: Filing, actor: User) -> Filing:
    ensure_editable(filing)
    problems = missing(filing, refund_account_exists(session, filing.user_id))
    if problems:
        session.rollback()
        raise ApiError(409, "not_ready", "This return is not ready yet: " + "; ".join(problems) + ".",
                       {f"problem_{i}": text for i, text in enumerate(problems)})
    if filing.status != "ready":
        audit.record(session, filing.user_id, actor.id, filing.id, "filing.ready", {"status": filing.status},
                     {"status": "ready"})
        filing.status = "ready"
        filing.version += 1
    session.commit()
    announce(filing, actor.id)
    return filing


def request_compute(session: Session, filing: Filing, actor: User) -> Job:
    """Queue the computation (the same job while one is queued or running for this filing)."""
    ensure_editable(filing)
    job, created = jobs.submit(
        session, kind="compute", queue="tax", func="jobs.tax.compute_filing", args=[filing.id],
        user_id=actor.id, subject_id=filing.id, dedup_key=f"compute:{filing.id}",
    )
    if created:
        audit.record(session, filing.user_id, actor.id, filing.id, "filing.compute_requested", None,
                     {"job_id": job.id})
    session.commit()
    if created:
        jobs.enqueue_pending(session, [job.id])
    return job


def latest_compute_job(session: Session, filing: Filing, user_id: int) -> Job | None:
    return session.scalar(select(Job).where(Job.subject_id == filing.id, Job.kind == "compute",
                                            Job.user_id == user_id).order_by(Job.created_at.desc()).limit(1))
