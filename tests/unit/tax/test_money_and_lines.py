"""Rupee helpers (s.288A/288B rounding, Indian grouping) and the explanation lines."""
from __future__ import annotations

import re
from typing import Any

import pytest

from app.tax import compute
from app.tax.money import inr, round_half_up, round_to_ten


@pytest.mark.parametrize(("amount", "text"), [
    (0, "₹0"), (999, "₹999"), (1_000, "₹1,000"), (99_999, "₹99,999"), (100_000, "₹1,00,000"),
    (1_234_567, "₹12,34,567"), (12_345_678, "₹1,23,45,678"), (1_000_000_000, "₹1,00,00,00,000"),
    (-2_500, "-₹2,500"),
])
def test_inr_groups_digits_the_indian_way(amount: int, text: str) -> None:
    assert inr(amount) == text


@pytest.mark.parametrize(("amount", "rounded"), [(0, 0), (4, 0), (5, 10), (14, 10), (15, 20),
                                                 (1_234_565, 1_234_570)])
def test_s288a_s288b_round_to_ten_halves_up(amount: int, rounded: int) -> None:
    assert round_to_ten(amount) == rounded


@pytest.mark.parametrize(("num", "den", "rounded"), [(5, 10, 1), (4, 10, 0), (15, 10, 2),
                                                     (1, 3, 0), (2, 3, 1), (2499, 1000, 2)])
def test_round_half_up(num: int, den: int, rounded: int) -> None:
    assert round_half_up(num, den) == rounded


FULL_CASE: dict[str, Any] = {
    "financial_year": "2024-25", "age": 66,
    "salary": {"gross": 2_000_000, "basic_da": 900_000, "hra_received": 300_000,
               "rent_paid": 400_000, "metro": True, "professional_tax": 2_500},
    "family_pension": 60_000,
    "house_property": [{"kind": "let_out", "annual_rent": 240_000, "municipal_taxes": 8_000,
                        "interest_on_loan": 500_000},
                       {"kind": "self_occupied", "interest_on_loan": 250_000}],
    "other_sources": {"savings_interest": 20_000, "deposit_interest": 80_000,
                      "dividends": 50_000},
    "capital_gains": {"stcg_111a": 100_000, "ltcg_112a": 300_000},
    "deductions": {"80C": 200_000, "80CCD_1B": 60_000, "80CCD_2": 100_000, "80D": 60_000,
                   "80TTB": 50_000, "80TTA": 10_000},
    "taxes_paid": {"tds_salary": 300_000},
}


def test_full_case_old_regime_by_hand() -> None:
    # Salary 20L - HRA 3L (least of 3L, 4L - 90,000, 4.5L) - 50,000 - 2,500 = 16,47,500.
    # House: 2,32,000 - 69,600 - 5,00,000 - 2,00,000 (cap) = -5,37,600; 2L set off.
    # Other sources 1,50,000 + pension 60,000 - 15,000 = 1,95,000; gains 4L.
    # GTI 22,42,500 - 2L = 20,42,500. VI-A 1.5L + 50,000 + 90,000 (10% of 9L) + 50,000 (senior
    # 80D) + 50,000 (80TTB) = 3,90,000; TI 16,52,500. Senior slabs on 12,52,500: 10,000 +
    # 1,00,000 + 75,750 = 1,85,750; 111A 20,000; 112A 21,875; cess 9,105 -> 2,36,730.
    old = compute(FULL_CASE)["old"]
    assert (old["gross_total_income"], old["deductions"], old["total_income"]) == \
        (2_042_500, 390_000, 1_652_500)
    assert (old["tax_on_normal_income"], old["tax_on_special_income"], old["cess"]) == \
        (185_750, 41_875, 9_105)
    assert (old["total_tax"], old["refund"]) == (236_730, 63_270)


def test_lines_have_stable_snake_case_codes_words_and_int_amounts() -> None:
    result = compute(FULL_CASE)
    for which in ("old", "new"):
        lines = result[which]["lines"]
        for line in lines:
            assert set(line) == {"code", "label", "amount"}
            assert re.fullmatch(r"[a-z0-9_]+", line["code"]), line["code"]
            assert len(line["label"]) > 5
            assert type(line["amount"]) is int
        codes = [line["code"] for line in lines]
        assert codes.index("gross_total_income") < codes.index("total_income") < \
            codes.index("total_tax")
        assert codes[-1] == "itr_form"


def test_lines_amounts_agree_with_the_result() -> None:
    result = compute(FULL_CASE)
    for which in ("old", "new"):
        regime = result[which]
        lines = {line["code"]: line["amount"] for line in regime["lines"]}
        for key in ("gross_total_income", "total_income", "cess", "total_tax"):
            assert lines[key] == regime[key]
        assert lines["tax_slab"] == regime["tax_on_normal_income"]
