"""Challans of advance tax (s.208-211, paid within the year) and self-assessment tax (s.140A, paid
after it ends), which the ITR lists in Schedule IT: entered, checked, listed, removed, audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from .conftest import post_form

ADVANCE = {"kind": "advance_tax", "bsr_code": "0510308", "paid_on": "2025-12-14", "serial_no": "00123", "amount": "40,000"}


def test_a_challan_i_add_is_listed_audited_and_removable(api, new_filing):
    from app.extensions import db
    from app.models import AuditLog

    filing_id = new_filing(api)["id"]
    r = api.post(f"/api/v1/filings/{filing_id}/challans", json=ADVANCE)
    assert r.status_code == 201, r.get_json()
    added = r.get_json()
    assert {k: added[k] for k in ("kind", "bsr_code", "paid_on", "serial_no", "amount")} == {
        "kind": "advance_tax", "bsr_code": "0510308", "paid_on": "2025-12-14", "serial_no": 123, "amount": 40000}
    assert api.get(f"/api/v1/filings/{filing_id}/challans").get_json()["challans"] == [added]
    assert api.delete(f"/api/v1/filings/{filing_id}/challans/{added['id']}").status_code == 204
    assert api.get(f"/api/v1/filings/{filing_id}/challans").get_json()["challans"] == []
    db.session.rollback()
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.filing_id == filing_id)).all()
    assert actions == ["filing.create", "challan.add", "challan.remove"]


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"bsr_code": "05103"}, "bsr_code", "7-character BSR code"),
    ({"serial_no": "123456"}, "serial_no", "up to 5 digits"),
    ({"paid_on": "2025-03-31"}, "paid_on", "between 01 April 2025 and 31 March 2026"),
    ({"paid_on": "2099-01-01"}, "paid_on", "cannot be in the future"),
    ({"kind": "self_assessment_tax"}, "paid_on", "from 01 April 2026"),
    ({"paid_on": "14/12/2025"}, "paid_on", "YYYY-MM-DD"),
    ({"amount": "0"}, "amount", "Enter the amount deposited"),
    ({"amount": "12.5"}, "amount", "whole rupees"),
    ({"kind": "tcs"}, "kind", "advance tax or self-assessment tax"),
    ({"note": "x"}, "note", "Unknown field"),
])
def test_a_wrong_challan_is_refused_field_by_field_and_nothing_is_saved(api, new_filing, change, field, words):
    filing_id = new_filing(api)["id"]
    r = api.post(f"/api/v1/filings/{filing_id}/challans", json={**ADVANCE, **change})
    assert r.status_code == 422
    assert words in r.get_json()["error"]["fields"][field]
    assert api.get(f"/api/v1/filings/{filing_id}/challans").get_json()["challans"] == []


def test_another_users_challan_cannot_be_listed_or_removed(api, other_api, new_filing):
    filing_id = new_filing(api)["id"]
    challan_id = api.post(f"/api/v1/filings/{filing_id}/challans", json=ADVANCE).get_json()["id"]
    theirs = new_filing(other_api)["id"]
    assert other_api.get(f"/api/v1/filings/{filing_id}/challans").status_code == 404
    assert other_api.delete(f"/api/v1/filings/{filing_id}/challans/{challan_id}").status_code == 404
    assert other_api.delete(f"/api/v1/filings/{theirs}/challans/{challan_id}").status_code == 404
    assert len(api.get(f"/api/v1/filings/{filing_id}/challans").get_json()["challans"]) == 1


def _taxes_paid(api, filing_id: int) -> dict:
    return api.get(f"/api/v1/filings/{filing_id}").get_json()["input"].get("taxes_paid", {})


def test_challans_set_the_advance_and_self_assessment_tax_on_taxes_paid(api, new_filing):
    # Part B-TTI's advance and self-assessment tax are the totals of Schedule IT's challans.
    filing_id = new_filing(api)["id"]
    assert api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"taxes_paid": {
        "tds_salary": 12000, "advance_tax": 50000}}}).status_code == 200
    api.post(f"/api/v1/filings/{filing_id}/challans", json=ADVANCE)
    second = api.post(f"/api/v1/filings/{filing_id}/challans", json={**ADVANCE, "serial_no": "124", "amount": "15000"})
    api.post(f"/api/v1/filings/{filing_id}/challans", json={**ADVANCE, "kind": "self_assessment_tax",
                                                            "paid_on": "2026-07-20", "amount": "7,500"})
    paid = _taxes_paid(api, filing_id)
    assert (paid["tds_salary"], paid["advance_tax"], paid["self_assessment_tax"]) == (12000, 55000, 7500)
    assert api.delete(f"/api/v1/filings/{filing_id}/challans/{second.get_json()['id']}").status_code == 204
    assert _taxes_paid(api, filing_id)["advance_tax"] == 40000

    entry = api.get(f"/api/v1/filings/{filing_id}/history").get_json()["entries"][0]
    assert entry["summary"] == "Removed a challan"
    assert {"field": "taxes_paid.advance_tax", "before": 55000, "after": 40000} in entry["changes"]


def test_a_challan_that_changes_taxes_paid_sends_a_computed_return_back_to_draft(api, new_filing, sql):
    filing_id = new_filing(api)["id"]
    sql("UPDATE filings SET status = 'computed', computation_stale = false WHERE id = :id", id=filing_id)
    api.post(f"/api/v1/filings/{filing_id}/challans", json=ADVANCE)
    body = api.get(f"/api/v1/filings/{filing_id}").get_json()
    assert (body["status"], body["computation_stale"]) == ("draft", True)


def test_the_challans_page_adds_a_challan_and_compares_it_with_taxes_paid(api, new_filing):
    filing_id = new_filing(api)["id"]
    assert post_form(api, "/filings/2026-27/challans/add", ADVANCE).status_code == 302
    page = api.get("/filings/2026-27/challans").get_data(as_text=True)
    assert "0510308" in page and "00123" in page and "₹40,000" in page and "(does not match)" not in page
    assert api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"taxes_paid": {"advance_tax": 50000}}}).status_code == 200
    assert "(does not match)" in api.get("/filings/2026-27/challans").get_data(as_text=True)
    r = post_form(api, "/filings/2026-27/challans/add", {**ADVANCE, "bsr_code": "x"})
    assert r.status_code == 422 and "7-character BSR code" in r.get_data(as_text=True)
