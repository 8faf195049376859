"""Slab rates of both regimes and both years (First Schedule; s.115BAC(1A)), at every edge.

Income is "other" income from other sources, so no standard deduction interferes: total income
equals the amount. Expected totals include 4% cess and s.288B rounding.
"""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute


def regime(year: str, income: int, which: str, **extra: Any) -> dict[str, Any]:
    case = {"financial_year": year, "other_sources": {"other": income}, **extra}
    return compute(case)[which]


OLD_BELOW_60 = [
    # (income, slab tax, total tax)
    (250_000, 0, 0),
    (300_000, 2_500, 0),  # 5% of 50,000; rebate 87A (<= 5L)
    (500_000, 12_500, 0),  # 5% of 2.5L = 12,500, all rebated
    (500_010, 12_502, 13_000),  # 12,500 + 20% of 10; cess 500 -> 13,002 -> 13,000
    (750_000, 62_500, 65_000),  # 12,500 + 50,000; cess 2,500
    (1_000_000, 112_500, 117_000),  # 12,500 + 1,00,000; cess 4,500
    (1_000_010, 112_503, 117_000),  # + 30% of 10 = 3; cess 4,500 -> 1,17,003 -> 1,17,000
    (1_500_000, 262_500, 273_000),  # 1,12,500 + 1,50,000; cess 10,500
    (5_000_000, 1_312_500, 1_365_000),  # 1,12,500 + 12,00,000; cess 52,500
]


@pytest.mark.parametrize(("income", "slab", "total"), OLD_BELOW_60)
@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_old_regime_slabs_below_60_first_schedule(year: str, income: int, slab: int,
                                                  total: int) -> None:
    old = regime(year, income, "old", age=45)
    assert old["tax_on_normal_income"] == slab
    assert old["total_tax"] == total


@pytest.mark.parametrize(("age", "income", "slab", "total"), [
    (60, 300_000, 0, 0),  # senior exemption 3L
    (60, 500_000, 10_000, 0),  # 5% of 2L, rebated u/s 87A
    (65, 700_000, 50_000, 52_000),  # 10,000 + 20% of 2L; cess 2,000
    (79, 1_000_000, 110_000, 114_400),  # 10,000 + 1,00,000; cess 4,400
    (80, 500_000, 0, 0),  # super-senior exemption 5L
    (85, 700_000, 40_000, 41_600),  # 20% of 2L; cess 1,600
    (80, 1_000_000, 100_000, 104_000),  # 20% of 5L; cess 4,000
    (90, 1_200_000, 160_000, 166_400),  # 1,00,000 + 30% of 2L; cess 6,400
    (59, 700_000, 52_500, 54_600),  # still below 60: 12,500 + 40,000; cess 2,100
])
def test_old_regime_senior_and_super_senior_exemption_limits(age: int, income: int, slab: int,
                                                             total: int) -> None:
    old = regime("2025-26", income, "old", age=age)
    assert old["tax_on_normal_income"] == slab
    assert old["total_tax"] == total


@pytest.mark.parametrize("age", [60, 80])
def test_old_regime_non_resident_senior_gets_only_the_basic_2_5_lakh_limit(age: int) -> None:
    old = regime("2024-25", 700_000, "old", age=age, residential_status="non_resident")
    # 5% of 2.5L + 20% of 2L = 52,500; no rebate for a non-resident; cess 2,100
    assert old["tax_on_normal_income"] == 52_500
    assert old["total_tax"] == 54_600


NEW_2425 = [
    (300_000, 0, 0),
    (700_000, 20_000, 0),  # 5% of 4L, rebated (<= 7L)
    (1_000_000, 50_000, 52_000),  # 20,000 + 10% of 3L; cess 2,000
    (1_200_000, 80_000, 83_200),  # + 15% of 2L
    (1_500_000, 140_000, 145_600),  # + 20% of 3L
    (2_000_000, 290_000, 301_600),  # + 30% of 5L
]


@pytest.mark.parametrize(("income", "slab", "total"), NEW_2425)
def test_s115bac_new_regime_slabs_fy2425(income: int, slab: int, total: int) -> None:
    new = regime("2024-25", income, "new")
    assert new["tax_on_normal_income"] == slab
    assert new["total_tax"] == total


NEW_2526 = [
    (400_000, 0, 0),
    (800_000, 20_000, 0),  # 5% of 4L, rebated
    (1_200_000, 60_000, 0),  # + 10% of 4L = 60,000, rebated in full
    (1_600_000, 120_000, 124_800),  # + 15% of 4L; cess 4,800
    (2_000_000, 200_000, 208_000),  # + 20% of 4L
    (2_400_000, 300_000, 312_000),  # + 25% of 4L
    (3_000_000, 480_000, 499_200),  # + 30% of 6L
]


@pytest.mark.parametrize(("income", "slab", "total"), NEW_2526)
def test_s115bac_new_regime_slabs_fy2526(income: int, slab: int, total: int) -> None:
    new = regime("2025-26", income, "new")
    assert new["tax_on_normal_income"] == slab
    assert new["total_tax"] == total


@pytest.mark.parametrize("age", [35, 65, 85])
def test_s115bac_new_regime_has_no_higher_limit_for_seniors(age: int) -> None:
    # 10,00,000 in FY 2024-25: 20,000 + 30,000 whatever the age
    assert regime("2024-25", 1_000_000, "new", age=age)["tax_on_normal_income"] == 50_000


# Budget speech 2025, Annexure to Part B: tax on slabs at the FY 2024-25 ("current") and
# FY 2025-26 ("proposed") new-regime rates, before rebate and cess.
BUDGET_2025_ANNEXURE = [
    (800_000, 30_000, 20_000),
    (900_000, 40_000, 30_000),
    (1_000_000, 50_000, 40_000),
    (1_100_000, 65_000, 50_000),
    (1_200_000, 80_000, 60_000),
    (1_600_000, 170_000, 120_000),
    (2_000_000, 290_000, 200_000),
    (2_400_000, 410_000, 300_000),
    (5_000_000, 1_190_000, 1_080_000),
]


@pytest.mark.parametrize(("income", "current", "proposed"), BUDGET_2025_ANNEXURE)
def test_budget_2025_speech_annexure_tax_on_slabs(income: int, current: int,
                                                  proposed: int) -> None:
    assert regime("2024-25", income, "new")["tax_on_normal_income"] == current
    assert regime("2025-26", income, "new")["tax_on_normal_income"] == proposed


def test_budget_2025_speech_income_of_12_lakh_pays_no_tax_in_the_new_regime() -> None:
    # Rebate 87A of 60,000 wipes out the whole slab tax of 60,000.
    new = regime("2025-26", 1_200_000, "new")
    assert new["rebate_87a"] == 60_000
    assert new["total_tax"] == 0


def test_budget_2025_salaried_12_75_lakh_pays_no_tax_thanks_to_75000_standard_deduction() -> None:
    new = compute({"financial_year": "2025-26", "salary": {"gross": 1_275_000}})["new"]
    assert new["total_income"] == 1_200_000
    assert new["total_tax"] == 0


@pytest.mark.parametrize(("year", "income", "total"), [
    ("2024-25", 700_000, 20_800),  # 20,000 + cess, no rebate for a non-resident
    ("2025-26", 1_200_000, 62_400),  # 60,000 + cess
])
def test_s87a_new_regime_not_for_non_residents(year: str, income: int, total: int) -> None:
    new = regime(year, income, "new", residential_status="non_resident")
    assert new["rebate_87a"] == 0
    assert new["total_tax"] == total
