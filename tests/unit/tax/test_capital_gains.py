"""Capital gains: s.111A at 20%, s.112A at 12.5% above ₹1,25,000 (Finance (No. 2) Act 2024),
other short-term gains at slab rates, and the resident's unused basic exemption."""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import compute


def regime(year: str, which: str, other: int = 0, **case: Any) -> dict[str, Any]:
    return compute({"financial_year": year, "other_sources": {"other": other}, **case})[which]


@pytest.mark.parametrize(("ltcg", "total_income", "tax"), [
    (125_000, 1_125_000, 0),  # within the exemption
    (125_001, 1_125_000, 0),  # 12.5% of 1 = 0.125 -> 0; TI 11,25,001 -> 11,25,000 (s.288A)
    (125_008, 1_125_010, 1),  # 12.5% of 8 = 1; TI rounds up
    (225_000, 1_225_000, 12_500),  # 12.5% of 1,00,000
])
@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_s112a_12_5_percent_above_125000(year: str, ltcg: int, total_income: int,
                                         tax: int) -> None:
    old = regime(year, "old", 1_000_000, capital_gains={"ltcg_112a": ltcg})
    assert old["tax_on_special_income"] == tax
    assert old["total_income"] == total_income


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_s111a_20_percent_on_short_term_equity_gains(year: str) -> None:
    # Slab income 10L covers the exemption; 20% of 3L = 60,000
    new = regime(year, "new", 1_000_000, capital_gains={"stcg_111a": 300_000})
    assert new["tax_on_special_income"] == 60_000


def test_stcg_other_taxed_at_slab_rates() -> None:
    old = regime("2025-26", "old", capital_gains={"stcg_other": 1_000_000})
    assert old["tax_on_normal_income"] == 112_500
    assert old["tax_on_special_income"] == 0


def test_s111a_s112a_provisos_unused_exemption_against_111a_then_112a_for_residents() -> None:
    # Old FY 2024-25: other 1L leaves 1.5L of the 2.5L limit unused: all of s.111A 1L, then
    # 50,000 of the s.112A gains above 1.25L (1.75L): 12.5% of 1,25,000 = 15,625. TI 5L but
    # the rebate cannot touch s.112A tax (s.112A(6)); 15,625 + 625
    old = regime("2024-25", "old", 100_000,
                 capital_gains={"stcg_111a": 100_000, "ltcg_112a": 300_000})
    assert old["tax_on_normal_income"] == 0
    assert old["tax_on_special_income"] == 15_625
    assert old["rebate_87a"] == 0
    assert old["total_tax"] == 16_250
    adjusted = next(line for line in old["lines"] if line["code"] == "basic_exemption_adjusted")
    assert adjusted["amount"] == 150_000


def test_s111a_s112a_no_unused_exemption_for_non_residents() -> None:
    # Same case, non-resident: 20% of 1L = 20,000 + 12.5% of 1.75L = 21,875; 41,875 + 1,675
    old = regime("2024-25", "old", 100_000, residential_status="non_resident",
                 capital_gains={"stcg_111a": 100_000, "ltcg_112a": 300_000})
    assert old["tax_on_special_income"] == 41_875
    assert old["total_tax"] == 43_550


def test_s111a_unused_new_regime_exemption_fy2526_rebate_only_on_slab_tax() -> None:
    # Other 2L, s.111A 5L: unused 2L of the 4L limit; 20% of 3L = 60,000; slab tax nil, so
    # no rebate though TI is 7L (second proviso to s.87A); 60,000 + 2,400
    new = regime("2025-26", "new", 200_000, capital_gains={"stcg_111a": 500_000})
    assert new["tax_on_special_income"] == 60_000
    assert new["rebate_87a"] == 0
    assert new["total_tax"] == 62_400


def test_s111a_unused_new_regime_exemption_fy2425_rebate_covers_111a() -> None:
    # Other 2L, s.111A 5L: unused 1L of the 3L limit; 20% of 4L = 80,000; rebate 25,000;
    # 55,000 + 2,200
    new = regime("2024-25", "new", 200_000, capital_gains={"stcg_111a": 500_000})
    assert new["tax_on_special_income"] == 80_000
    assert new["rebate_87a"] == 25_000
    assert new["total_tax"] == 57_200


def test_s112a_gains_count_in_total_income_even_within_the_exemption() -> None:
    old = regime("2025-26", "old", 400_000, capital_gains={"ltcg_112a": 125_000})
    assert old["total_income"] == 525_000
    # TI above 5L: no rebate; slab 7,500 (5% of 1.5L); 7,500 + 300
    assert old["total_tax"] == 7_800


def test_capital_gains_lines_name_the_sections() -> None:
    old = regime("2025-26", "old", 1_000_000,
                 capital_gains={"stcg_111a": 10_000, "ltcg_112a": 200_000, "stcg_other": 5_000})
    codes = {line["code"]: line["amount"] for line in old["lines"]}
    assert codes["cg_stcg_111a"] == 10_000
    assert codes["cg_ltcg_112a"] == 200_000
    assert codes["cg_stcg_other"] == 5_000
    assert codes["income_capital_gains"] == 215_000
    assert codes["tax_111a"] == 2_000
    assert codes["tax_112a"] == 9_375
