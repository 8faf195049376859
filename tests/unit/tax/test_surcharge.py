"""Surcharge (First Schedule, Part I Paragraph A / Part III; s.115BAC(1A) for the new regime's
25% ceiling), the 15% cap on s.111A/112A/dividend tax, marginal relief at every threshold, cess.

Old-regime tax on x above 10L (below 60): T(x) = 1,12,500 + 30% (x - 10L) = 0.3x - 1,87,500.
New regime FY 2025-26 above 24L: 0.3x - 4,20,000; FY 2024-25 above 15L: 0.3x - 3,10,000.
"""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute


def regime(year: str, which: str, other: int = 0, **extra: Any) -> dict[str, Any]:
    case = {"financial_year": year, "other_sources": {"other": other}, **extra}
    return compute(case)[which]


@pytest.mark.parametrize(("income", "surcharge", "relief", "total"), [
    # 50L: no surcharge (only above 50L); 13,12,500 + 52,500
    (5_000_000, 0, 0, 1_365_000),
    # 50,10,000: T 13,15,500, 10% 1,31,550; ceiling 13,12,500 + 10,000 = 13,22,500;
    # relief 1,24,550; 13,22,500 + cess 52,900
    (5_010_000, 131_550, 124_550, 1_375_400),
    # 51L: T 13,42,500, 10% 1,34,250; ceiling 14,12,500; relief 64,250; + cess 56,500
    (5_100_000, 134_250, 64_250, 1_469_000),
    # 60L: T 16,12,500, 10% 1,61,250, above the break-even (~51.96L): no relief; cess 70,950
    (6_000_000, 161_250, 0, 1_844_700),
    # 1Cr: T 28,12,500, still 10% = 2,81,250; cess 1,23,750
    (10_000_000, 281_250, 0, 3_217_500),
    # 1,00,10,000: T 28,15,500, 15% 4,22,325; ceiling 28,12,500 + 2,81,250 + 10,000 =
    # 31,03,750; relief 1,34,075; + cess 1,24,150
    (10_010_000, 422_325, 134_075, 3_227_900),
    # 2Cr: T 58,12,500, 15% 8,71,875; cess 2,67,375
    (20_000_000, 871_875, 0, 6_951_750),
    # 2,00,10,000: T 58,15,500, 25% 14,53,875; ceiling 66,84,375 + 10,000; relief 5,75,000;
    # 66,94,375 + cess 2,67,775
    (20_010_000, 1_453_875, 575_000, 6_962_150),
    # 5Cr: T 1,48,12,500, 25% 37,03,125; cess 7,40,625
    (50_000_000, 3_703_125, 0, 19_256_250),
    # 5,00,10,000: T 1,48,15,500, 37% 54,81,735; ceiling 1,85,15,625 + 10,000; relief
    # 17,71,610; 1,85,25,625 + cess 7,41,025
    (50_010_000, 5_481_735, 1_771_610, 19_266_650),
])
@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_surcharge_old_regime_thresholds_and_marginal_relief(
        year: str, income: int, surcharge: int, relief: int, total: int) -> None:
    old = regime(year, "old", income)
    assert (old["surcharge"], old["marginal_relief_surcharge"], old["total_tax"]) == \
        (surcharge, relief, total)


def test_surcharge_new_regime_fy2425_marginal_relief_at_50_lakh() -> None:
    # T(50,10,000) = 11,93,000; 10% 1,19,300; ceiling 11,90,000 + 10,000; relief 1,12,300;
    # 12,00,000 + cess 48,000
    new = regime("2024-25", "new", 5_010_000)
    assert (new["surcharge"], new["marginal_relief_surcharge"], new["total_tax"]) == \
        (119_300, 112_300, 1_248_000)


def test_surcharge_new_regime_fy2526_marginal_relief_at_2_crore() -> None:
    # T(2,00,10,000) = 55,83,000; 25% 13,95,750; ceiling 55,80,000 x 1.15 = 64,17,000 + 10,000;
    # relief 5,51,750; 64,27,000 + cess 2,57,080
    new = regime("2025-26", "new", 20_010_000)
    assert (new["surcharge"], new["marginal_relief_surcharge"], new["total_tax"]) == \
        (1_395_750, 551_750, 6_684_080)


def test_surcharge_new_regime_capped_at_25_percent_above_5_crore() -> None:
    # T(5,00,10,000) = 1,45,83,000; 25% (never 37%) 36,45,750; no relief; cess 7,29,150
    new = regime("2025-26", "new", 50_010_000)
    assert (new["surcharge"], new["marginal_relief_surcharge"], new["total_tax"]) == \
        (3_645_750, 0, 18_957_900)
    assert regime("2025-26", "old", 50_010_000)["surcharge"] == 5_481_735  # 37% in the old one


