"""Family members, Schedule FA (foreign assets) and tax challans of a filing: list, add, remove,
each audited. Challans also keep the advance and self-assessment tax on Taxes paid at their totals."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..models import FamilyMember, Filing, ForeignAsset, TaxChallan, User
from ..services import audit
from . import service, validation

# What a change to a schedule changed in the input, as (before, after) for its audit entry.
Change = tuple[dict[str, Any], dict[str, Any]]


def family(session: Session, filing: Filing) -> list[FamilyMember]:
    return list(session.scalars(select(FamilyMember).where(FamilyMember.filing_id == filing.id,
                                                           FamilyMember.user_id == filing.user_id)
                                .order_by(FamilyMember.id)))


def member_json(member: FamilyMember) -> dict[str, Any]:
    return {"id": member.id, "name": member.name, "relation": member.relation,
            "dob": member.dob.isoformat() if member.dob else None, "senior_citizen": member.senior_citizen}


def foreign_assets(session: Session, filing: Filing) -> list[ForeignAsset]:
    return list(session.scalars(select(ForeignAsset).where(ForeignAsset.filing_id == filing.id,
                                                           ForeignAsset.user_id == filing.user_id)
                                .order_by(ForeignAsset.id)))


def asset_json(asset: ForeignAsset) -> dict[str, Any]:
    return {"id": asset.id, "country_code": asset.country_code, "asset_type": asset.asset_type,
            "institution": asset.institution, "acquired_on": asset.acquired_on.isoformat() if asset.acquired_on else None,
            "peak_value": asset.peak_value, "closing_value": asset.closing_value, "income": asset.income}


def _done(session: Session, filing: Filing, actor: User, action: str, before, after, *, input_changed: bool) -> None:
    service.touched(filing, input_changed=input_changed)
    audit.record(session, filing.user_id, actor.id, filing.id, action, before, after)
    session.commit()
    service.announce(filing, actor.id)


def challans(session: Session, filing: Filing) -> list[TaxChallan]:
    return list(session.scalars(select(TaxChallan).where(TaxChallan.filing_id == filing.id,
                                                         TaxChallan.user_id == filing.user_id)
                                .order_by(TaxChallan.paid_on, TaxChallan.id)))


def challan_json(challan: TaxChallan) -> dict[str, Any]:
    return {"id": challan.id, "kind": challan.kind, "bsr_code": challan.bsr_code,
            "paid_on": challan.paid_on.isoformat(), "serial_no": challan.serial_no, "amount": challan.amount}


@dataclass(frozen=True)
class _Schedule:
    model: type
    name: str                            # in messages: "No such family member."
    action: str                          # audit actions <action>.add / <action>.remove
    as_json: Callable[[Any], dict[str, Any]]
    input_changed: bool                  # whether a row changes what the tax is computed from
    # Brings the input in step with the schedule after a row comes or goes (both halves empty: no change).
    follow: Callable[[Session, Filing, Any], Change] | None = None


_MEMBERS = _Schedule(FamilyMember, "family member", "family_member", member_json, input_changed=False)
# Foreign assets rule out ITR-1, which the computation reports.
_ASSETS = _Schedule(ForeignAsset, "foreign asset", "foreign_asset", asset_json, input_changed=True)


def _total_challans(session: Session, filing: Filing, challan: TaxChallan) -> Change:
    """Set the challan's kind of tax on Taxes paid to the total of that kind's challans, as the
    department's utility sums Schedule IT into Part B-TTI (a later edit there can still differ)."""
    session.flush()
    total = sum(c.amount for c in challans(session, filing) if c.kind == challan.kind)
    paid = filing.taxes_paid or {}
    old = paid.get(challan.kind, 0)
    if old == total:
        return {}, {}
    filing.taxes_paid = {**paid, challan.kind: total}
    return {"taxes_paid": {challan.kind: old}}, {"taxes_paid": {challan.kind: total}}


_CHALLANS = _Schedule(TaxChallan, "challan", "challan", challan_json, input_changed=False, follow=_total_challans)


def add_member(session: Session, filing: Filing, actor: User, data: Any) -> FamilyMember:
    return _add(session, filing, actor, _MEMBERS, validation.clean_family_member(data, filing.financial_year))


def remove_member(session: Session, filing: Filing, actor: User, member_id: int) -> None:
    _remove(session, filing, actor, _MEMBERS, member_id)


def add_asset(session: Session, filing: Filing, actor: User, data: Any) -> ForeignAsset:
    return _add(session, filing, actor, _ASSETS, validation.clean_foreign_asset(data))


def remove_asset(session: Session, filing: Filing, actor: User, asset_id: int) -> None:
    _remove(session, filing, actor, _ASSETS, asset_id)


def add_challan(session: Session, filing: Filing, actor: User, data: Any) -> TaxChallan:
    return _add(session, filing, actor, _CHALLANS, validation.clean_challan(data, filing.financial_year, date.today()))


def remove_challan(session: Session, filing: Filing, actor: User, challan_id: int) -> None:
    _remove(session, filing, actor, _CHALLANS, challan_id)


def _add(session: Session, filing: Filing, actor: User, schedule: _Schedule,
         cleaned: tuple[dict[str, Any], dict[str, str]]) -> Any:
    service.ensure_editable(filing)
    clean, errors = cleaned
    if errors:
        session.rollback()
        raise ApiError(422, "invalid_fields", f"Check the {schedule.name}'s details.", errors)
    row = schedule.model(filing_id=filing.id, user_id=filing.user_id, **clean)
    session.add(row)
    session.flush()
    before, after = _follow(session, filing, schedule, row)
    _done(session, filing, actor, f"{schedule.action}.add", before or None, {**schedule.as_json(row), **after},
          input_changed=schedule.input_changed or bool(after))
    return row


def _remove(session: Session, filing: Filing, actor: User, schedule: _Schedule, row_id: int) -> None:
    service.ensure_editable(filing)
    model = schedule.model
    row = session.scalar(select(model).where(model.id == row_id, model.filing_id == filing.id))
    if row is None:
        session.rollback()
        raise ApiError(404, "not_found", f"No such {schedule.name}.")
    removed = schedule.as_json(row)
    session.delete(row)
    before, after = _follow(session, filing, schedule, row)
    _done(session, filing, actor, f"{schedule.action}.remove", {**removed, **before}, after or None,
          input_changed=schedule.input_changed or bool(after))


def _follow(session: Session, filing: Filing, schedule: _Schedule, row: Any) -> Change:
    return schedule.follow(session, filing, row) if schedule.follow else ({}, {})
