"""The return editor's pages: forms post without JavaScript, errors sit next to their fields."""
from __future__ import annotations

import re

from .conftest import ACCOUNT, post_form


def test_opening_a_year_creates_nothing_until_the_taxpayer_starts_it(api, sql):
    page = api.get("/filings/2026-27")
    assert page.status_code == 200 and b"Start this return" in page.data
    assert sql("SELECT count(*) FROM filings")[0][0] == 0
    r = post_form(api, "/filings/2026-27/start", {})
    assert r.status_code == 302 and r.headers["Location"].endswith("/filings/2026-27/personal")
    assert sql("SELECT assessment_year, status FROM filings") == [("2026-27", "draft")]


def test_the_dashboard_lists_each_year_with_its_status_and_tax(api, filled_filing, sql):
    filing_id = filled_filing(api)
    sql("UPDATE filings SET status = 'computed', computation = CAST(:c AS jsonb) WHERE id = :id", id=filing_id,
        c='{"old": {"total_tax": 89130}, "new": {"total_tax": 89700}, "recommended_regime": "old"}')
    page = api.get("/").get_data(as_text=True)
    assert "AY 2026-27" in page and "AY 2025-26" in page
    assert "₹89,130" in page and "₹89,700" in page and "Computed" in page
    assert "Start this return" in page  # for 2025-26


def test_a_salary_form_with_a_bad_amount_shows_the_message_by_the_field_and_saves_nothing(
        api, filled_filing, snapshot):
    filing_id = filled_filing(api)
    before = snapshot(filing_id)
    r = post_form(api, "/filings/2026-27/salary", {"salary.gross": "12 lakh", "salary.basic_da": "600000"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert re.search(r'id="f-salary-gross"[^>]*aria-invalid="true"', html)
    assert re.search(r'id="f-salary-gross-error"[^>]*>Enter an amount in whole rupees', html)
    assert 'value="12 lakh"' in html
    assert snapshot(filing_id) == before


def test_a_salary_form_saves_and_redirects(api, new_filing):
    filing_id = new_filing(api)["id"]
    r = post_form(api, "/filings/2026-27/salary", {"salary.gross": "15,00,000", "salary.basic_da": "600000",
                                                   "salary.metro": "on"})
    assert r.status_code == 302
    salary = api.get(f"/api/v1/filings/{filing_id}").get_json()["input"]["salary"]
    assert salary["gross"] == 1500000 and salary["metro"] is True and salary["rent_paid"] == 0
    assert 'value="1500000"' in api.get("/filings/2026-27/salary").get_data(as_text=True)


def test_the_engines_message_shows_next_to_the_house_that_caused_it(api, new_filing, snapshot):
    filing_id = new_filing(api)["id"]
    before = snapshot(filing_id)
    r = post_form(api, "/filings/2026-27/house-property", {
        "house_count": "2", "house_property[0].kind": "self_occupied", "house_property[0].annual_rent": "1000",
        "house_property[1].kind": ""})
    assert r.status_code == 422
    assert 'data-error-for="house_property[0].annual_rent">A self_occupied house has no rent' in r.get_data(as_text=True)
    assert snapshot(filing_id) == before
    r = post_form(api, "/filings/2026-27/house-property", {
        "house_count": "1", "house_property[0].kind": "let_out", "house_property[0].annual_rent": "240000"})
    assert r.status_code == 302
    houses = api.get(f"/api/v1/filings/{filing_id}").get_json()["input"]["house_property"]
    assert houses == [{"kind": "let_out", "annual_rent": 240000, "municipal_taxes": 0, "interest_on_loan": 0}]


def test_the_personal_form_checks_the_pan_and_shows_the_age(api, new_filing):
    new_filing(api)
    r = post_form(api, "/filings/2026-27/personal", {"personal.name": "Asha", "personal.pan": "abcpv1234",
                                                     "residential_status": "resident"})
    assert r.status_code == 422
    assert 'id="f-personal-pan-error" data-error-for="personal.pan">A PAN is 5 letters' in r.get_data(as_text=True)
    r = post_form(api, "/filings/2026-27/personal", {"personal.name": "Asha", "personal.pan": "abcpv1234f",
                                                     "personal.dob": "1990-05-14", "residential_status": "non_resident"})
    assert r.status_code == 302
    page = api.get("/filings/2026-27/personal").get_data(as_text=True)
    assert 'value="ABCPV1234F"' in page and "Age on 31 March: 35" in page
    assert '<option value="non_resident" selected>' in page


def test_bank_accounts_family_and_foreign_assets_are_added_by_form(api, new_filing):
    filing_id = new_filing(api)["id"]
    r = post_form(api, "/filings/2026-27/bank-accounts/add", {**ACCOUNT, "ifsc": "SBIN123", "refund": "on"})
    assert r.status_code == 422 and "An IFSC is 11 characters" in r.get_data(as_text=True)
    assert post_form(api, "/filings/2026-27/bank-accounts/add", {**ACCOUNT, "refund": "on"}).status_code == 302
    assert "Refund account" in api.get("/filings/2026-27/bank-accounts").get_data(as_text=True)

    assert post_form(api, "/filings/2026-27/family/add", {"name": "Kabir", "relation": "child"}).status_code == 302
    assert post_form(api, "/filings/2026-27/foreign-assets/add", {
        "country_code": "US", "asset_type": "depository_account", "institution": "Chase", "peak_value": "1,00,000",
        "closing_value": "50000", "income": ""}).status_code == 302
    assets = api.get(f"/api/v1/filings/{filing_id}/foreign-assets").get_json()["foreign_assets"]
    assert assets[0]["peak_value"] == 100000
    assert "Kabir" in api.get("/filings/2026-27/family").get_data(as_text=True)


def test_the_computation_page_shows_both_regimes_a_chart_and_a_printable_sheet(api, filled_filing, worker, wait_job):
    filing_id = filled_filing(api)
    assert "Not computed yet" in api.get("/filings/2026-27/computation").get_data(as_text=True)
    r = post_form(api, "/filings/2026-27/computation", {})
    assert r.status_code == 302
    from app.extensions import db
    from app.models import Job

    db.session.rollback()
    job_id = db.session.query(Job.id).filter(Job.subject_id == filing_id).scalar()
    assert wait_job(job_id).status == "finished"

    comp = api.get(f"/api/v1/filings/{filing_id}").get_json()["computation"]
    page = api.get("/filings/2026-27/computation").get_data(as_text=True)
    assert "Old regime, line by line" in page and "New regime, line by line" in page
    assert f'value="{comp["old"]["total_tax"]}"' in page and "<meter" in page
    assert "style=" not in page and " onclick" not in page
    partial = api.get("/filings/2026-27/computation?partial=1").get_data(as_text=True)
    assert "<html" not in partial and "Tax by component" in partial
    sheet = api.get("/filings/2026-27/computation/sheet").get_data(as_text=True)
    assert "Computation of income and tax" in sheet and "ABCPV1234F" in sheet


def test_marking_ready_by_form_explains_what_is_missing(api, new_filing):
    new_filing(api)
    r = post_form(api, "/filings/2026-27/ready", {})
    assert r.status_code == 302
    page = api.get("/filings/2026-27").get_data(as_text=True)
    assert "not ready yet" in page and "A bank account for the refund" in page
