"""Applying reviewed document fields to a return: one transaction, never counted twice, audited."""
from __future__ import annotations

from sqlalchemy import select

from tests.integration.documents.conftest import FORM16


def _sections(fresh, filing_id):
    from app.extensions import db
    from app.models import Filing, IncomeItem

    filing = fresh(Filing, filing_id)
    items = {i.head: i.data for i in db.session.scalars(select(IncomeItem).where(IncomeItem.filing_id == filing_id))}
    return filing, items


def test_applying_my_form16_sets_salary_adds_tds_and_marks_the_computation_stale(api, filing, read_document, fresh):
    from app.extensions import db
    from app.models import AuditLog, Document

    db.session.merge(filing).taxes_paid = {"tds_salary": 1000, "tds_other": 0}
    db.session.commit()
    document = read_document(api, filing_id=filing.id)
    r = api.post(f"/api/v1/documents/{document.id}/apply",
                 json={"fields": {"gross_salary": 1450000, "professional_tax": 2400, "tds": 89700}})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "applied"
    saved, items = _sections(fresh, filing.id)
    assert items["salary"] == {"gross": 1450000, "professional_tax": 2400}
    assert saved.taxes_paid == {"tds_salary": 90700, "tds_other": 0}
    assert saved.computation_stale is True
    assert fresh(Document, document.id).status == "applied"
    audit = db.session.scalars(select(AuditLog).where(AuditLog.filing_id == filing.id)).all()
    assert [a.action for a in audit] == ["document.apply"]
    assert audit[0].before["taxes_paid.tds_salary"] == 1000 and audit[0].after["taxes_paid.tds_salary"] == 90700


def test_applying_a_document_to_a_computed_return_sends_it_back_to_draft_like_any_input_change(api, filing, read_document, fresh):
    from app.extensions import db
    from app.models import Filing

    saved = db.session.merge(filing)
    saved.status, saved.computation, saved.computation_stale, version = "ready", {"recommended_regime": "new"}, False, saved.version
    db.session.commit()
    document = read_document(api, filing_id=filing.id)
    assert api.post(f"/api/v1/documents/{document.id}/apply", json={"fields": {"tds": 89700}}).status_code == 200
    after = fresh(Filing, filing.id)
    assert (after.status, after.computation_stale, after.version) == ("draft", True, version + 1)


def test_applying_the_same_form16_again_replaces_its_tds_instead_of_adding_it_twice(api, filing, read_document, fresh):
    document = read_document(api, filing_id=filing.id)
    url = f"/api/v1/documents/{document.id}/apply"
    assert api.post(url, json={"fields": {"tds": 89700}}).status_code == 200
    assert api.post(url, json={"fields": {"tds": 90000, "gross_salary": "14,50,000"}}).status_code == 200
    saved, items = _sections(fresh, filing.id)
    assert saved.taxes_paid["tds_salary"] == 90000
    assert items["salary"]["gross"] == 1450000


def test_two_form16s_from_two_employers_add_their_tds(api, filing, read_document, fresh):
    first = read_document(api, filing_id=filing.id)
    second = read_document(api, fields={**FORM16, "tds": 10000}, filing_id=filing.id)
    api.post(f"/api/v1/documents/{first.id}/apply", json={"fields": {"tds": 89700}})
    api.post(f"/api/v1/documents/{second.id}/apply", json={"fields": {"tds": 10000}})
    assert fresh(type(filing), filing.id).taxes_paid["tds_salary"] == 99700


def test_an_interest_certificate_adds_deposit_interest_and_other_tds(api, filing, read_document, fresh):
    fields = {"bank_name": "State Bank of India", "pan": "ABCPE1234F", "financial_year": "2025-26",
              "interest_amount": 41250, "tds": 4125}
    document = read_document(api, "interest_certificate", fields, {"interest_amount": "Total interest on term deposits 41,250.00"})
    r = api.post(f"/api/v1/documents/{document.id}/apply", json={"fields": {"interest_amount": 41250, "tds": 4125},
                                                                  "filing_id": filing.id})
    assert r.status_code == 200, r.get_json()
    saved, items = _sections(fresh, filing.id)
    assert items["other_sources"] == {"deposit_interest": 41250}
    assert saved.taxes_paid == {"tds_other": 4125}


