"""Rounding: total income to ₹10 (s.288A), tax to ₹10 (s.288B), amounts as whole rupees."""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute


def old(amount: float, year: str = "2025-26", **case: Any) -> dict[str, Any]:
    return compute({"financial_year": year, "other_sources": {"other": amount}, **case})["old"]


@pytest.mark.parametrize(("income", "rounded"), [
    (950_004, 950_000),  # below 5: down
    (950_005, 950_010),  # 5 and above: up
    (950_009, 950_010),
    (950_010, 950_010),
])
def test_s288a_total_income_rounded_to_nearest_ten(income: int, rounded: int) -> None:
    result = old(income)
    assert result["gross_total_income"] == income
    assert result["total_income"] == rounded


@pytest.mark.parametrize(("income", "slab", "cess", "total"), [
    # 5,00,020: 12,500 + 20% of 20 = 12,504; cess 500.16 -> 500; 13,004 -> 13,000
    (500_020, 12_504, 500, 13_000),
    # 5,00,070: 12,514; cess 500.56 -> 501; 13,015 -> 13,020 (5 goes up)
    (500_070, 12_514, 501, 13_020),
])
def test_s288b_tax_rounded_to_nearest_ten(income: int, slab: int, cess: int, total: int) -> None:
    result = old(income)
    assert (result["tax_on_normal_income"], result["cess"], result["total_tax"]) == \
        (slab, cess, total)


def test_fractional_rupees_in_the_input_round_half_up_to_whole_rupees() -> None:
    result = compute({"financial_year": "2025-26", "salary": {"gross": 1_000_000.5},
                      "other_sources": {"other": 99.49}})
    assert result["old"]["gross_total_income"] == 950_001 + 99


def test_every_output_amount_is_an_int() -> None:
    result = compute({"financial_year": "2024-25", "salary": {"gross": 1_234_567.89,
                                                              "basic_da": 500_000.5},
                      "capital_gains": {"ltcg_112a": 333_333.3, "stcg_111a": 77_777.7},
                      "other_sources": {"dividends": 12_345.6}})
    for which in ("old", "new"):
        for key, value in result[which].items():
            if key == "lines":
                assert all(type(line["amount"]) is int for line in value)
            else:
                assert type(value) is int, key
    assert type(result["saving"]) is int


def test_s288a_rounding_is_absorbed_by_slab_income_so_a_larger_special_rate_gain_can_show_ten_less() -> None:
    # Total income 14,85,496 and 14,85,504 both round to 14,85,500; the s.112A gain is taxed on its
    # exact amount, so slab income is 8 rupees smaller in the second case: ₹2.50 less tax at 30%,
    # and s.288B rounding turns that into ₹10.
    before = old(1_411_621, year="2024-25", capital_gains={"ltcg_112a": 73_875})
    after = old(1_411_621, year="2024-25", capital_gains={"ltcg_112a": 73_883})
    assert before["total_income"] == after["total_income"] == 1_485_500
    assert (before["total_tax"], after["total_tax"]) == (245_430, 245_420)
