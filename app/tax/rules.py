"""Rates, slabs and limits of FY 2024-25 (AY 2025-26) and FY 2025-26 (AY 2026-27), as data.

Everything the engine needs to know about a year and a regime lives here, precomputed once at
import so that computing a case is table look-ups and integer arithmetic. Rates are in per mille
(parts per thousand) so that 12.5% (s.112A) stays an integer.
"""
from __future__ import annotations

from .money import inr

SUPPORTED_YEARS: tuple[str, ...] = ("2024-25", "2025-26")

LAKH = 100_000
CRORE = 100 * LAKH

# Sections 111A and 112A as amended by the Finance (No. 2) Act 2024 (transfers on or after
# 23 July 2024; the contract treats every FY 2024-25 gain as such a transfer).
STCG_111A_RATE = 200  # 20%
LTCG_112A_RATE = 125  # 12.5%
LTCG_112A_EXEMPT = 125_000
# Section 115A(1)(a)(A): dividends of a non-resident are taxed at 20%, outside the slabs.
DIVIDEND_115A_RATE = 200
CESS_RATE = 40  # health and education cess, 4% (Finance Acts, s.2(11)/(12))
# Paragraph A of Part I/III of the First Schedule: surcharge on tax attributable to income under
# sections 111A, 112A and dividends never exceeds 15%.
CAPPED_SURCHARGE_RATE = 150
HP_LOSS_SET_OFF_CAP = 200_000  # s.71(3A)
SELF_OCCUPIED_INTEREST_CAP = 200_000  # s.24(b) second proviso, aggregate of all such houses
PROFESSIONAL_TAX_CAP = 2_500  # Article 276(2) of the Constitution caps a tax on employment
ITR1_INCOME_LIMIT = 50 * LAKH
SURCHARGE_FROM = 50 * LAKH  # no surcharge on total income up to ₹50 lakh


class Slabs:
    """Slab schedule: tax on `x` = base[i] + (x - lows[i]) * rates[i] for the top `lows[i] < x`.

    `base` is in milli-rupees (rupees x per-mille rate), so slab tax is exact in integers.
    `exemption` is the basic exemption limit (the first edge with a non-zero rate).
    (Plain classes, not dataclasses: importing dataclasses would double the import time.)
    """

    __slots__ = ("base", "exemption", "lows", "rates")

    def __init__(self, lows: tuple[int, ...], rates: tuple[int, ...], base: tuple[int, ...],
                 exemption: int) -> None:
        self.lows = lows
        self.rates = rates
        self.base = base
        self.exemption = exemption

    def milli_tax(self, income: int) -> int:
        """Exact slab tax on `income` rupees, in milli-rupees."""
        lows = self.lows
        i = len(lows) - 1
        while i >= 0:
            low = lows[i]
            if income > low:
                return self.base[i] + (income - low) * self.rates[i]
            i -= 1
        return 0


def _slabs(edges: tuple[tuple[int, int], ...]) -> Slabs:
    """Build a schedule from (lower edge, per-mille rate) pairs starting at the exemption limit."""
    lows: list[int] = []
    rates: list[int] = []
    base: list[int] = []
    acc = 0
    for i, (low, rate) in enumerate(edges):
        if i:
            prev_low, prev_rate = edges[i - 1]
            acc += (low - prev_low) * prev_rate
        lows.append(low)
        rates.append(rate)
        base.append(acc)
    return Slabs(tuple(lows), tuple(rates), tuple(base), edges[0][0])


# Old regime, Paragraph A of Part III of the First Schedule (unchanged for both years).
OLD_SLABS = _slabs(((250_000, 50), (500_000, 200), (1_000_000, 300)))
OLD_SLABS_SENIOR = _slabs(((300_000, 50), (500_000, 200), (1_000_000, 300)))
OLD_SLABS_SUPER_SENIOR = _slabs(((500_000, 200), (1_000_000, 300)))
# New regime, s.115BAC(1A) as substituted by the Finance (No. 2) Act 2024 (FY 2024-25) ...
NEW_SLABS_2425 = _slabs(((300_000, 50), (700_000, 100), (1_000_000, 150), (1_200_000, 200),
                         (1_500_000, 300)))
# ... and by the Finance Act 2025 (FY 2025-26).
NEW_SLABS_2526 = _slabs(((400_000, 50), (800_000, 100), (1_200_000, 150), (1_600_000, 200),
                         (2_000_000, 250), (2_400_000, 300)))

# Surcharge bands: (total income above which the rate applies, per-mille rate).
_SURCHARGE_OLD = ((50 * LAKH, 100), (CRORE, 150), (2 * CRORE, 250), (5 * CRORE, 370))
# s.115BAC(1A) read with the First Schedule: the new regime stops at 25%.
_SURCHARGE_NEW = ((50 * LAKH, 100), (CRORE, 150), (2 * CRORE, 250))

# Chapter VI-A sections, in the order they are applied and shown.
DEDUCTION_KEYS: tuple[str, ...] = ("80C", "80CCC", "80CCD_1", "80CCD_1B", "80CCD_2", "80D", "80E",
                                   "80TTA", "80TTB")
SECTION_NAMES: dict[str, str] = {
    "80C": "80C", "80CCC": "80CCC", "80CCD_1": "80CCD(1)", "80CCD_1B": "80CCD(1B)",
    "80CCD_2": "80CCD(2)", "80D": "80D", "80E": "80E", "80TTA": "80TTA", "80TTB": "80TTB",
}


