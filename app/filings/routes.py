"""Pages of the return editor. Forms post normally (PRG; errors re-render next to the fields) and
go through the same services as the JSON API, which filing.js uses for autosave and computing."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for

from ..auth.guard import login_required
from ..errors import ApiError
from ..extensions import db
from ..itr import service as itr
from ..models import Filing, User
from ..models.filing import ASSESSMENT_YEARS
from . import access, banks, bp, forms, history, schedules, service, sharing, validation
from . import dashboard as dashboard_summary

EDIT_SCREENS = ("personal", "salary", "house-property", "other-sources", "capital-gains", "deductions", "taxes-paid")
OWNER_ONLY = ("sharing",)


def ref_for(filing: Filing) -> str | int:
    """Own returns are addressed by year (/filings/2026-27); shared ones by id."""
    return filing.assessment_year if filing.user_id == g.user.id else filing.id


def _load(ref: str, **kw) -> Filing:
    return access.load(db.session, g.user, ref, **kw)


@bp.get("/")
def dashboard():
    if g.get("user") is None:
        return redirect(url_for("auth.login"))
    filings = dashboard_summary.summaries(db.session, g.user.id)
    clients: list[dict[str, Any]] = []
    if g.user.role == "preparer":
        sharing.claim_invitations(db.session, g.user)
        clients = sharing.clients(db.session, g.user)
    return render_template("filings/dashboard.html", years=sorted(ASSESSMENT_YEARS, reverse=True), filings=filings,
                           clients=clients, regimes=service.REGIMES)


@bp.get("/filings")
@login_required
def index():
    return redirect(url_for("filings.dashboard"))


@bp.get("/filings/<ref>")
@login_required
def overview(ref: str):
    try:
        filing = _load(ref)
    except ApiError:
        if ref not in ASSESSMENT_YEARS:
            raise
        return render_template("filings/start.html", assessment_year=ref, financial_year=ASSESSMENT_YEARS[ref])
    return _screen(filing, "overview")


@bp.post("/filings/<ref>/start")
@login_required
def start(ref: str):
    if ref not in ASSESSMENT_YEARS:
        abort(404)
    try:
        service.create(db.session, g.user, ref)
        flash(f"Your return for AY {ref} is started. Begin with your personal details.")
    except ApiError as exc:
        if exc.status != 409:
            raise
    return redirect(url_for("filings.screen", ref=ref, section="personal"))


@bp.get("/filings/<ref>/<section>")
@login_required
def screen(ref: str, section: str):
    if section not in forms.SCREEN_NAMES:
        abort(404)
    filing = _load(ref, owner_only=section in OWNER_ONLY)
    if section == "computation" and request.args.get("partial"):
        return render_template("filings/_computation.html", **_computation_context(filing))
    return _screen(filing, section)


def _screen(filing: Filing, section: str, errors: dict[str, str] | None = None, status: int = 200,
            form: dict[str, Any] | None = None):
    owner = db.session.get(User, filing.user_id)
    stored = service.stored_sections(db.session, filing)
    has_refund_account = service.refund_account_exists(db.session, filing.user_id)
    context: dict[str, Any] = {
        "filing": filing, "ref": ref_for(filing), "section": section, "owner": owner, "is_owner": owner.id == g.user.id,
        "screens": [(s, n) for s, n in forms.SCREENS if owner.id == g.user.id or s not in OWNER_ONLY],
        "errors": errors or {}, "form": form, "stored": stored, "forms": forms,
        "missing": service.missing(filing, has_refund_account),
        "done": _done(filing, stored, has_refund_account),
    }
    if section in forms.AMOUNT_SCREENS:
        context["values"] = forms.amount_values(section, stored, request.form if request.method == "POST" else None)
    elif section == "house-property":
        posted = (form or {}).get("input", {}).get("house_property") if form else None
        houses = posted if posted is not None else stored.get("house_property") or []
        context["houses"] = [h if isinstance(h, dict) else {} for h in houses]
    elif section == "personal":
        context["personal"] = (form or {}).get("personal") or filing.personal or {}
        context["residential_status"] = ((form or {}).get("input") or {}).get("residential_status") or \
            filing.residential_status
        context["age"] = service.age_of(filing.personal or {}, filing.financial_year)
    elif section == "family":
        context["members"] = schedules.family(db.session, filing)
        context["relations"] = validation.RELATIONS
    elif section == "foreign-assets":
        context["assets"] = schedules.foreign_assets(db.session, filing)
        context["asset_types"] = validation.ASSET_TYPES
    elif section == "challans":
        context["challans"] = schedules.challans(db.session, filing)
        context["challan_kinds"] = validation.CHALLAN_KINDS
    elif section == "bank-accounts":
        context["accounts"] = banks.listing(db.session, filing.user_id)
    elif section == "computation":
        context.update(_computation_context(filing))
    elif section == "itr":
        context["itr_document"], context["itr_problems"] = itr.check(db.session, filing)
        context["exports"] = itr.exports(db.session, filing)
    elif section == "history":
        with db.reader(g.user.id) as s:
            context["entries"], context["next_before"] = history.page(s, filing, request.args.get("before"),
                                                                      request.args.get("limit"))
    elif section == "sharing":
        context["grants"] = sharing.grants(db.session, filing)
    template = "overview" if section == "overview" else section.replace("-", "_")
    if section in forms.AMOUNT_SCREENS:
        template = "amounts"
    return render_template(f"filings/{template}.html", **context), status


def _done(filing: Filing, stored: dict[str, Any], has_refund_account: bool) -> dict[str, bool]:
    personal = filing.personal or {}
    return {
        "personal": not validation.personal_missing(personal),
        "salary": bool((stored.get("salary") or {}).get("gross")) if isinstance(stored.get("salary"), dict) else False,
        "house-property": bool(stored.get("house_property")),
        "other-sources": "other_sources" in stored or bool(stored.get("family_pension")),
        "capital-gains": "capital_gains" in stored,
        "deductions": "deductions" in stored,
        "taxes-paid": "taxes_paid" in stored,
        "bank-accounts": has_refund_account,
        "computation": filing.computation is not None and not filing.computation_stale,
        "itr": filing.status == "filed",
    }


def _computation_context(filing: Filing) -> dict[str, Any]:
    job = service.latest_compute_job(db.session, filing, g.user.id)
    return {"filing": filing, "ref": ref_for(filing), "comp": filing.computation, "chart": chart(filing.computation),
            "regime": service.chosen_regime(filing), "job": job if job and job.status in ("queued", "started", "failed")
            else None}


CHART_PARTS = (("tax_on_normal_income", "Tax at slab rates"), ("tax_on_special_income", "Tax at special rates"),
               ("rebate_87a", "Rebate u/s 87A"), ("marginal_relief_87a", "Marginal relief (87A)"),
               ("surcharge", "Surcharge"), ("marginal_relief_surcharge", "Marginal relief (surcharge)"),
               ("cess", "Health and education cess"), ("total_tax", "Total tax"))


def chart(comp: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Tax by component for both regimes, on one scale (rendered as <meter> bars)."""
    if not comp:
        return []
    top = max([comp[r].get(k, 0) or 0 for r in service.REGIMES for k, _ in CHART_PARTS] + [1])
    return [{"label": label, "max": top, "old": comp["old"].get(key, 0) or 0, "new": comp["new"].get(key, 0) or 0}
            for key, label in CHART_PARTS if comp["old"].get(key) or comp["new"].get(key) or key == "total_tax"]


