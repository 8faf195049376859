"""Tax on total income: slabs, special rates, rebate u/s 87A, surcharge with marginal relief, cess.

Each component is exact in integers (milli-rupees) and rounded half up to a rupee where the
return shows it; the total is rounded to ₹10 under s.288B.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from .money import inr, round_half_up
from .rules import (
    CAPPED_SURCHARGE_RATE,
    CESS_RATE,
    DIVIDEND_115A_RATE,
    LTCG_112A_EXEMPT,
    LTCG_112A_RATE,
    STCG_111A_RATE,
    SURCHARGE_FROM,
    RegimeRules,
    Slabs,
)

Lines = list[dict[str, Any]]


# Total income split by how it is taxed, as a list of five non-negative ints that sum to it:
OTHER, DIVIDENDS, DIVIDENDS_115A, STCG_111A, LTCG_112A = range(5)
# OTHER: slab rates; DIVIDENDS: a resident's, slab rates with surcharge capped at 15%;
# DIVIDENDS_115A: a non-resident's, 20%; then s.111A and s.112A gains.
Parts = list[int]
# charge() returns (slab tax, slab tax borne by dividends, s.111A tax, s.112A tax, s.115A tax,
# unused basic exemption set against s.111A gains, ... against s.112A gains), whole rupees.
Charge = tuple[int, int, int, int, int, int, int]


def take(parts: Parts, amount: int) -> None:
    """Reduce `parts` by `amount` in place, in their order: slab income first, then dividends,
    then s.111A and s.112A gains (set-off and deductions reach special-rate income last)."""
    for i in range(5):
        part = parts[i]
        if part >= amount:
            parts[i] = part - amount
            return
        parts[i] = 0
        amount -= part


def charge(parts: Parts, slabs: Slabs, resident: bool) -> Charge:
    """Income-tax before rebate: slab rates on income other than special-rate income; 20% on
    s.111A gains; 12.5% on s.112A gains above ₹1,25,000; 20% on a non-resident's dividends
    (s.115A). A resident's unused basic exemption is set against s.111A gains, then s.112A gains
    (provisos to s.111A(1) and s.112A(2)); a non-resident's is not."""
    other, dividends, dividends_115a, stcg, ltcg = parts
    slab_income = other + dividends
    slab_milli = slabs.milli_tax(slab_income)
    on_dividends = 0
    if dividends:
        on_dividends = round_half_up(slab_milli - slabs.milli_tax(other), 1000)
    ltcg_over = ltcg - LTCG_112A_EXEMPT if ltcg > LTCG_112A_EXEMPT else 0
    used_111a = used_112a = 0
    if resident and slab_income < slabs.exemption and (stcg or ltcg_over):
        unused = slabs.exemption - slab_income
        used_111a = stcg if stcg < unused else unused
        unused -= used_111a
        used_112a = ltcg_over if ltcg_over < unused else unused
    return (
        (2 * slab_milli + 1000) // 2000,
        on_dividends,
        ((stcg - used_111a) * (2 * STCG_111A_RATE) + 1000) // 2000 if stcg else 0,
        ((ltcg_over - used_112a) * (2 * LTCG_112A_RATE) + 1000) // 2000 if ltcg_over else 0,
        (dividends_115a * (2 * DIVIDEND_115A_RATE) + 1000) // 2000 if dividends_115a else 0,
        used_111a,
        used_112a,
    )


def surcharge_on(c: Charge, rate: int) -> int:
    """Surcharge at `rate` per mille, at most 15% on tax attributable to s.111A, s.112A and
    dividend income (First Schedule, Part I Paragraph A / Part III)."""
    if not rate:
        return 0
    slab, on_dividends, stcg, ltcg, div_115a = c[0], c[1], c[2], c[3], c[4]
    capped = stcg + ltcg + div_115a + on_dividends
    capped_rate = rate if rate < CAPPED_SURCHARGE_RATE else CAPPED_SURCHARGE_RATE
    return round_half_up((slab - on_dividends) * rate + capped * capped_rate, 1000)


def surcharge_band(rules: RegimeRules, total_income: int) -> tuple[int, int, int]:
    """Surcharge band of the First Schedule for `total_income`: (rate, threshold exceeded, rate
    below that threshold), per mille; (0, 0, 0) up to ₹50 lakh."""
    rate = threshold = below = 0
    for edge, edge_rate in rules.surcharge:
        if total_income > edge:
            below, rate, threshold = rate, edge_rate, edge
        else:
            break
    return rate, threshold, below


def rebate_87a(rules: RegimeRules, c: Charge, total_income: int,
               resident: bool) -> tuple[int, int]:
    """Section 87A for a resident: (rebate, marginal relief).

    Old regime: total income up to ₹5 lakh, rebate up to ₹12,500. New regime (first proviso):
    up to ₹7 lakh / ₹25,000 (FY 2024-25) or ₹12 lakh / ₹60,000 (FY 2025-26); above the limit,
    relief of the tax exceeding the income above the limit. Never against s.112A tax
    (s.112A(6)); FY 2025-26 new regime: only against tax at s.115BAC(1A) slab rates (second
    proviso, Finance Act 2025).
    """
    if not resident:
        return 0, 0
    # FY 2024-25 and the old regime: nothing in s.87A or s.111A excludes s.111A tax, so the
    # rebate covers it (Bombay HC, Chamber of Tax Consultants v. DG Systems, 2025).
    rebatable = c[0] if rules.rebate_slab_tax_only else c[0] + c[2]
    if total_income <= rules.rebate_limit:
        return (rebatable if rebatable < rules.rebate_cap else rules.rebate_cap), 0
    if not rules.rebate_marginal_relief:
        return 0, 0
    excess_tax = c[0] + c[2] + c[3] + c[4] - (total_income - rules.rebate_limit)
    if excess_tax <= 0:
        return 0, 0
    return 0, excess_tax if excess_tax < rebatable else rebatable


