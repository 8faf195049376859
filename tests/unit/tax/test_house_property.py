"""Income from house property: s.23 annual value, s.24(a) 30%, s.24(b) interest, s.71(3A)
set-off cap, s.115BAC(2) new-regime restrictions."""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute


def both(houses: list[dict[str, Any]], year: str = "2025-26", **case: Any) -> dict[str, Any]:
    return compute({"financial_year": year, "house_property": houses, **case})


def codes(regime: dict[str, Any]) -> dict[str, int]:
    return {item["code"]: item["amount"] for item in regime["lines"]}


LET_OUT = {"kind": "let_out", "annual_rent": 240_000, "municipal_taxes": 8_000,
           "interest_on_loan": 300_000}


def test_s24_let_out_house_nav_30_percent_and_interest() -> None:
    # NAV 2,40,000 - 8,000 = 2,32,000; 30% = 69,600; interest 3,00,000 -> loss 1,37,600
    old = both([LET_OUT], other_sources={"other": 1_000_000})["old"]
    lines = codes(old)
    assert lines["hp_net_annual_value"] == 232_000
    assert lines["hp_standard_deduction"] == 69_600
    assert lines["income_house_property"] == -137_600
    assert old["gross_total_income"] == 1_000_000 - 137_600


def test_s115bac_2_new_regime_let_out_loss_not_set_off_against_other_heads() -> None:
    new = both([LET_OUT], other_sources={"other": 1_000_000})["new"]
    assert new["gross_total_income"] == 1_000_000
    assert codes(new)["hp_loss_not_set_off"] == 137_600


@pytest.mark.parametrize("kind", ["let_out", "deemed_let_out"])
def test_s23_let_out_income_is_taxed_in_both_regimes(kind: str) -> None:
    # NAV 3,00,000; 30% = 90,000; no loan -> 2,10,000
    result = both([{"kind": kind, "annual_rent": 300_000}])
    assert result["old"]["gross_total_income"] == 210_000
    assert result["new"]["gross_total_income"] == 210_000


def test_s24b_self_occupied_interest_capped_at_2_lakh_old_regime() -> None:
    result = both([{"kind": "self_occupied", "interest_on_loan": 300_000}],
                  other_sources={"other": 1_000_000})
    assert result["old"]["gross_total_income"] == 800_000
    assert result["new"]["gross_total_income"] == 1_000_000
    assert codes(result["new"])["hp_interest_not_allowed"] == 300_000


def test_s24b_two_self_occupied_houses_share_one_2_lakh_limit() -> None:
    houses = [{"kind": "self_occupied", "interest_on_loan": 150_000},
              {"kind": "self_occupied", "interest_on_loan": 150_000}]
    old = both(houses, other_sources={"other": 1_000_000})["old"]
    assert old["gross_total_income"] == 800_000


def test_s71_3a_house_property_loss_set_off_capped_at_2_lakh_and_carried_forward() -> None:
    # Let-out with no rent and 5,00,000 interest: loss 5,00,000; 2,00,000 set off
    old = both([{"kind": "let_out", "interest_on_loan": 500_000}],
               other_sources={"other": 1_000_000})["old"]
    lines = codes(old)
    assert lines["hp_loss_set_off"] == 200_000
    assert lines["hp_loss_carried_forward"] == 300_000
    assert old["gross_total_income"] == 800_000


def test_hp_intra_head_set_off_self_occupied_interest_against_let_out_income_old_regime() -> None:
    # Let-out 3,00,000 -> 2,10,000; self-occupied interest 2,50,000 capped 2,00,000 -> 10,000
    houses = [{"kind": "let_out", "annual_rent": 300_000},
              {"kind": "self_occupied", "interest_on_loan": 250_000}]
    result = both(houses)
    assert result["old"]["gross_total_income"] == 10_000
    assert result["new"]["gross_total_income"] == 210_000


def test_hp_new_regime_let_out_loss_reduces_other_house_income_only() -> None:
    # House 1: 2,10,000; house 2: loss 3,00,000; head: -90,000 -> nothing in the new regime
    houses = [{"kind": "let_out", "annual_rent": 300_000},
              {"kind": "let_out", "interest_on_loan": 300_000}]
    result = both(houses, other_sources={"other": 500_000})
    assert result["new"]["gross_total_income"] == 500_000
    assert result["old"]["gross_total_income"] == 410_000


def test_s23_municipal_taxes_above_rent_give_a_negative_value_without_30_percent() -> None:
    old = both([{"kind": "let_out", "annual_rent": 10_000, "municipal_taxes": 15_000}],
               other_sources={"other": 500_000})["old"]
    lines = codes(old)
    assert lines["hp_net_annual_value"] == -5_000
    assert "hp_standard_deduction" not in lines
    assert old["gross_total_income"] == 495_000


def test_s23_4_third_self_occupied_house_is_flagged() -> None:
    houses = [{"kind": "self_occupied", "interest_on_loan": 50_000}] * 3
    old = both(houses, other_sources={"other": 1_000_000})["old"]
    assert "hp_more_than_two_self_occupied" in codes(old)
    assert old["gross_total_income"] == 850_000


def test_s71_house_loss_set_off_reaches_111a_gains_when_no_other_income() -> None:
    # s.111A 5L, self-occupied interest 2L: GTI 3L; unused 2.5L exemption leaves 50,000 at 20%
    # = 10,000, rebated u/s 87A (old regime, TI <= 5L)
    old = both([{"kind": "self_occupied", "interest_on_loan": 200_000}],
               capital_gains={"stcg_111a": 500_000})["old"]
    assert old["gross_total_income"] == 300_000
    assert old["tax_on_special_income"] == 10_000
    assert old["total_tax"] == 0


def test_s71_house_loss_set_off_limited_to_the_income_there_is() -> None:
    old = both([{"kind": "let_out", "interest_on_loan": 150_000}],
               other_sources={"other": 100_000})["old"]
    lines = codes(old)
    assert lines["hp_loss_set_off"] == 100_000
    assert lines["hp_loss_carried_forward"] == 50_000
    assert old["gross_total_income"] == 0