@bp.post("/filings/<ref>/<section>")
@login_required
def save(ref: str, section: str):
    if section not in EDIT_SCREENS:
        abort(404)
    filing = _load(ref, for_update=True)
    if section == "personal":
        body, errors = forms.personal_body(request.form), {}
    elif section == "house-property":
        body, errors = forms.houses_body(request.form)
    else:
        body, errors = forms.amounts_body(section, request.form)
    try:
        if errors:
            raise ApiError(422, "invalid_fields", "Some fields need attention.", errors)
        service.patch(db.session, filing, g.user, body)
    except ApiError as exc:
        db.session.rollback()
        if exc.status != 422:
            raise
        filing = _load(ref)
        return _screen(filing, section, exc.fields, 422, form=body)
    flash("Saved.")
    return redirect(url_for("filings.screen", ref=ref, section=section))


def _form_action(ref: str, section: str, action, success: str):
    """Run one add/remove action of a list screen; a 422 re-renders the screen with messages."""
    try:
        action()
    except ApiError as exc:
        db.session.rollback()
        if exc.status not in (409, 422):
            raise
        return _screen(_load(ref), section, exc.fields or {"form": exc.message}, exc.status,
                       form=request.form.to_dict())
    flash(success)
    return redirect(url_for("filings.screen", ref=ref, section=section))


@bp.post("/filings/<ref>/family/add")
@login_required
def add_member(ref: str):
    filing = _load(ref, for_update=True)
    return _form_action(ref, "family", lambda: schedules.add_member(db.session, filing, g.user, request.form.to_dict()),
                        "Family member added.")


@bp.post("/filings/<ref>/family/<int:member_id>/remove")
@login_required
def remove_member(ref: str, member_id: int):
    filing = _load(ref, for_update=True)
    return _form_action(ref, "family", lambda: schedules.remove_member(db.session, filing, g.user, member_id),
                        "Family member removed.")


@bp.post("/filings/<ref>/foreign-assets/add")
@login_required
def add_asset(ref: str):
    filing = _load(ref, for_update=True)
    return _form_action(ref, "foreign-assets",
                        lambda: schedules.add_asset(db.session, filing, g.user, request.form.to_dict()),
                        "Foreign asset added.")


