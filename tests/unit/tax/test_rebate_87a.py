"""Section 87A: the rebate, its cliffs, the new regime's marginal relief, special-rate income."""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute


def regime(year: str, which: str, other: int = 0, **extra: Any) -> dict[str, Any]:
    case = {"financial_year": year, "other_sources": {"other": other}, **extra}
    return compute(case)[which]


@pytest.mark.parametrize(("income", "rebate", "relief", "total"), [
    (700_000, 20_000, 0, 0),
    # 7,00,010: tax 20,001 (20,000 + 10% of 10); relief 20,001 - 10 = 19,991; tax 10, cess 0
    (700_010, 0, 19_991, 10),
    # 7,10,000: tax 21,000; excess 10,000; relief 11,000; tax 10,000 + cess 400
    (710_000, 0, 11_000, 10_400),
    # 7,22,220: tax 22,222 > excess 22,220; relief 2; 22,220 + cess 889 = 23,109 -> 23,110
    (722_220, 0, 2, 23_110),
    # 7,30,000: tax 23,000 < excess 30,000: no relief; 23,000 + 920
    (730_000, 0, 0, 23_920),
])
def test_s87a_new_regime_fy2425_rebate_and_marginal_relief_above_7_lakh(
        income: int, rebate: int, relief: int, total: int) -> None:
    new = regime("2024-25", "new", income)
    assert (new["rebate_87a"], new["marginal_relief_87a"], new["total_tax"]) == \
        (rebate, relief, total)


@pytest.mark.parametrize(("income", "rebate", "relief", "total"), [
    (1_200_000, 60_000, 0, 0),
    # 12,00,010: tax 60,001.50 -> 60,002; relief 60,002 - 10 = 59,992; tax 10
    (1_200_010, 0, 59_992, 10),
    # 12,10,000: tax 61,500; relief 51,500; tax 10,000 + cess 400
    (1_210_000, 0, 51_500, 10_400),
    # 12,50,000: tax 67,500; relief 17,500; tax 50,000 + cess 2,000
    (1_250_000, 0, 17_500, 52_000),
    # 12,70,000: tax 70,500; relief 500; tax 70,000 + cess 2,800
    (1_270_000, 0, 500, 72_800),
    # 12,70,590: tax 70,588.50 -> 70,589 < excess 70,590: no relief; cess 2,824 -> 73,410
    (1_270_590, 0, 0, 73_410),
    # 12,75,000: tax 71,250; no relief; cess 2,850
    (1_275_000, 0, 0, 74_100),
])
def test_s87a_new_regime_fy2526_rebate_and_marginal_relief_above_12_lakh(
        income: int, rebate: int, relief: int, total: int) -> None:
    new = regime("2025-26", "new", income)
    assert (new["rebate_87a"], new["marginal_relief_87a"], new["total_tax"]) == \
        (rebate, relief, total)


def test_s87a_new_regime_fy2526_marginal_relief_at_1210000_shown_in_lines() -> None:
    new = regime("2025-26", "new", 1_210_000)
    line = next(line for line in new["lines"] if line["code"] == "marginal_relief_87a")
    assert line["amount"] == 51_500
    assert "12,00,000" in line["label"]


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_s87a_old_regime_cliff_at_5_lakh_has_no_marginal_relief(year: str) -> None:
    at = regime(year, "old", 500_000)
    above = regime(year, "old", 500_010)
    assert (at["rebate_87a"], at["total_tax"]) == (12_500, 0)
    # 12,502 + cess 500 = 13,002 -> 13,000
    assert (above["rebate_87a"], above["marginal_relief_87a"], above["total_tax"]) == \
        (0, 0, 13_000)


def test_s87a_old_regime_not_for_non_residents() -> None:
    old = regime("2025-26", "old", 500_000, residential_status="non_resident")
    assert old["rebate_87a"] == 0
    assert old["total_tax"] == 13_000  # 12,500 + 500