@cache
def _slab_label(regime: str, exemption: int) -> str:
    return f"Tax at {regime}-regime slab rates (nil up to {inr(exemption)})"


@cache
def _surcharge_label(rate: int, threshold: int) -> str:
    return (f"Surcharge at {rate // 10}% (total income above {inr(threshold)}; at most 15% on "
            "tax on s.111A/112A gains and dividends)")


@cache
def _relief_label(threshold: int) -> str:
    return (f"Less: marginal relief (tax and surcharge may not exceed the tax at {inr(threshold)} "
            "plus the income above it)")


def _surcharge_lines(rules: RegimeRules, slabs: Slabs, parts: Parts, c: Charge, tax: int,
                     total_income: int, resident: bool, lines: Lines) -> tuple[int, int]:
    """Surcharge and its marginal relief: tax plus surcharge may not exceed the tax and surcharge
    on income equal to the threshold plus the income above it (First Schedule provisos)."""
    rate, threshold, below = surcharge_band(rules, total_income)
    if not rate:
        return 0, 0
    surcharge = surcharge_on(c, rate)
    at_parts = parts.copy()
    take(at_parts, total_income - threshold)
    at = charge(at_parts, slabs, resident)
    ceiling = at[0] + at[2] + at[3] + at[4] + surcharge_on(at, below) + total_income - threshold
    relief = tax + surcharge - ceiling
    relief = 0 if relief < 0 else (relief if relief < surcharge else surcharge)
    lines.append({"code": "surcharge", "label": _surcharge_label(rate, threshold),
                  "amount": surcharge})
    if relief:
        lines.append({"code": "marginal_relief_surcharge", "label": _relief_label(threshold),
                      "amount": relief})
    return surcharge, relief


def compute_tax(rules: RegimeRules, slabs: Slabs, parts: Parts, total_income: int,
                resident: bool, lines: Lines) -> dict[str, int]:
    """Tax payable on `total_income` (already rounded, s.288A): tax, less rebate u/s 87A, plus
    surcharge less its marginal relief, plus 4% cess; rounded to ₹10 (s.288B)."""
    c = charge(parts, slabs, resident)
    slab, _, stcg_tax, ltcg_tax, div_tax, used_111a, used_112a = c
    lines.append({"code": "tax_slab", "label": _slab_label(rules.regime, slabs.exemption),
                  "amount": slab})
    if used_111a or used_112a:
        lines.append({"code": "basic_exemption_adjusted", "label": "Unused basic exemption set "
                      "against s.111A / s.112A gains (provisos to s.111A(1) and s.112A(2))",
                      "amount": used_111a + used_112a})
    if parts[STCG_111A]:
        lines.append({"code": "tax_111a", "label": "Tax at 20% on short-term gains u/s 111A",
                      "amount": stcg_tax})
    if parts[LTCG_112A]:
        lines.append({"code": "tax_112a", "label": "Tax at 12.5% on long-term gains u/s 112A "
                      "above ₹1,25,000", "amount": ltcg_tax})
    if parts[DIVIDENDS_115A]:
        lines.append({"code": "tax_115a", "label": "Tax at 20% on a non-resident's dividends "
                      "(s.115A)", "amount": div_tax})
    special = stcg_tax + ltcg_tax + div_tax
    tax = slab + special
    rebate, relief_87a = rebate_87a(rules, c, total_income, resident)
    if rebate:
        lines.append({"code": "rebate_87a", "label": rules.labels["rebate_87a"], "amount": rebate})
        tax -= rebate
    elif relief_87a:
        lines.append({"code": "marginal_relief_87a", "label": rules.labels["marginal_relief_87a"],
                      "amount": relief_87a})
        tax -= relief_87a
    surcharge = relief = 0
    if total_income > SURCHARGE_FROM:
        surcharge, relief = _surcharge_lines(rules, slabs, parts, c, tax, total_income,
                                             resident, lines)
    payable = tax + surcharge - relief
    cess = (payable * (2 * CESS_RATE) + 1000) // 2000
    total = (payable + cess + 5) // 10 * 10  # s.288B
    lines.append({"code": "cess", "label": "Health and education cess at 4%", "amount": cess})
    lines.append({"code": "total_tax", "label": "Total tax (rounded to the nearest ₹10, "
                  "s.288B)", "amount": total})
    return {
        "tax_on_normal_income": slab,
        "tax_on_special_income": special,
        "rebate_87a": rebate,
        "marginal_relief_87a": relief_87a,
        "surcharge": surcharge,
        "marginal_relief_surcharge": relief,
        "cess": cess,
        "total_tax": total,
    }
