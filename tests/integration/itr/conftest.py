"""Fixtures for the ITR-1 export tests: returns made ready through the API, with the TDS documents
the taxpayer applied, computed by the real engine (directly, or by the compute job)."""
from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from jsonschema import Draft4Validator

from app.itr.validation import SCHEMA_PATH
from tests.unit.itr.filings import PERSONAL, Case, dob_for, engine_input

ACCOUNT = {"ifsc": "HDFC0000123", "account_number": "50100123456789", "bank_name": "HDFC Bank", "refund": True}


@pytest.fixture(scope="session")
def official_schema() -> Draft4Validator:
    return Draft4Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def body_for(case: Case) -> dict[str, Any]:
    """The PATCH body that enters this taxpayer's return."""
    data = engine_input(case)
    for derived in ("financial_year", "age", "foreign_assets"):
        data.pop(derived, None)
    personal = {**copy.deepcopy(PERSONAL), "dob": dob_for(case.age), **case.personal}
    return {"input": data, "personal": personal, "regime": case.regime}


@pytest.fixture
def add_tds_documents(app):
    """add_tds_documents(filing_id, case): the Form 16s and 16As of the case, applied to the return."""
    from app.extensions import db
    from app.models import Document, Filing

    def add(filing_id: int, case: Case) -> None:
        db.session.rollback()
        filing = db.session.get(Filing, filing_id)
        rows = [("form16", {"employer_tan": r["tan"], "employer_name": r["employer_name"],
                            "gross_salary": r["gross"], "tds": r["tds"]}) for r in case.salary_tds]
        rows += [("form16a", {"deductor_tan": r["tan"], "deductor_name": r["deductor_name"],
                              "amount_paid": r["amount"], "tds": r["tds"], "section": r["section"]})
                 for r in case.other_tds]
        for i, (kind, fields) in enumerate(rows):
            db.session.add(Document(
                user_id=filing.user_id, filing_id=filing.id, status="applied", document_type=kind, fields=fields,
                sha256=hashlib.sha256(f"{filing_id}-{i}".encode()).hexdigest(), original_name=f"{kind}.pdf",
                content_type="application/pdf", size=1000))
        db.session.commit()

    return add


@pytest.fixture
def compute_now(app):
    """compute_now(filing_id): store the engine's result the way the compute job does."""
    from app.extensions import db
    from app.filings import service
    from app.models import Filing
    from app.tax import compute

    def run(filing_id: int) -> None:
        db.session.rollback()
        filing = db.session.get(Filing, filing_id)
        filing.computation = compute(service.assemble_input(db.session, filing))
        filing.computed_at, filing.computation_stale = datetime.now(UTC), False
        if filing.status == "draft":
            filing.status = "computed"
        db.session.commit()

    return run


@pytest.fixture
def entered(add_tds_documents):
    """entered(api, case) -> id of a return with the case's details, refund account, challans and TDS
    documents."""
    def make(api, case: Case) -> int:
        r = api.post("/api/v1/filings", json={"assessment_year": "2026-27"})
        assert r.status_code == 201, r.get_json()
        filing_id = r.get_json()["id"]
        r = api.patch(f"/api/v1/filings/{filing_id}", json=body_for(case))
        assert r.status_code == 200, r.get_json()
        r = api.post(f"/api/v1/filings/{filing_id}/bank-accounts", json=ACCOUNT)
        assert r.status_code == 201, r.get_json()
        for challan in case.challans:
            kind = "advance_tax" if challan["kind"] == "advance" else "self_assessment_tax"
            r = api.post(f"/api/v1/filings/{filing_id}/challans", json={
                "kind": kind, "bsr_code": challan["bsr_code"], "paid_on": challan["date"],
                "serial_no": challan["serial_no"], "amount": challan["amount"]})
            assert r.status_code == 201, r.get_json()
        add_tds_documents(filing_id, case)
        return filing_id

    return make


@pytest.fixture
def ready_filing(entered, compute_now):
    """ready_filing(api, case) -> id of the case's return, computed and marked ready."""
    def make(api, case: Case) -> int:
        filing_id = entered(api, case)
        compute_now(filing_id)
        r = api.post(f"/api/v1/filings/{filing_id}/ready")
        assert r.status_code == 200, r.get_json()
        return filing_id

    return make


@pytest.fixture
def stored(app):
    """stored(filing_id) -> the Filing row as committed."""
    from app.extensions import db
    from app.models import Filing

    def load(filing_id: int):
        db.session.rollback()
        return db.session.get(Filing, filing_id)

    return load


@pytest.fixture
def sql_exec(app):
    """sql_exec(statement, **params) -> rows, on its own committed connection."""
    from sqlalchemy import text

    from app.extensions import db

    def run(statement: str, **params):
        with db.engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return result.fetchall() if result.returns_rows else None

    return run