def test_s87a_second_proviso_fy2526_rebate_only_against_slab_tax_with_111a_at_12_lakh() -> None:
    # Slab 10L: 40,000; s.111A 2L at 20%: 40,000; rebate limited to slab tax 40,000
    new = regime("2025-26", "new", 1_000_000, capital_gains={"stcg_111a": 200_000})
    assert new["total_income"] == 1_200_000
    assert new["rebate_87a"] == 40_000
    assert new["total_tax"] == 41_600  # 40,000 + 1,600


def test_s87a_second_proviso_fy2526_marginal_relief_limited_to_slab_tax_at_1210000() -> None:
    # Slab 10.1L: 41,000; s.111A: 40,000; total 81,000 - excess 10,000 = 71,000, limited to
    # the slab tax 41,000; tax 40,000 + 1,600
    new = regime("2025-26", "new", 1_010_000, capital_gains={"stcg_111a": 200_000})
    assert new["marginal_relief_87a"] == 41_000
    assert new["total_tax"] == 41_600


def test_s87a_fy2425_new_regime_rebate_covers_111a_tax() -> None:
    # Slab 5L: 10,000; s.111A 2L: 40,000; rebate min(50,000, 25,000); 25,000 + 1,000
    new = regime("2024-25", "new", 500_000, capital_gains={"stcg_111a": 200_000})
    assert new["rebate_87a"] == 25_000
    assert new["total_tax"] == 26_000


def test_s112a_6_fy2425_new_regime_rebate_not_against_112a_tax() -> None:
    # TI 6.75L. Slab 5L: 10,000; s.112A (1.75L - 1.25L) at 12.5% = 6,250; rebate 10,000 only
    new = regime("2024-25", "new", 500_000, capital_gains={"ltcg_112a": 175_000})
    assert new["rebate_87a"] == 10_000
    assert new["total_tax"] == 6_500  # 6,250 + 250


def test_s87a_fy2425_new_regime_no_relief_when_112a_tax_is_below_the_excess() -> None:
    # TI 8.25L: slab 10,000 + s.112A 2L x 12.5% = 25,000; 35,000 < excess 1,25,000
    new = regime("2024-25", "new", 500_000, capital_gains={"ltcg_112a": 325_000})
    assert new["marginal_relief_87a"] == 0
    assert new["total_tax"] == 36_400


def test_s87a_fy2425_new_regime_literal_marginal_relief_with_111a_gains_above_7_lakh() -> None:
    # s.87A first proviso (b) has no cap: at 7,10,000 of s.111A gains the tax is 20% of
    # (7.1L - 3L unused exemption) = 82,000; relief 82,000 - 10,000 = 72,000; 10,000 + 400.
    new = regime("2024-25", "new", capital_gains={"stcg_111a": 710_000})
    assert new["marginal_relief_87a"] == 72_000
    assert new["total_tax"] == 10_400
    # ... while at exactly 7L the rebate is capped: 80,000 - 25,000 = 55,000 + 2,200.
    assert regime("2024-25", "new", capital_gains={"stcg_111a": 700_000})["total_tax"] == 57_200


def test_s87a_old_regime_rebate_covers_111a_tax_but_not_112a() -> None:
    # Old, FY 2024-25: slab 3L: 2,500; s.111A 1L: 20,000; rebate min(22,500, 12,500)
    old = regime("2024-25", "old", 300_000, capital_gains={"stcg_111a": 100_000})
    assert old["rebate_87a"] == 12_500
    assert old["total_tax"] == 10_400  # 10,000 + 400
    # Old, FY 2025-26: slab 3L: 2,500; s.112A (2L - 1.25L) x 12.5% = 9,375; rebate 2,500
    old = regime("2025-26", "old", 300_000, capital_gains={"ltcg_112a": 200_000})
    assert old["rebate_87a"] == 2_500
    assert old["total_tax"] == 9_750  # 9,375 + 375


def test_s87a_old_regime_fy2526_rebate_after_unused_exemption_on_111a() -> None:
    # Slab 2L: nil; unused 50,000 against s.111A: 20% of 1.5L = 30,000; rebate 12,500
    old = regime("2025-26", "old", 200_000, capital_gains={"stcg_111a": 200_000})
    assert old["rebate_87a"] == 12_500
    assert old["total_tax"] == 18_200  # 17,500 + 700
