"""Any taxpayer ITR-1 accepts, however their numbers fall, gets a valid return with the engine's amounts."""
from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.itr import build_itr1, eligibility_problems, validate_itr1
from app.tax import compute
from tests.unit.itr.filings import Case, assert_shows_the_engines_amounts, filing_for

# Salaries around the thresholds that matter: the rebate limits, 12.75 lakh, the top slabs.
amounts = st.one_of(st.integers(0, 2_500_000), st.sampled_from([500_000, 575_000, 1_200_000, 1_275_000,
                                                                   1_300_000, 4_900_000]))
small = st.one_of(st.integers(0, 300_000), st.sampled_from([0, 10_000, 50_000, 150_000, 200_000]))

salaries = st.fixed_dictionaries({}, optional={
    "gross": amounts, "basic_da": amounts, "hra_received": small, "rent_paid": small,
    "metro": st.booleans(), "professional_tax": st.integers(0, 5000)})
houses = st.lists(st.one_of(
    st.fixed_dictionaries({"kind": st.just("self_occupied")}, optional={"interest_on_loan": small}),
    st.fixed_dictionaries({"kind": st.sampled_from(["let_out", "deemed_let_out"])},
                          optional={"annual_rent": small, "municipal_taxes": st.integers(0, 30_000),
                                    "interest_on_loan": small}),
), max_size=2)
cases = st.fixed_dictionaries({"age": st.integers(18, 95)}, optional={
    "salary": salaries,
    "family_pension": small,
    "house_property": houses,
    "other_sources": st.fixed_dictionaries({}, optional={
        "savings_interest": small, "deposit_interest": small, "dividends": small, "other": small}),
    "capital_gains": st.fixed_dictionaries({"ltcg_112a": st.integers(0, 125_000)}),
    "deductions": st.fixed_dictionaries({}, optional={
        key: small for key in ("80C", "80CCC", "80CCD_1", "80CCD_1B", "80CCD_2", "80D", "80E", "80TTA", "80TTB")}),
    "taxes_paid": st.fixed_dictionaries({}, optional={"advance_tax": small, "self_assessment_tax": small}),
})


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases, regime=st.sampled_from(["old", "new"]), tds=small)
def test_every_eligible_taxpayer_gets_a_valid_return_with_the_engines_amounts(
    case: dict[str, Any], regime: str, tds: int,
) -> None:
    age = case.pop("age")
    data = {"financial_year": "2025-26", "age": age, **case}
    computation = compute(copy.deepcopy(data))
    if eligibility_problems(data, computation, {}, False, regime=regime):
        return
    salary_tds = [{"tan": "PNEA12345B", "employer_name": "Employer", "gross": 0, "tds": tds}]
    paid = case.pop("taxes_paid", {})
    challans = [{"kind": kind, "bsr_code": "0510308", "date": date, "serial_no": 1, "amount": paid[key]}
                for kind, key, date in (("advance", "advance_tax", "2025-12-14"),
                                        ("self", "self_assessment_tax", "2026-06-10")) if paid.get(key)]
    filing = filing_for(Case("random", case, regime, age=age, salary_tds=salary_tds, challans=challans))
    itr = build_itr1(filing)
    assert validate_itr1(itr) == []
    assert_shows_the_engines_amounts(itr["ITR"]["ITR1"], filing["computation"][regime])
