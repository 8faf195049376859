"""A ready return downloads as ITR-1 JSON the portal accepts, with the engine's amounts; a return
that needs ITR-2 says why; filing keeps the uploaded JSON."""
from __future__ import annotations

import hashlib
from typing import Any

import pytest

from app.itr import validate_itr1
from tests.unit.itr.filings import ELIGIBLE, Case, assert_shows_the_engines_amounts, by_id, salary_tds

CASES = [pytest.param(case, id=case.id) for case in ELIGIBLE]
SIMPLE = by_id("salaried with HRA, 80C and 80D in the old regime, tax still to pay")


def exported(api, filing_id: int) -> dict[str, Any]:
    r = api.get(f"/api/v1/filings/{filing_id}/itr.json")
    assert r.status_code == 200, r.get_json()
    assert r.headers["Content-Disposition"].startswith("attachment;")
    return r.get_json()


def test_there_are_at_least_twenty_varied_returns_to_export() -> None:
    assert len(CASES) >= 20
    assert {p.values[0].regime for p in CASES} == {"old", "new"}


@pytest.mark.parametrize("case", CASES)
def test_my_ready_return_downloads_as_valid_itr1_with_the_engines_amounts(
        case: Case, api, ready_filing, stored, official_schema):
    filing_id = ready_filing(api, case)
    doc = exported(api, filing_id)
    assert validate_itr1(doc) == []
    assert [e.message for e in official_schema.iter_errors(doc)] == []
    itr = doc["ITR"]["ITR1"]
    filing = stored(filing_id)
    assert_shows_the_engines_amounts(itr, filing.computation[case.regime])
    assert itr["FilingStatus"]["OptOutNewTaxRegime"] == ("Y" if case.regime == "old" else "N")
    assert itr["PersonalInfo"]["PAN"] == "ABCPR1234F"


def test_a_return_computed_by_the_compute_job_exports_with_its_result(api, entered, worker, wait_job, stored,
                                                                      official_schema):
    case = by_id("a let-out flat and a self-occupied home with loan interest in the old regime")
    filing_id = entered(api, case)
    r = api.post(f"/api/v1/filings/{filing_id}/compute")
    assert wait_job(r.get_json()["job_id"]).status == "finished"
    assert api.post(f"/api/v1/filings/{filing_id}/ready").status_code == 200
    doc = exported(api, filing_id)
    assert validate_itr1(doc) == [] and list(official_schema.iter_errors(doc)) == []
    assert_shows_the_engines_amounts(doc["ITR"]["ITR1"], stored(filing_id).computation["old"])


def test_without_a_chosen_regime_the_recommended_one_is_exported(api, ready_filing, stored):
    filing_id = ready_filing(api, SIMPLE)
    assert api.patch(f"/api/v1/filings/{filing_id}", json={"regime": None}).status_code == 200
    assert api.post(f"/api/v1/filings/{filing_id}/ready").status_code == 200
    comp = stored(filing_id).computation
    itr = exported(api, filing_id)["ITR"]["ITR1"]
    assert_shows_the_engines_amounts(itr, comp[comp["recommended_regime"]])


def test_the_tds_schedules_come_from_my_applied_documents(api, ready_filing):
    case = by_id("two employers in the year and TDS on deposits and dividends")
    itr = exported(api, ready_filing(api, case))["ITR"]["ITR1"]
    salary = itr["TDSonSalaries"]["TDSonSalary"]
    assert [r["EmployerOrDeductorOrCollectDetl"]["TAN"] for r in salary] == ["BLRA12345B", "MUMB23456C"]
    assert itr["TDSonSalaries"]["TotalTDSonSalaries"] == 130000
    assert itr["TDSonOthThanSals"]["TotalTDSonOthThanSals"] == 10000


