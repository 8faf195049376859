"""Which return form: ITR-1 (Sahaj) where its conditions hold (rule 12(1)(a)), else ITR-2."""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute

SALARIED: dict[str, Any] = {"financial_year": "2025-26", "salary": {"gross": 1_200_000}}


def test_itr1_for_a_resident_salaried_taxpayer() -> None:
    result = compute(SALARIED)
    assert result["itr_form"] == "ITR-1"
    assert result["itr_form_reasons"] == []
    for which in ("old", "new"):
        line = next(line for line in result[which]["lines"] if line["code"] == "itr_form")
        assert "ITR-1" in line["label"]


@pytest.mark.parametrize(("extra", "reason"), [
    ({"residential_status": "non_resident"}, "non-resident"),
    ({"salary": {"gross": 5_200_000}}, "above ₹50 lakh"),
    ({"house_property": [{"kind": "self_occupied"}, {"kind": "let_out", "annual_rent": 1}]},
     "2 house properties"),
    ({"capital_gains": {"stcg_111a": 1}}, "short-term capital gains"),
    ({"capital_gains": {"stcg_other": 1}}, "short-term capital gains"),
    ({"capital_gains": {"ltcg_112a": 125_001}}, "above ₹1,25,000"),
    ({"foreign_assets": True}, "outside India"),
])
def test_itr2_when_an_itr1_condition_fails_and_the_reason_is_given(extra: dict[str, Any],
                                                                     reason: str) -> None:
    result = compute({**SALARIED, **extra})
    assert result["itr_form"] == "ITR-2"
    assert any(reason in text for text in result["itr_form_reasons"])
    line = next(line for line in result["new"]["lines"] if line["code"] == "itr_form")
    assert reason in line["label"]


def test_itr1_allows_112a_gains_up_to_125000_and_one_house() -> None:
    result = compute({**SALARIED, "capital_gains": {"ltcg_112a": 125_000},
                      "house_property": [{"kind": "self_occupied", "interest_on_loan": 100_000}],
                      "foreign_assets": False})
    assert result["itr_form"] == "ITR-1"


def test_itr1_total_income_limit_is_inclusive_of_50_lakh() -> None:
    # new regime (cheaper): 50,75,000 - 75,000 = 50,00,000 exactly
    result = compute({"financial_year": "2025-26", "salary": {"gross": 5_075_000}})
    assert result["new"]["total_income"] == 5_000_000
    assert result["recommended_regime"] == "new"
    assert result["itr_form"] == "ITR-1"


def test_itr2_when_the_recommended_old_regime_carries_a_house_loss_forward() -> None:
    # Old: 20L - HRA 5L - 50,000 - HP 2L - 80C/1B/80D 2.25L = 10,25,000: tax 1,20,000 + cess
    # = 1,24,800. New FY 2024-25: 19,25,000: 2,67,500 + cess = 2,78,200. Old wins and carries
    # 3L of the 5L loss forward (s.71B), which ITR-1 cannot do.
    result = compute({"financial_year": "2024-25",
                      "salary": {"gross": 2_000_000, "basic_da": 1_000_000,
                                 "hra_received": 500_000, "rent_paid": 600_000, "metro": True},
                      "house_property": [{"kind": "let_out", "interest_on_loan": 500_000}],
                      "deductions": {"80C": 150_000, "80CCD_1B": 50_000, "80D": 25_000}})
    assert result["old"]["total_tax"] == 124_800
    assert result["new"]["total_tax"] == 278_200
    assert result["recommended_regime"] == "old"
    assert result["saving"] == 153_400
    assert result["itr_form"] == "ITR-2"
    assert result["itr_form_reasons"] == ["You have a house-property loss to carry forward."]


def test_recommended_regime_tie_goes_to_the_new_default_regime() -> None:
    result = compute({"financial_year": "2025-26", "other_sources": {"other": 200_000}})
    assert result["old"]["total_tax"] == result["new"]["total_tax"] == 0
    assert result["recommended_regime"] == "new"
    assert result["saving"] == 0


def test_recommended_regime_is_the_cheaper_one_and_saving_the_difference() -> None:
    result = compute({"financial_year": "2024-25", "age": 72,
                      "other_sources": {"deposit_interest": 640_000},
                      "deductions": {"80TTB": 50_000}})
    # contract example senior-deposits: old 29,120, new 0
    assert result["recommended_regime"] == "new"
    assert result["saving"] == 29_120


@pytest.mark.parametrize(("paid", "refund", "payable"), [
    (0, 0, 89_700),
    (89_700, 0, 0),
    (90_000, 300, 0),  # the contract's sample: refund 300
    (50_000, 0, 39_700),
])
def test_taxes_paid_refund_and_balance_payable(paid: int, refund: int, payable: int) -> None:
    result = compute({"financial_year": "2025-26",
                      "salary": {"gross": 1_450_000, "basic_da": 600_000},
                      "taxes_paid": {"tds_salary": paid}})
    new = result["new"]
    assert new["total_tax"] == 89_700
    assert (new["taxes_paid"], new["refund"], new["balance_payable"]) == (paid, refund, payable)


def test_taxes_paid_adds_every_kind_of_payment() -> None:
    result = compute({"financial_year": "2025-26", "taxes_paid": {
        "tds_salary": 1, "tds_other": 20, "advance_tax": 300, "self_assessment_tax": 4_000}})
    assert result["old"]["taxes_paid"] == 4_321
    assert result["old"]["refund"] == 4_321
