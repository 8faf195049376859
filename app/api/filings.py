"""Filings API: returns, their inputs and computation, schedules, sharing, history, bank accounts.

Every filing route loads through `app.filings.access.load` (owner or granted preparer; else 404).
"""
from __future__ import annotations

from flask import g, jsonify, request

from ..auth.guard import login_required
from ..extensions import db
from ..filings import access, banks, history, schedules, service, sharing
from . import bp
from .helpers import json_body, only_keys


def _filing(filing_id: int, **kw):
    return access.load(db.session, g.user, filing_id, **kw)


@bp.get("/filings")
@login_required
def list_filings():
    body = {"filings": [service.summary_json(f) for f in service.own_filings(db.session, g.user.id)]}
    if g.user.role == "preparer":
        sharing.claim_invitations(db.session, g.user)
        body["clients"] = [{**service.summary_json(c["filing"]), "owner": {"id": c["owner"].id, "name": c["owner"].name},
                            "missing": c["missing"]} for c in sharing.clients(db.session, g.user)]
    return jsonify(body)


@bp.post("/filings")
@login_required
def create_filing():
    data = json_body()
    only_keys(data, {"assessment_year"})
    filing = service.create(db.session, g.user, data.get("assessment_year"))
    return jsonify(service.as_json(db.session, filing, g.user)), 201


@bp.get("/filings/<int:filing_id>")
@login_required
def get_filing(filing_id: int):
    return jsonify(service.as_json(db.session, _filing(filing_id)))


@bp.patch("/filings/<int:filing_id>")
@login_required
def patch_filing(filing_id: int):
    filing = _filing(filing_id, for_update=True)
    filing = service.patch(db.session, filing, g.user, json_body())
    return jsonify(service.as_json(db.session, filing))


@bp.delete("/filings/<int:filing_id>")
@login_required
def delete_filing(filing_id: int):
    service.delete_filing(db.session, _filing(filing_id, for_update=True, owner_only=True), g.user)
    return "", 204


@bp.post("/filings/<int:filing_id>/compute")
@login_required
def compute_filing(filing_id: int):
    job = service.request_compute(db.session, _filing(filing_id), g.user)
    return jsonify(job_id=job.id, status=job.status), 202


@bp.post("/filings/<int:filing_id>/ready")
@login_required
def mark_ready(filing_id: int):
    filing = service.mark_ready(db.session, _filing(filing_id, for_update=True), g.user)
    return jsonify(service.as_json(db.session, filing))


@bp.get("/filings/<int:filing_id>/history")
@login_required
def filing_history(filing_id: int):
    filing = _filing(filing_id)  # access is decided on the primary, never on a lagging replica
    with db.reader(g.user.id) as s:
        entries, next_before = history.page(s, filing, request.args.get("before"), request.args.get("limit"))
    return jsonify(entries=entries, next_before=next_before)


# --- family members and foreign assets ------------------------------------------------------------

@bp.get("/filings/<int:filing_id>/family-members")
@login_required
def list_family(filing_id: int):
    return jsonify(family_members=[schedules.member_json(m) for m in schedules.family(db.session, _filing(filing_id))])


@bp.post("/filings/<int:filing_id>/family-members")
@login_required
def add_family_member(filing_id: int):
    member = schedules.add_member(db.session, _filing(filing_id, for_update=True), g.user, json_body())
    return jsonify(schedules.member_json(member)), 201


@bp.delete("/filings/<int:filing_id>/family-members/<int:member_id>")
@login_required
def remove_family_member(filing_id: int, member_id: int):
    schedules.remove_member(db.session, _filing(filing_id, for_update=True), g.user, member_id)
    return "", 204


@bp.get("/filings/<int:filing_id>/foreign-assets")
@login_required
def list_foreign_assets(filing_id: int):
    assets = schedules.foreign_assets(db.session, _filing(filing_id))
    return jsonify(foreign_assets=[schedules.asset_json(a) for a in assets])


@bp.post("/filings/<int:filing_id>/foreign-assets")
@login_required
def add_foreign_asset(filing_id: int):
    asset = schedules.add_asset(db.session, _filing(filing_id, for_update=True), g.user, json_body())
    return jsonify(schedules.asset_json(asset)), 201


@bp.delete("/filings/<int:filing_id>/foreign-assets/<int:asset_id>")
@login_required
def remove_foreign_asset(filing_id: int, asset_id: int):
    schedules.remove_asset(db.session, _filing(filing_id, for_update=True), g.user, asset_id)
    return "", 204


@bp.get("/filings/<int:filing_id>/challans")
@login_required
def list_challans(filing_id: int):
    return jsonify(challans=[schedules.challan_json(c) for c in schedules.challans(db.session, _filing(filing_id))])


@bp.post("/filings/<int:filing_id>/challans")
@login_required
def add_challan(filing_id: int):
    challan = schedules.add_challan(db.session, _filing(filing_id, for_update=True), g.user, json_body())
    return jsonify(schedules.challan_json(challan)), 201


@bp.delete("/filings/<int:filing_id>/challans/<int:challan_id>")
@login_required
def remove_challan(filing_id: int, challan_id: int):
    schedules.remove_challan(db.session, _filing(filing_id, for_update=True), g.user, challan_id)
    return "", 204


# --- sharing with a preparer (owner only) ------------------------------------------------------------

@bp.get("/filings/<int:filing_id>/grants")
@login_required
def list_grants(filing_id: int):
    filing = _filing(filing_id, owner_only=True)
    return jsonify(grants=[sharing.grant_json(gr) for gr in sharing.grants(db.session, filing)])


@bp.post("/filings/<int:filing_id>/grants")
@login_required
def add_grant(filing_id: int):
    filing = _filing(filing_id, owner_only=True)
    data = json_body()
    only_keys(data, {"email"})
    grant = sharing.invite(db.session, filing, g.user, data)
    return jsonify(sharing.grant_json(grant)), 201


@bp.delete("/filings/<int:filing_id>/grants/<int:grant_id>")
@login_required
def revoke_grant(filing_id: int, grant_id: int):
    sharing.revoke(db.session, _filing(filing_id, owner_only=True), g.user, grant_id)
    return "", 204


# --- bank accounts: the signed-in user's own, or a shared filing owner's ----------------------------

@bp.get("/bank-accounts")
@login_required
def list_bank_accounts():
    return jsonify(bank_accounts=[banks.as_json(a) for a in banks.listing(db.session, g.user.id)])


@bp.post("/bank-accounts")
@login_required
def add_bank_account():
    account = banks.add(db.session, g.user.id, g.user, json_body())
    return jsonify(banks.as_json(account)), 201


@bp.post("/bank-accounts/<int:account_id>/refund")
@login_required
def use_bank_account_for_refund(account_id: int):
    return jsonify(banks.as_json(banks.use_for_refund(db.session, g.user.id, g.user, account_id)))


@bp.delete("/bank-accounts/<int:account_id>")
@login_required
def remove_bank_account(account_id: int):
    banks.remove(db.session, g.user.id, g.user, account_id)
    return "", 204


@bp.get("/filings/<int:filing_id>/bank-accounts")
@login_required
def list_filing_bank_accounts(filing_id: int):
    filing = _filing(filing_id)
    return jsonify(bank_accounts=[banks.as_json(a) for a in banks.listing(db.session, filing.user_id)])


@bp.post("/filings/<int:filing_id>/bank-accounts")
@login_required
def add_filing_bank_account(filing_id: int):
    filing = _filing(filing_id)
    service.ensure_editable(filing)
    account = banks.add(db.session, filing.user_id, g.user, json_body(), filing)
    return jsonify(banks.as_json(account)), 201

