"""Chapter VI-A: each section's cap, what the new regime refuses (s.115BAC(2)), the s.80A
limit to income other than special-rate gains.

Base case: FY 2025-26, salary 10L (old GTI 9,50,000 after the standard deduction)."""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute


def run(deductions: dict[str, int], salary: dict[str, Any] | None = None,
        **case: Any) -> dict[str, Any]:
    return compute({"financial_year": "2025-26", "salary": salary or {"gross": 1_000_000},
                    "deductions": deductions, **case})


def amounts(regime: dict[str, Any]) -> dict[str, int]:
    return {item["code"]: item["amount"] for item in regime["lines"]}


@pytest.mark.parametrize(("claims", "allowed"), [
    ({"80C": 120_000}, 120_000),
    ({"80C": 200_000}, 150_000),  # s.80C cap
    ({"80C": 100_000, "80CCC": 100_000}, 150_000),  # s.80CCE: together 1.5L
    ({"80CCD_1B": 60_000}, 50_000),  # s.80CCD(1B) cap
    ({"80C": 150_000, "80CCD_1B": 50_000}, 200_000),  # 1B is over and above 80CCE
    ({"80D": 40_000}, 25_000),  # s.80D below 60
    ({"80E": 300_000}, 300_000),  # s.80E has no cap
])
def test_chapter_via_caps_old_regime(claims: dict[str, int], allowed: int) -> None:
    old = run(claims)["old"]
    assert old["deductions"] == allowed
    assert old["total_income"] == 950_000 - allowed


def test_s80ccd_1_limited_to_10_percent_of_salary_and_the_80cce_total() -> None:
    # basic + DA 3L: 80CCD(1) at most 30,000
    old = run({"80CCD_1": 50_000}, {"gross": 1_000_000, "basic_da": 300_000})["old"]
    assert amounts(old)["deduction_80ccd_1"] == 30_000
    # with 80C already at 1.5L nothing is left under s.80CCE
    old = run({"80C": 150_000, "80CCD_1": 50_000}, {"gross": 1_000_000, "basic_da": 300_000})["old"]
    assert old["deductions"] == 150_000


@pytest.mark.parametrize(("claim", "old_allowed", "new_allowed"), [
    (40_000, 40_000, 40_000),
    (60_000, 50_000, 60_000),  # old: 10% of 5L = 50,000; new: 14% = 70,000
    (80_000, 50_000, 70_000),
])
@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_s80ccd_2_employer_nps_10_percent_old_14_percent_new(year: str, claim: int,
                                                             old_allowed: int,
                                                             new_allowed: int) -> None:
    result = compute({"financial_year": year,
                      "salary": {"gross": 1_500_000, "basic_da": 500_000},
                      "deductions": {"80CCD_2": claim}})
    assert result["old"]["deductions"] == old_allowed
    assert result["new"]["deductions"] == new_allowed


def test_s80ccd_2_nothing_without_basic_da() -> None:
    result = run({"80CCD_2": 50_000})
    assert result["old"]["deductions"] == 0
    assert result["new"]["deductions"] == 0


@pytest.mark.parametrize(("age", "status", "cap"), [
    (59, "resident", 25_000),
    (60, "resident", 50_000),  # senior citizen
    (82, "resident", 50_000),
    (65, "non_resident", 25_000),  # s.80D "senior citizen" is a resident
])
def test_s80d_cap_by_age(age: int, status: str, cap: int) -> None:
    old = run({"80D": 70_000}, age=age, residential_status=status)["old"]
    assert old["deductions"] == cap


@pytest.mark.parametrize(("savings", "claim", "allowed"), [
    (15_000, 12_000, 10_000),  # cap 10,000
    (6_000, 10_000, 6_000),  # limited to the interest
])
def test_s80tta_savings_interest_up_to_10000(savings: int, claim: int, allowed: int) -> None:
    old = run({"80TTA": claim}, other_sources={"savings_interest": savings})["old"]
    assert old["deductions"] == allowed


def test_s80tta_2_not_for_resident_seniors() -> None:
    old = run({"80TTA": 10_000}, age=62, other_sources={"savings_interest": 15_000})["old"]
    assert old["deductions"] == 0
    assert amounts(old)["deduction_80tta_not_allowed"] == 10_000


def test_s80tta_allowed_to_a_non_resident_senior() -> None:
    old = run({"80TTA": 10_000}, age=70, residential_status="non_resident",
              other_sources={"savings_interest": 15_000})["old"]
    assert old["deductions"] == 10_000


@pytest.mark.parametrize(("interest", "claim", "allowed"), [
    ({"savings_interest": 20_000, "deposit_interest": 60_000}, 60_000, 50_000),  # cap
    ({"deposit_interest": 30_000}, 50_000, 30_000),  # limited to the interest
])
def test_s80ttb_resident_senior_interest_up_to_50000(interest: dict[str, int], claim: int,
                                                     allowed: int) -> None:
    old = run({"80TTB": claim}, age=66, other_sources=interest)["old"]
    assert old["deductions"] == allowed


@pytest.mark.parametrize(("age", "status"), [(45, "resident"), (70, "non_resident")])
def test_s80ttb_refused_unless_resident_senior(age: int, status: str) -> None:
    old = run({"80TTB": 50_000}, age=age, residential_status=status,
              other_sources={"deposit_interest": 100_000})["old"]
    assert old["deductions"] == 0
    assert amounts(old)["deduction_80ttb_not_allowed"] == 50_000


@pytest.mark.parametrize("section", ["80C", "80CCC", "80CCD_1", "80CCD_1B", "80D", "80E",
                                     "80TTA", "80TTB"])
def test_s115bac_2_new_regime_refuses_every_deduction_but_80ccd_2(section: str) -> None:
    new = run({section: 10_000}, {"gross": 1_000_000, "basic_da": 500_000},
              other_sources={"savings_interest": 20_000})["new"]
    assert new["deductions"] == 0
    assert amounts(new)["deduction_" + section.lower() + "_not_allowed"] == 10_000


def test_s80a_deductions_limited_to_income_other_than_111a_112a_gains() -> None:
    # GTI: other 1L + s.111A 5L + s.112A 2L; 80C 1.5L can only use the 1L of other income
    result = compute({"financial_year": "2025-26", "other_sources": {"other": 100_000},
                      "capital_gains": {"stcg_111a": 500_000, "ltcg_112a": 200_000},
                      "deductions": {"80C": 150_000, "80D": 25_000}})
    old = result["old"]
    assert old["gross_total_income"] == 800_000
    assert old["deductions"] == 100_000
    assert old["total_income"] == 700_000
    assert amounts(old)["deductions_limited"] == 100_000


def test_chapter_via_never_makes_total_income_negative() -> None:
    old = run({"80C": 150_000, "80E": 500_000}, {"gross": 300_000})["old"]
    assert old["gross_total_income"] == 250_000
    assert old["deductions"] == 250_000
    assert old["total_income"] == 0
    assert old["total_tax"] == 0
