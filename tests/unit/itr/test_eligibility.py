"""Who may not file ITR-1 for AY 2026-27, and the reason they are told."""
from __future__ import annotations

import copy
from typing import Any

from app.itr import eligibility_problems
from app.tax import compute
from tests.unit.itr.filings import PERSONAL

SALARY = {"gross": 1200000}


def reasons(case: dict[str, Any], *, regime: str = "new", foreign_assets: bool = False,
            personal: dict[str, Any] | None = None) -> list[str]:
    data = {"financial_year": "2025-26", "age": 40, **case}
    computation = compute(copy.deepcopy(data))
    return eligibility_problems(data, computation, personal or PERSONAL, foreign_assets, regime=regime)


def test_a_non_resident_is_told_itr1_is_for_residents_only() -> None:
    (reason,) = reasons({"residential_status": "non_resident", "salary": SALARY})
    assert "resident" in reason.lower()


def test_total_income_over_fifty_lakh_needs_itr2() -> None:
    (reason,) = reasons({"salary": {"gross": 5200000}})
    assert "50 lakh" in reason


def test_total_income_of_exactly_fifty_lakh_may_use_itr1() -> None:
    assert reasons({"other_sources": {"deposit_interest": 5000000}}) == []


def test_short_term_gains_under_111a_need_itr2() -> None:
    (reason,) = reasons({"salary": SALARY, "capital_gains": {"stcg_111a": 40000}})
    assert "short-term" in reason.lower()


def test_long_term_gains_over_one_and_a_quarter_lakh_need_itr2() -> None:
    (reason,) = reasons({"salary": SALARY, "capital_gains": {"ltcg_112a": 150000}})
    assert "112A" in reason and "₹1,50,000" in reason


def test_long_term_gains_of_one_and_a_quarter_lakh_may_use_itr1() -> None:
    assert reasons({"salary": SALARY, "capital_gains": {"ltcg_112a": 125000}}) == []


def test_three_house_properties_need_itr2() -> None:
    houses = [{"kind": "let_out", "annual_rent": 120000}] * 2 + [{"kind": "self_occupied"}]
    (reason,) = reasons({"salary": SALARY, "house_property": houses})
    assert "3 house properties" in reason and "at most two" in reason


def test_two_house_properties_may_use_itr1_although_the_engine_allows_one() -> None:
    houses = [{"kind": "let_out", "annual_rent": 120000}, {"kind": "self_occupied", "interest_on_loan": 50000}]
    assert reasons({"salary": SALARY, "house_property": houses}, regime="old") == []


def test_foreign_assets_need_itr2() -> None:
    (reason,) = reasons({"salary": SALARY}, foreign_assets=True)
    assert "outside India" in reason or "foreign" in reason.lower()


def test_a_house_property_loss_over_two_lakh_to_carry_forward_needs_itr2() -> None:
    houses = [{"kind": "let_out", "annual_rent": 100000, "interest_on_loan": 400000}]
    (reason,) = reasons({"salary": {"gross": 1800000}, "house_property": houses}, regime="old")
    assert "carried forward" in reason and "₹1,30,000" in reason


def test_agricultural_income_over_five_thousand_needs_itr2() -> None:
    (reason,) = reasons({"salary": SALARY}, personal={**PERSONAL, "agricultural_income": 12000})
    assert "agricultural income of ₹12,000" in reason


def test_every_reason_is_given_when_several_apply() -> None:
    found = reasons({"residential_status": "non_resident", "salary": {"gross": 6000000},
                     "capital_gains": {"stcg_111a": 10000}}, foreign_assets=True)
    assert len(found) == 4


def test_an_engine_reason_on_a_condition_not_checked_here_is_kept() -> None:
    data = {"financial_year": "2025-26", "salary": SALARY}
    computation = {**compute(copy.deepcopy(data)), "itr_form": "ITR-2",
                   "itr_form_reasons": ["You received income from a lottery."]}
    assert eligibility_problems(data, computation, PERSONAL, False) == ["You received income from a lottery."]


def test_foreign_assets_recorded_in_the_engine_input_also_need_itr2() -> None:
    (reason,) = reasons({"salary": SALARY, "foreign_assets": True})
    assert "outside India" in reason


def test_the_engines_sentence_is_used_where_it_agrees() -> None:
    data = {"financial_year": "2025-26", "residential_status": "non_resident", "salary": SALARY}
    computation = compute(copy.deepcopy(data))
    assert eligibility_problems(data, computation, PERSONAL, False) == computation["itr_form_reasons"]