class RegimeRules:
    """What one regime allows in one financial year."""

    year: str
    regime: str  # "old" or "new"
    std_deduction: int  # s.16(ia)
    family_pension_cap: int  # s.57(iia)
    allows_hra: bool  # s.10(13A)
    allows_professional_tax: bool  # s.16(iii)
    allows_self_occupied_interest: bool  # s.24(b) for s.23(2) houses
    hp_loss_set_off_cap: int  # s.71(3A); 0 in the new regime (s.115BAC(2))
    allowed_deductions: frozenset[str]  # Chapter VI-A sections the regime allows
    ccd2_percent: int  # s.80CCD(2) cap as % of basic + DA
    rebate_limit: int  # s.87A total-income ceiling
    rebate_cap: int
    rebate_marginal_relief: bool  # first proviso (b) to s.87A (new regime)
    rebate_slab_tax_only: bool  # second proviso to s.87A (Finance Act 2025)
    surcharge: tuple[tuple[int, int], ...]
    slabs: Slabs  # below 60, and every non-resident in the old regime
    slabs_senior: Slabs  # resident 60-79
    slabs_super_senior: Slabs  # resident 80+
    labels: dict[str, str]  # line labels that depend only on the regime and year (derived)

    __slots__ = ("allowed_deductions", "allows_hra", "allows_professional_tax",
                 "allows_self_occupied_interest", "ccd2_percent", "family_pension_cap",
                 "hp_loss_set_off_cap", "labels", "rebate_cap", "rebate_limit",
                 "rebate_marginal_relief", "rebate_slab_tax_only", "regime", "slabs",
                 "slabs_senior", "slabs_super_senior", "std_deduction", "surcharge", "year")

    def __init__(self, **fields: object) -> None:
        for name in self.__slots__:
            if name != "labels":
                setattr(self, name, fields.pop(name))
        if fields:
            raise TypeError(f"unknown rules: {sorted(fields)}")
        self.labels = _labels(self)

    def slabs_for(self, age: int, resident: bool) -> Slabs:
        """Old regime: higher exemption for resident seniors/super-seniors (First Schedule)."""
        if resident and age >= 60:
            return self.slabs_super_senior if age >= 80 else self.slabs_senior
        return self.slabs


_ALL_VIA = frozenset(DEDUCTION_KEYS)
# s.115BAC(2)(ii): of Chapter VI-A only 80CCD(2), 80CCH and 80JJAA survive in the new regime.
_NEW_VIA = frozenset({"80CCD_2"})


def _labels(rules: RegimeRules) -> dict[str, str]:
    """Line labels that depend only on the regime and year, made once."""
    regime = rules.regime
    limit = inr(rules.rebate_limit)
    not_against = ("tax on s.111A/112A gains (second proviso to s.87A)"
                   if rules.rebate_slab_tax_only else "tax on s.112A gains (s.112A(6))")
    return {
        "std_deduction": f"Less: standard deduction u/s 16(ia) ({inr(rules.std_deduction)} in "
                         f"the {regime} regime, limited to the salary)",
        "family_pension_deduction": "Less: one-third of family pension, at most "
                                    f"{inr(rules.family_pension_cap)} in the {regime} regime "
                                    "(s.57(iia))",
        "rebate_87a": f"Less: rebate u/s 87A (total income up to {limit}, at most "
                      f"{inr(rules.rebate_cap)}, not against {not_against})",
        "marginal_relief_87a": "Less: marginal relief u/s 87A (tax may not exceed the income "
                               f"above {limit})",
        "80CCD_2": f"at most {rules.ccd2_percent}% of basic + DA in the {regime} regime",
    }


def _old(year: str) -> RegimeRules:
    return RegimeRules(
        year=year, regime="old", std_deduction=50_000, family_pension_cap=15_000, allows_hra=True,
        allows_professional_tax=True, allows_self_occupied_interest=True,
        hp_loss_set_off_cap=HP_LOSS_SET_OFF_CAP, allowed_deductions=_ALL_VIA, ccd2_percent=10,
        rebate_limit=500_000, rebate_cap=12_500, rebate_marginal_relief=False,
        rebate_slab_tax_only=False, surcharge=_SURCHARGE_OLD, slabs=OLD_SLABS,
        slabs_senior=OLD_SLABS_SENIOR, slabs_super_senior=OLD_SLABS_SUPER_SENIOR)


def _new(year: str, slabs: Slabs, rebate_limit: int, rebate_cap: int,
         slab_only: bool) -> RegimeRules:
    return RegimeRules(
        year=year, regime="new", std_deduction=75_000, family_pension_cap=25_000,
        allows_hra=False, allows_professional_tax=False, allows_self_occupied_interest=False,
        hp_loss_set_off_cap=0, allowed_deductions=_NEW_VIA, ccd2_percent=14,
        rebate_limit=rebate_limit, rebate_cap=rebate_cap, rebate_marginal_relief=True,
        rebate_slab_tax_only=slab_only, surcharge=_SURCHARGE_NEW, slabs=slabs,
        slabs_senior=slabs, slabs_super_senior=slabs)


RULES: dict[str, tuple[RegimeRules, RegimeRules]] = {
    "2024-25": (_old("2024-25"), _new("2024-25", NEW_SLABS_2425, 700_000, 25_000, False)),
    "2025-26": (_old("2025-26"), _new("2025-26", NEW_SLABS_2526, 1_200_000, 60_000, True)),
}