def test_the_tax_payments_schedule_lists_my_challans_and_a_missing_one_blocks_the_download(api, ready_filing,
                                                                                          compute_now):
    case = by_id("advance and self-assessment tax paid by challan")
    filing_id = ready_filing(api, case)
    itr = exported(api, filing_id)["ITR"]["ITR1"]
    assert itr["TaxPayments"] == {"TaxPayment": [
        {"BSRCode": "0510308", "DateDep": "2025-12-14", "SrlNoOfChaln": 12345, "Amt": 40000},
        {"BSRCode": "6390009", "DateDep": "2026-06-10", "SrlNoOfChaln": 501, "Amt": 25000}],
        "TotalTaxPayments": 65000}
    challans = api.get(f"/api/v1/filings/{filing_id}/challans").get_json()["challans"]
    assert api.delete(f"/api/v1/filings/{filing_id}/challans/{challans[1]['id']}").status_code == 204
    paid = api.get(f"/api/v1/filings/{filing_id}").get_json()["input"]["taxes_paid"]
    assert paid["self_assessment_tax"] == 0  # the removed challan's tax came off Taxes paid
    # Tax claimed as paid without its challan:
    patched = api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"taxes_paid": {**paid, "self_assessment_tax": 25000}}})
    assert patched.status_code == 200, patched.get_json()
    compute_now(filing_id)
    assert api.post(f"/api/v1/filings/{filing_id}/ready").status_code == 200
    assert any("must be listed challan by challan" in m for m in _blocked(api, filing_id))


def _blocked(api, filing_id: int) -> list[str]:
    r = api.get(f"/api/v1/filings/{filing_id}/itr.json")
    assert r.status_code == 409, r.get_json()
    return list(r.get_json()["error"]["fields"].values())


INELIGIBLE = [
    pytest.param({"residential_status": "non_resident"}, ("resident",), id="a non-resident"),
    pytest.param({"salary": {"gross": 6000000}}, ("50 lakh", "50,00,000"), id="income above 50 lakh"),
    pytest.param({"capital_gains": {"stcg_111a": 40000}}, ("short-term", "short term", "111a"),
                 id="short-term capital gains"),
    pytest.param({"capital_gains": {"ltcg_112a": 200000}}, ("1.25 lakh", "1,25,000"),
                 id="long-term gains above 1.25 lakh"),
    pytest.param({"house_property": [{"kind": "let_out", "annual_rent": 120000}] * 3}, ("house propert",),
                 id="three house properties"),
]


@pytest.mark.parametrize(("change", "reason"), INELIGIBLE)
def test_a_return_that_needs_itr2_is_refused_with_the_reason(api, ready_filing, compute_now, change, reason):
    filing_id = ready_filing(api, SIMPLE)
    assert api.patch(f"/api/v1/filings/{filing_id}", json={"input": change}).status_code == 200
    compute_now(filing_id)
    assert api.post(f"/api/v1/filings/{filing_id}/ready").status_code == 200
    problems = _blocked(api, filing_id)
    assert any(words in p.lower() for p in problems for words in reason), problems


def test_a_return_with_foreign_assets_is_refused_with_the_reason(api, ready_filing, compute_now):
    filing_id = ready_filing(api, SIMPLE)
    r = api.post(f"/api/v1/filings/{filing_id}/foreign-assets", json={
        "country_code": "US", "asset_type": "depository_account", "institution": "Chase", "peak_value": 500000,
        "closing_value": 400000})
    assert r.status_code == 201, r.get_json()
    compute_now(filing_id)
    assert api.post(f"/api/v1/filings/{filing_id}/ready").status_code == 200
    problems = _blocked(api, filing_id)
    assert any("foreign" in p.lower() or "outside india" in p.lower() for p in problems), problems


def test_a_return_without_a_pan_says_the_pan_is_missing(api, ready_filing, sql_exec):
    filing_id = ready_filing(api, SIMPLE)
    sql_exec("UPDATE filings SET personal = personal - 'pan' WHERE id = :id", id=filing_id)
    assert "PAN is missing." in [p.rstrip(".") + "." for p in _blocked(api, filing_id)]


def test_a_return_not_yet_ready_or_with_a_stale_computation_cannot_be_downloaded(api, entered, compute_now):
    filing_id = entered(api, SIMPLE)
    assert any("Compute" in p for p in _blocked(api, filing_id))
    compute_now(filing_id)
    assert any("ready" in p for p in _blocked(api, filing_id))
    api.post(f"/api/v1/filings/{filing_id}/ready")
    api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"other_sources": {"savings_interest": 5000}}})
    assert any("compute the tax again" in p for p in _blocked(api, filing_id))