def test_surcharge_15_percent_cap_on_112a_tax_above_2_crore() -> None:
    # Old FY 2025-26: other 1Cr (T 28,12,500) + s.112A 1.5Cr: 12.5% of 1,48,75,000 = 18,59,375.
    # Surcharge 25% x 28,12,500 + 15% x 18,59,375 = 7,03,125 + 2,78,906.25 = 9,82,031.
    # Tax 56,53,906 + cess 2,26,156 = 58,80,062 -> 58,80,060
    old = regime("2025-26", "old", 10_000_000, capital_gains={"ltcg_112a": 15_000_000})
    assert old["tax_on_special_income"] == 1_859_375
    assert old["surcharge"] == 982_031
    assert old["marginal_relief_surcharge"] == 0
    assert old["total_tax"] == 5_880_060


def test_surcharge_15_percent_cap_on_111a_tax_in_the_37_percent_band() -> None:
    # Old: other 5Cr (T 1,48,12,500) + s.111A 1Cr (20%: 20,00,000): 37% x 1,48,12,500 =
    # 54,80,625 + 15% x 20,00,000 = 3,00,000. Tax 2,25,93,125 + cess 9,03,725
    old = regime("2024-25", "old", 50_000_000, capital_gains={"stcg_111a": 10_000_000})
    assert old["surcharge"] == 5_780_625
    assert old["total_tax"] == 23_496_850


def test_surcharge_15_percent_cap_on_dividend_tax_as_the_top_slice() -> None:
    # Old FY 2024-25 resident: other 2Cr + dividends 1Cr = 3Cr. Slab T(3Cr) = 88,12,500; the
    # dividends' share T(3Cr) - T(2Cr) = 30,00,000 bears 15%, the rest 58,12,500 bears 25%:
    # 14,53,125 + 4,50,000 = 19,03,125. Tax 1,07,15,625 + cess 4,28,625
    old = regime("2024-25", "old", 20_000_000, other_sources={"other": 20_000_000,
                                                             "dividends": 10_000_000})
    assert old["surcharge"] == 1_903_125
    assert old["total_tax"] == 11_144_250


def test_surcharge_no_marginal_relief_needed_when_gains_keep_the_15_percent_rate() -> None:
    # Old FY 2025-26, only s.112A gains of 2,00,10,000: unused 2.5L exemption, 12.5% of
    # (2,00,10,000 - 1,25,000 - 2,50,000) = 24,54,375; surcharge capped at 15%: 3,68,156;
    # at 2Cr it was 24,53,125 + 3,67,969 + 10,000 > tax now: no relief; cess 1,12,901
    old = regime("2025-26", "old", capital_gains={"ltcg_112a": 20_010_000})
    assert old["surcharge"] == 368_156
    assert old["marginal_relief_surcharge"] == 0
    assert old["total_tax"] == 2_935_430


def test_surcharge_lines_state_the_rate_and_threshold() -> None:
    old = regime("2025-26", "old", 5_010_000)
    codes = {line["code"]: line for line in old["lines"]}
    assert "10%" in codes["surcharge"]["label"]
    assert "50,00,000" in codes["surcharge"]["label"]
    assert codes["marginal_relief_surcharge"]["amount"] == 124_550


@pytest.mark.parametrize(("income", "cess"), [
    (1_000_000, 4_500),  # 4% of 1,12,500
    (1_018_600, 4_723),  # 4% of 1,18,080 = 4,723.20
    (1_000_020, 4_500),  # 4% of 1,12,506 = 4,500.24
])
def test_health_and_education_cess_4_percent_rounded_to_the_rupee(income: int, cess: int) -> None:
    assert regime("2025-26", "old", income)["cess"] == cess


def test_s115a_non_resident_dividends_taxed_at_20_percent_without_exemption_or_deductions() -> None:
    # 10L of dividends: 20% = 2,00,000 from the first rupee; 80C cannot reduce it; cess 8,000
    result = compute({"financial_year": "2025-26", "residential_status": "non_resident",
                      "other_sources": {"dividends": 1_000_000}, "deductions": {"80C": 150_000}})
    for which in ("old", "new"):
        assert result[which]["tax_on_special_income"] == 200_000
        assert result[which]["deductions"] == 0
        assert result[which]["total_tax"] == 208_000