def test_savings_interest_wording_goes_to_savings_interest(api, filing, read_document, fresh):
    document = read_document(api, "interest_certificate", {"interest_amount": 3100, "tds": 0},
                             {"interest_amount": "Interest credited to savings account 3,100"}, filing_id=filing.id)
    api.post(f"/api/v1/documents/{document.id}/apply", json={"fields": {"interest_amount": 3100}})
    assert _sections(fresh, filing.id)[1]["other_sources"] == {"savings_interest": 3100}


def test_a_form16a_under_194a_adds_interest_and_other_tds(api, filing, read_document, fresh):
    fields = {"deductor_name": "HDFC Bank", "section": "194A", "amount_paid": 52000, "tds": 5200}
    document = read_document(api, "form16a", fields, filing_id=filing.id)
    api.post(f"/api/v1/documents/{document.id}/apply", json={"fields": {"amount_paid": 52000, "tds": 5200}})
    saved, items = _sections(fresh, filing.id)
    assert items["other_sources"] == {"deposit_interest": 52000}
    assert saved.taxes_paid == {"tds_other": 5200}


def test_bad_amounts_are_rejected_per_field_and_nothing_is_saved(api, filing, read_document, fresh):
    document = read_document(api, filing_id=filing.id)
    r = api.post(f"/api/v1/documents/{document.id}/apply",
                 json={"fields": {"gross_salary": -5, "tds": "lots", "employee_pan": "X", "professional_tax": 2400}})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"gross_salary", "tds", "employee_pan"}
    saved, items = _sections(fresh, filing.id)
    assert items == {} and saved.taxes_paid == {}
    assert fresh(type(document), document.id).status == "extracted"


def test_applying_needs_a_return_and_at_least_one_field(api, read_document):
    document = read_document(api)
    r = api.post(f"/api/v1/documents/{document.id}/apply", json={"fields": {"tds": 1}})
    assert r.status_code == 422 and "filing_id" in r.get_json()["error"]["fields"]
    r = api.post(f"/api/v1/documents/{document.id}/apply", json={"fields": {}})
    assert r.status_code == 422


def test_i_cannot_apply_my_document_to_someone_elses_return(api, other_api, make_filing, read_document):
    theirs = make_filing(other_api)
    document = read_document(api)
    r = api.post(f"/api/v1/documents/{document.id}/apply", json={"fields": {"tds": 1}, "filing_id": theirs.id})
    assert r.status_code == 404


def test_a_filed_return_does_not_change(api, make_filing, read_document):
    filed = make_filing(api, status="filed")
    document = read_document(api, filing_id=filed.id)
    assert api.post(f"/api/v1/documents/{document.id}/apply", json={"fields": {"tds": 1}}).status_code == 409


def test_the_review_form_applies_only_the_accepted_edited_fields(api, filing, read_document, fresh):
    document = read_document(api, filing_id=filing.id,
                             sources={"gross_salary": "Gross Salary 17(1) 14,50,000", "tds": "Total tax deducted 89,700"})
    page = api.get(f"/documents/{document.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Gross Salary 17(1) 14,50,000" in html and "Total tax deducted 89,700" in html
    r = api.post(f"/documents/{document.id}/apply", data={
        "decision_gross_salary": "accept", "value_gross_salary": "14,60,000",
        "decision_professional_tax": "reject", "value_professional_tax": "2400",
        "decision_tds": "accept", "value_tds": "89700", "filing_id": str(filing.id),
    })
    assert r.status_code == 302
    saved, items = _sections(fresh, filing.id)
    assert items["salary"] == {"gross": 1460000}
    assert saved.taxes_paid == {"tds_salary": 89700}


def test_the_review_form_shows_errors_next_to_the_field(api, filing, read_document):
    document = read_document(api, filing_id=filing.id)
    r = api.post(f"/documents/{document.id}/apply", data={"decision_tds": "accept", "value_tds": "abc",
                                                         "filing_id": str(filing.id)})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'id="error_tds"' in html and 'aria-describedby="error_tds"' in html