def test_confirming_the_upload_files_the_return_and_keeps_the_exported_json(api, ready_filing, stored, sql_exec):
    filing_id = ready_filing(api, SIMPLE)
    doc = exported(api, filing_id)
    downloaded = api.get(f"/api/v1/filings/{filing_id}/itr.json").data
    r = api.post(f"/api/v1/filings/{filing_id}/filed", json={"confirm": False})
    assert r.status_code == 422
    r = api.post(f"/api/v1/filings/{filing_id}/filed", json={"confirm": True})
    assert r.status_code == 200, r.get_json()
    digest = r.get_json()["export"]["sha256"]
    assert stored(filing_id).status == "filed"
    [(kept_sha, kept_doc)] = sql_exec("SELECT sha256, document FROM filing_exports WHERE filing_id = :id",
                                      id=filing_id)
    assert kept_sha == digest == hashlib.sha256(downloaded).hexdigest()
    assert kept_doc["ITR"]["ITR1"]["ITR1_TaxComputation"] == doc["ITR"]["ITR1"]["ITR1_TaxComputation"]
    [(after,)] = sql_exec("SELECT after FROM audit_logs WHERE filing_id = :id AND action = 'filing.filed'",
                          id=filing_id)
    assert after["sha256"] == digest
    assert api.post(f"/api/v1/filings/{filing_id}/filed", json={"confirm": True}).status_code == 409
    assert api.patch(f"/api/v1/filings/{filing_id}", json={"regime": "new"}).status_code == 409


def test_a_return_that_is_not_ready_cannot_be_marked_filed(api, entered, compute_now):
    filing_id = entered(api, SIMPLE)
    compute_now(filing_id)
    assert api.post(f"/api/v1/filings/{filing_id}/filed", json={"confirm": True}).status_code == 409


def test_another_user_cannot_download_or_file_my_return(api, other_api, ready_filing):
    filing_id = ready_filing(api, SIMPLE)
    assert other_api.get(f"/api/v1/filings/{filing_id}/itr.json").status_code == 404
    assert other_api.post(f"/api/v1/filings/{filing_id}/filed", json={"confirm": True}).status_code == 404
    assert other_api.client.get(f"/filings/{filing_id}/itr").status_code == 404
    assert other_api.client.get(f"/filings/{filing_id}/itr/download").status_code == 404
    r = other_api.client.post(f"/filings/{filing_id}/itr/filed", data={"confirm": "yes",
                                                                       "csrf_token": other_api.token})
    assert r.status_code == 404


def test_a_preparer_i_shared_with_can_download_my_return(api, api_for, ready_filing):
    filing_id = ready_filing(api, SIMPLE)
    preparer = api_for("pia@example.com", role="preparer")
    assert api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "pia@example.com"}).status_code == 201
    preparer.get("/api/v1/filings")
    r = preparer.get(f"/api/v1/filings/{filing_id}/itr.json")
    assert r.status_code == 200, r.get_json()


def test_the_return_page_offers_the_download_and_the_upload_confirmation(api, ready_filing, stored):
    filing_id = ready_filing(api, SIMPLE)
    page = api.client.get("/filings/2026-27/itr").get_data(as_text=True)
    assert "ready to download" in page and "/filings/2026-27/itr/download" in page
    r = api.client.get("/filings/2026-27/itr/download")
    assert r.status_code == 200 and r.get_json()["ITR"]["ITR1"]
    r = api.client.post("/filings/2026-27/itr/filed", data={"confirm": "yes", "csrf_token": api.token})
    assert r.status_code == 302
    assert stored(filing_id).status == "filed"
    assert "SHA-256" in api.client.get("/filings/2026-27/itr").get_data(as_text=True)


def test_the_return_page_says_why_itr1_does_not_apply_and_offers_the_computation_sheet(api, ready_filing,
                                                                                        compute_now):
    filing_id = ready_filing(api, SIMPLE)
    api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"residential_status": "non_resident"}})
    compute_now(filing_id)
    page = api.client.get("/filings/2026-27/itr").get_data(as_text=True)
    assert "cannot be filed as ITR-1" in page and "/filings/2026-27/computation/sheet" in page
    assert "resident" in page.lower()


def test_salary_tds_that_does_not_match_the_documents_is_reported(api, ready_filing, add_tds_documents, stored):
    case = Case("extra form 16", {"salary": {"gross": 1450000}}, "new", salary_tds=[salary_tds(1450000, 100000)])
    filing_id = ready_filing(api, case)
    add_tds_documents(filing_id, case)
    assert _blocked(api, filing_id)
