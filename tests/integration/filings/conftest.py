"""Fixtures for the filings tests: a started return, complete personal details, direct DB access."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

PERSONAL = {
    "name": "Asha Verma", "pan": "ABCPV1234F", "dob": "1990-05-14", "aadhaar": "123412341234",
    "mobile": "9876543210", "email": "asha@example.com", "father_name": "Ravi Verma",
    "address": {"line1": "12 MG Road", "locality": "Indiranagar", "city": "Bengaluru", "state_code": "15",
                "pin": "560038"},
}
INPUT = {
    "salary": {"gross": 1450000, "basic_da": 600000, "hra_received": 240000, "rent_paid": 264000, "metro": False,
               "professional_tax": 2400},
    "house_property": [{"kind": "self_occupied", "interest_on_loan": 180000}],
    "other_sources": {"savings_interest": 12000, "deposit_interest": 30000},
    "deductions": {"80C": 150000, "80D": 25000},
    "taxes_paid": {"tds_salary": 90000},
}
ACCOUNT = {"ifsc": "SBIN0001234", "account_number": "12345678901", "bank_name": "State Bank of India", "refund": True}


def post_form(api, url: str, data: dict):
    """A page's form posted as a browser without JavaScript would (the API client adds the CSRF header)."""
    return api._call("POST", url, data=data)


@pytest.fixture
def new_filing():
    """new_filing(api, ay="2026-27") -> the created filing's JSON."""
    def make(api, assessment_year: str = "2026-27") -> dict:
        r = api.post("/api/v1/filings", json={"assessment_year": assessment_year})
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    return make


@pytest.fixture
def filled_filing(new_filing):
    """filled_filing(api) -> id of a return with personal details and a salary, house and deductions."""
    def make(api, assessment_year: str = "2026-27") -> int:
        filing_id = new_filing(api, assessment_year)["id"]
        r = api.patch(f"/api/v1/filings/{filing_id}", json={"input": INPUT, "personal": PERSONAL})
        assert r.status_code == 200, r.get_json()
        return filing_id

    return make


@pytest.fixture
def sql(app):
    """sql(statement, **params) -> rows, run on its own committed connection (what another process sees)."""
    from app.extensions import db

    def run(statement: str, **params):
        with db.engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return result.fetchall() if result.returns_rows else None

    return run


@pytest.fixture
def snapshot(sql):
    """snapshot(filing_id) -> everything stored about a return, to compare before and after a refused change."""
    def take(filing_id: int) -> tuple:
        return (
            sql("SELECT status, residential_status, regime, personal, taxes_paid, computation, computation_stale,"
                " version FROM filings WHERE id = :id", id=filing_id),
            sql("SELECT head, position, data FROM income_items WHERE filing_id = :id ORDER BY head, position",
                id=filing_id),
            sql("SELECT section, amount FROM deduction_items WHERE filing_id = :id ORDER BY section", id=filing_id),
            sql("SELECT count(*) FROM audit_logs WHERE filing_id = :id", id=filing_id),
        )

    return take


@pytest.fixture
def user_id(app):
    from app.extensions import db
    from app.models import User

    def find(email: str) -> int:
        db.session.rollback()
        return db.session.scalar(select(User.id).where(User.email == email))

    return find
