"""Salaries (s.10(13A) HRA, s.16(ia) standard deduction, s.16(iii) professional tax) and other
sources (s.56, family pension s.57(iia))."""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute


def both(year: str = "2025-26", **case: Any) -> dict[str, Any]:
    return compute({"financial_year": year, **case})


def line(regime: dict[str, Any], code: str) -> dict[str, Any]:
    return next(item for item in regime["lines"] if item["code"] == code)


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_s16ia_standard_deduction_50000_old_and_75000_new(year: str) -> None:
    result = both(year, salary={"gross": 1_000_000})
    assert result["old"]["gross_total_income"] == 950_000
    assert result["new"]["gross_total_income"] == 925_000
    assert line(result["old"], "std_deduction")["amount"] == 50_000
    assert line(result["new"], "std_deduction")["amount"] == 75_000


def test_s16ia_standard_deduction_limited_to_the_salary() -> None:
    result = both(salary={"gross": 30_000}, other_sources={"other": 100_000})
    assert line(result["old"], "std_deduction")["amount"] == 30_000
    assert line(result["new"], "std_deduction")["amount"] == 30_000
    # the unused part does not spill over to other income
    assert result["old"]["gross_total_income"] == 100_000
    assert result["new"]["gross_total_income"] == 100_000


@pytest.mark.parametrize(("salary", "exempt"), [
    # metro: least of 3L received, 3.6L - 10% of 6L = 3L, 50% of 6L = 3L
    ({"basic_da": 600_000, "hra_received": 300_000, "rent_paid": 360_000, "metro": True}, 300_000),
    # non-metro: 40% of 6L = 2.4L is the least
    ({"basic_da": 600_000, "hra_received": 300_000, "rent_paid": 360_000}, 240_000),
    # low rent: 1L - 60,000 = 40,000
    ({"basic_da": 600_000, "hra_received": 300_000, "rent_paid": 100_000}, 40_000),
    # rent below 10% of basic + DA: nothing
    ({"basic_da": 600_000, "hra_received": 300_000, "rent_paid": 50_000}, 0),
    # no rent: nothing
    ({"basic_da": 600_000, "hra_received": 300_000}, 0),
    # HRA received is the least
    ({"basic_da": 600_000, "hra_received": 100_000, "rent_paid": 360_000, "metro": True}, 100_000),
    # 60,000 - 12,345.50 = 47,654.50 -> 47,655 (less than 40% = 49,382 and 50,000 received)
    ({"basic_da": 123_455, "hra_received": 50_000, "rent_paid": 60_000}, 47_655),
])
def test_s10_13a_hra_least_of_three_old_regime(salary: dict[str, Any], exempt: int) -> None:
    old = both(salary={"gross": 1_000_000, **salary})["old"]
    assert old["gross_total_income"] == 1_000_000 - exempt - 50_000


def test_s10_13a_hra_not_exempt_in_the_new_regime_and_says_so() -> None:
    new = both(salary={"gross": 1_000_000, "basic_da": 600_000, "hra_received": 300_000,
                       "rent_paid": 360_000, "metro": True})["new"]
    assert new["gross_total_income"] == 925_000
    assert line(new, "hra_not_allowed")["amount"] == 300_000


@pytest.mark.parametrize(("paid", "allowed"), [(2_400, 2_400), (2_500, 2_500), (3_000, 2_500)])
def test_s16iii_professional_tax_old_regime_at_most_2500(paid: int, allowed: int) -> None:
    result = both(salary={"gross": 1_000_000, "professional_tax": paid})
    assert result["old"]["gross_total_income"] == 950_000 - allowed
    assert line(result["old"], "professional_tax")["amount"] == allowed
    # s.115BAC(2): not in the new regime
    assert result["new"]["gross_total_income"] == 925_000
    assert line(result["new"], "professional_tax_not_allowed")["amount"] == paid


@pytest.mark.parametrize(("pension", "old_deduction", "new_deduction"), [
    (30_000, 10_000, 10_000),  # one-third
    (40_001, 13_334, 13_334),  # 13,333.67 rounded
    (60_000, 15_000, 20_000),  # old capped at 15,000
    (90_000, 15_000, 25_000),  # new capped at 25,000 (Finance (No. 2) Act 2024)
])
@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_s57_iia_family_pension_deduction(year: str, pension: int, old_deduction: int,
                                          new_deduction: int) -> None:
    result = both(year, family_pension=pension)
    assert result["old"]["gross_total_income"] == pension - old_deduction
    assert result["new"]["gross_total_income"] == pension - new_deduction
    assert line(result["new"], "family_pension_deduction")["amount"] == new_deduction


def test_s56_other_sources_add_up_every_kind_of_income() -> None:
    result = both(other_sources={"savings_interest": 12_000, "deposit_interest": 50_000,
                                 "dividends": 30_000, "other": 8_000}, family_pension=30_000)
    # 1,00,000 + family pension 30,000 - 10,000
    assert line(result["old"], "income_other_sources")["amount"] == 120_000
    assert result["old"]["gross_total_income"] == 120_000


def test_salary_deductions_need_a_gross_salary() -> None:
    old = both(salary={"basic_da": 600_000, "hra_received": 300_000, "rent_paid": 360_000,
                       "professional_tax": 2_500}, other_sources={"other": 500_000})["old"]
    assert old["gross_total_income"] == 500_000
    assert line(old, "salary_missing")["amount"] == 0


def test_salary_lines_explain_each_step_in_order() -> None:
    old = both(salary={"gross": 1_450_000, "basic_da": 600_000, "hra_received": 240_000,
                       "rent_paid": 264_000, "professional_tax": 2_400})["old"]
    codes = [item["code"] for item in old["lines"]]
    assert codes[:5] == ["salary_gross", "hra_exemption", "std_deduction", "professional_tax",
                         "income_salary"]
    assert line(old, "income_salary")["amount"] == 1_450_000 - 204_000 - 50_000 - 2_400
