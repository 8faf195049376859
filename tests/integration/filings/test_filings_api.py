"""Taxpayers start, read and change their returns through the JSON API."""
from __future__ import annotations

from app.tax import validate

from .conftest import INPUT, PERSONAL


def test_a_taxpayer_starts_one_return_per_assessment_year(api, new_filing):
    first = new_filing(api, "2026-27")
    assert first["assessment_year"] == "2026-27"
    assert first["status"] == "draft"
    assert first["input"]["financial_year"] == "2025-26"
    assert first["computation"] is None and first["computation_stale"] is False

    again = api.post("/api/v1/filings", json={"assessment_year": "2026-27"})
    assert again.status_code == 409
    assert "assessment_year" in again.get_json()["error"]["fields"]

    new_filing(api, "2025-26")
    listed = api.get("/api/v1/filings").get_json()["filings"]
    assert [f["assessment_year"] for f in listed] == ["2026-27", "2025-26"]


def test_an_unknown_assessment_year_is_refused_with_a_field_message(api):
    r = api.post("/api/v1/filings", json={"assessment_year": "2019-20"})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"]["assessment_year"]
    assert api.get("/api/v1/filings").get_json()["filings"] == []


def test_patching_sections_replaces_them_and_the_input_reads_back(api, new_filing):
    filing_id = new_filing(api)["id"]
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": INPUT, "personal": PERSONAL, "regime": "old"})
    assert r.status_code == 200, r.get_json()
    body = api.get(f"/api/v1/filings/{filing_id}").get_json()
    assert body["regime"] == "old"
    assert body["personal"]["pan"] == "ABCPV1234F"
    assert body["input"]["age"] == 35  # born 14 May 1990: 35 on 31 March 2026
    assert validate(body["input"]) == validate({"financial_year": "2025-26", "age": 35, **INPUT})

    r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"house_property": [], "deductions": {"80C": 50000}}})
    assert r.status_code == 200
    stored = api.get(f"/api/v1/filings/{filing_id}").get_json()["input"]
    assert "house_property" not in stored or stored["house_property"] == []
    assert validate(stored)["deductions"]["80C"] == 50000
    assert validate(stored)["deductions"]["80D"] == 0
    assert validate(stored)["salary"]["gross"] == 1450000  # untouched sections stay


def test_a_bad_amount_is_refused_with_its_field_and_nothing_is_saved(api, filled_filing, snapshot):
    filing_id = filled_filing(api)
    before = snapshot(filing_id)
    r = api.patch(f"/api/v1/filings/{filing_id}", json={
        "input": {"deductions": {"80C": 1000}, "salary": {"gross": -5}},
        "personal": {**PERSONAL, "name": "Changed"},
    })
    assert r.status_code == 422
    assert list(r.get_json()["error"]["fields"]) == ["salary.gross"]
    assert snapshot(filing_id) == before


def test_personal_details_are_checked_field_by_field(api, new_filing, snapshot):
    filing_id = new_filing(api)["id"]
    before = snapshot(filing_id)
    bad = {**PERSONAL, "pan": "ABCCV1234F", "aadhaar": "1234", "mobile": "98765", "dob": "14/05/1990",
           "address": {**PERSONAL["address"], "pin": "5600"}}
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"personal": bad})
    assert r.status_code == 422
    fields = r.get_json()["error"]["fields"]
    assert set(fields) == {"personal.pan", "personal.aadhaar", "personal.mobile", "personal.dob",
                           "personal.address.pin"}
    assert "fourth letter must be P" in fields["personal.pan"]
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"personal": {**PERSONAL, "pan": "AB1"}})
    assert "5 letters, 4 digits" in r.get_json()["error"]["fields"]["personal.pan"]
    assert snapshot(filing_id) == before


def test_age_and_foreign_assets_follow_from_other_details_and_cannot_be_set(api, new_filing):
    filing_id = new_filing(api)["id"]
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"age": 61, "foreign_assets": True}})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"age", "foreign_assets"}
    # Born on 1 April 1966: attains 60 on 31 March 2026, the day before the birthday.
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"personal": {**PERSONAL, "dob": "1966-04-01"}})
    assert r.get_json()["input"]["age"] == 60


def test_a_financial_year_that_does_not_match_the_assessment_year_is_refused(api, new_filing):
    filing_id = new_filing(api, "2025-26")["id"]
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"financial_year": "2025-26"}})
    assert r.status_code == 422
    assert "2024-25" in r.get_json()["error"]["fields"]["financial_year"]
    ok = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"financial_year": "2024-25"}})
    assert ok.status_code == 200


def test_unknown_sections_and_regimes_are_refused(api, new_filing):
    filing_id = new_filing(api)["id"]
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"lottery": 5}, "regime": "middle", "extra": 1})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"lottery", "regime", "extra"}


def test_changing_an_input_makes_the_computation_stale_and_the_return_a_draft_again(api, filled_filing, sql):
    filing_id = filled_filing(api)
    sql("UPDATE filings SET status = 'ready', computation = '{\"old\": {}}'::jsonb, computation_stale = false"
        " WHERE id = :id", id=filing_id)
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"taxes_paid": {"tds_salary": 95000}}})
    assert r.status_code == 200
    assert r.get_json()["computation_stale"] is True
    assert r.get_json()["status"] == "draft"


def test_a_filed_return_is_read_only(api, filled_filing, sql, snapshot):
    filing_id = filled_filing(api)
    sql("UPDATE filings SET status = 'filed' WHERE id = :id", id=filing_id)
    before = snapshot(filing_id)
    r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"taxes_paid": {"tds_salary": 1}}})
    assert r.status_code == 409
    assert api.post(f"/api/v1/filings/{filing_id}/compute").status_code == 409
    assert api.delete(f"/api/v1/filings/{filing_id}").status_code == 409
    assert snapshot(filing_id) == before


def test_a_return_is_ready_only_with_personal_details_a_refund_account_and_a_fresh_computation(
        api, new_filing, sql):
    filing_id = new_filing(api)["id"]
    r = api.post(f"/api/v1/filings/{filing_id}/ready")
    assert r.status_code == 409
    message = r.get_json()["error"]["message"]
    assert "PAN" in message and "refund" in message and "computation" in message

    api.patch(f"/api/v1/filings/{filing_id}", json={"personal": PERSONAL, "input": INPUT})
    api.post("/api/v1/bank-accounts", json={"ifsc": "HDFC0000123", "account_number": "50100123456",
                                            "bank_name": "HDFC Bank", "refund": True})
    sql("UPDATE filings SET status = 'computed', computation = '{}'::jsonb, computation_stale = false WHERE id = :id",
        id=filing_id)
    r = api.post(f"/api/v1/filings/{filing_id}/ready")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "ready"


def test_a_taxpayer_can_delete_a_draft_return(api, new_filing):
    filing_id = new_filing(api)["id"]
    assert api.delete(f"/api/v1/filings/{filing_id}").status_code == 204
    assert api.get(f"/api/v1/filings/{filing_id}").status_code == 404