@bp.post("/filings/<ref>/foreign-assets/<int:asset_id>/remove")
@login_required
def remove_asset(ref: str, asset_id: int):
    filing = _load(ref, for_update=True)
    return _form_action(ref, "foreign-assets", lambda: schedules.remove_asset(db.session, filing, g.user, asset_id),
                        "Foreign asset removed.")


@bp.post("/filings/<ref>/challans/add")
@login_required
def add_challan(ref: str):
    filing = _load(ref, for_update=True)
    return _form_action(ref, "challans", lambda: schedules.add_challan(db.session, filing, g.user, request.form.to_dict()),
                        "Challan added.")


@bp.post("/filings/<ref>/challans/<int:challan_id>/remove")
@login_required
def remove_challan(ref: str, challan_id: int):
    filing = _load(ref, for_update=True)
    return _form_action(ref, "challans", lambda: schedules.remove_challan(db.session, filing, g.user, challan_id),
                        "Challan removed.")


@bp.post("/filings/<ref>/bank-accounts/add")
@login_required
def add_account(ref: str):
    filing = _load(ref)
    service.ensure_editable(filing)
    return _form_action(ref, "bank-accounts",
                        lambda: banks.add(db.session, filing.user_id, g.user, request.form.to_dict(), filing),
                        "Bank account added.")


@bp.post("/filings/<ref>/bank-accounts/<int:account_id>/refund")
@login_required
def refund_account(ref: str, account_id: int):
    filing = _load(ref)
    return _form_action(ref, "bank-accounts",
                        lambda: banks.use_for_refund(db.session, filing.user_id, g.user, account_id, filing),
                        "Refunds will go to this account.")


@bp.post("/filings/<ref>/bank-accounts/<int:account_id>/remove")
@login_required
def remove_account(ref: str, account_id: int):
    filing = _load(ref)
    return _form_action(ref, "bank-accounts",
                        lambda: banks.remove(db.session, filing.user_id, g.user, account_id, filing),
                        "Bank account removed.")


@bp.post("/filings/<ref>/computation")
@login_required
def compute(ref: str):
    filing = _load(ref)
    service.request_compute(db.session, filing, g.user)
    flash("Computing your tax. This page shows the result when it is ready; reload if it does not.")
    return redirect(url_for("filings.screen", ref=ref, section="computation"))


@bp.post("/filings/<ref>/regime")
@login_required
def choose_regime(ref: str):
    filing = _load(ref, for_update=True)
    service.patch(db.session, filing, g.user, {"regime": request.form.get("regime") or None})
    flash("Regime saved.")
    return redirect(url_for("filings.screen", ref=ref, section="computation"))


@bp.get("/filings/<ref>/computation/sheet")
@login_required
def sheet(ref: str):
    filing = _load(ref)
    if filing.computation is None:
        abort(404)
    owner = db.session.get(User, filing.user_id)
    return render_template("filings/sheet.html", owner=owner, **_computation_context(filing))


@bp.post("/filings/<ref>/ready")
@login_required
def ready(ref: str):
    filing = _load(ref, for_update=True)
    try:
        service.mark_ready(db.session, filing, g.user)
        flash("Your return is marked ready.")
    except ApiError as exc:
        if exc.status != 409:
            raise
        flash(exc.message, "error")
    return redirect(url_for("filings.overview", ref=ref))


@bp.get("/filings/<ref>/itr/download")
@login_required
def itr_download(ref: str):
    filing = _load(ref)
    try:
        document = itr.export_for_user(db.session, filing, g.user)
    except ApiError as exc:
        if exc.status != 409:
            raise
        flash(exc.message, "error")
        return redirect(url_for("filings.screen", ref=ref, section="itr"))
    return itr.download(filing, document)


@bp.post("/filings/<ref>/itr/filed")
@login_required
def itr_filed(ref: str):
    filing = _load(ref, for_update=True)
    return _form_action(ref, "itr", lambda: itr.mark_filed(db.session, filing, g.user, request.form.get("confirm") == "yes"),
                        "Your return is marked filed; the JSON you uploaded is kept in its history.")


@bp.post("/filings/<ref>/sharing/add")
@login_required
def invite(ref: str):
    filing = _load(ref, owner_only=True)
    return _form_action(ref, "sharing", lambda: sharing.invite(db.session, filing, g.user, request.form.to_dict()),
                        "Invitation sent.")


@bp.post("/filings/<ref>/sharing/<int:grant_id>/revoke")
@login_required
def revoke(ref: str, grant_id: int):
    filing = _load(ref, owner_only=True)
    return _form_action(ref, "sharing", lambda: sharing.revoke(db.session, filing, g.user, grant_id),
                        "Access removed.")
