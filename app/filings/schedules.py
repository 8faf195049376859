"""Family members, Schedule FA (foreign assets) and tax challans of a filing: list, add, remove,
each audited."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..models import FamilyMember, Filing, ForeignAsset, TaxChallan, User
from ..services import audit
from . import service, validation


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


def add_member(session: Session, filing: Filing, actor: User, data: Any) -> FamilyMember:
    service.ensure_editable(filing)
    clean, errors = validation.clean_family_member(data, filing.financial_year)
    if errors:
        session.rollback()
        raise ApiError(422, "invalid_fields", "Check the family member's details.", errors)
    member = FamilyMember(filing_id=filing.id, user_id=filing.user_id, **clean)
    session.add(member)
    session.flush()
    _done(session, filing, actor, "family_member.add", None, member_json(member), input_changed=False)
    return member


def remove_member(session: Session, filing: Filing, actor: User, member_id: int) -> None:
    service.ensure_editable(filing)
    member = session.scalar(select(FamilyMember).where(FamilyMember.id == member_id,
                                                       FamilyMember.filing_id == filing.id))
    if member is None:
        session.rollback()
        raise ApiError(404, "not_found", "No such family member.")
    before = member_json(member)
    session.delete(member)
    _done(session, filing, actor, "family_member.remove", before, None, input_changed=False)


def add_asset(session: Session, filing: Filing, actor: User, data: Any) -> ForeignAsset:
    service.ensure_editable(filing)
    clean, errors = validation.clean_foreign_asset(data)
    if errors:
        session.rollback()
        raise ApiError(422, "invalid_fields", "Check the foreign asset's details.", errors)
    asset = ForeignAsset(filing_id=filing.id, user_id=filing.user_id, **clean)
    session.add(asset)
    session.flush()
    # Foreign assets rule out ITR-1, which the computation reports.
    _done(session, filing, actor, "foreign_asset.add", None, asset_json(asset), input_changed=True)
    return asset


def remove_asset(session: Session, filing: Filing, actor: User, asset_id: int) -> None:
    service.ensure_editable(filing)
    asset = session.scalar(select(ForeignAsset).where(ForeignAsset.id == asset_id, ForeignAsset.filing_id == filing.id))
    if asset is None:
        session.rollback()
        raise ApiError(404, "not_found", "No such foreign asset.")
    before = asset_json(asset)
    session.delete(asset)
    _done(session, filing, actor, "foreign_asset.remove", before, None, input_changed=True)


def challans(session: Session, filing: Filing) -> list[TaxChallan]:
    return list(session.scalars(select(TaxChallan).where(TaxChallan.filing_id == filing.id,
                                                         TaxChallan.user_id == filing.user_id)
                                .order_by(TaxChallan.paid_on, TaxChallan.id)))


def challan_json(challan: TaxChallan) -> dict[str, Any]:
    return {"id": challan.id, "kind": challan.kind, "bsr_code": challan.bsr_code,
            "paid_on": challan.paid_on.isoformat(), "serial_no": challan.serial_no, "amount": challan.amount}


def add_challan(session: Session, filing: Filing, actor: User, data: Any) -> TaxChallan:
    service.ensure_editable(filing)
    clean, errors = validation.clean_challan(data, filing.financial_year, date.today())
    if errors:
        session.rollback()
        raise ApiError(422, "invalid_fields", "Check the challan's details.", errors)
    challan = TaxChallan(filing_id=filing.id, user_id=filing.user_id, **clean)
    session.add(challan)
    session.flush()
    # The amounts the tax is computed from are in taxes_paid; challans only document them.
    _done(session, filing, actor, "challan.add", None, challan_json(challan), input_changed=False)
    return challan


def remove_challan(session: Session, filing: Filing, actor: User, challan_id: int) -> None:
    service.ensure_editable(filing)
    challan = session.scalar(select(TaxChallan).where(TaxChallan.id == challan_id, TaxChallan.filing_id == filing.id))
    if challan is None:
        session.rollback()
        raise ApiError(404, "not_found", "No such challan.")
    before = challan_json(challan)
    session.delete(challan)
    _done(session, filing, actor, "challan.remove", before, None, input_changed=False)
