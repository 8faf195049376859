"""Compose the heads, deductions and tax of both regimes, recommend one and pick the ITR form."""
from __future__ import annotations

from typing import Any

from .deductions import chapter_via
from .heads import (
    capital_gains_lines,
    house_loss_set_off,
    house_property_income,
    other_sources_income,
    salary_income,
)
from .inputs import validate
from .money import inr
from .rules import ITR1_INCOME_LIMIT, LTCG_112A_EXEMPT, RULES, RegimeRules
from .tax import DIVIDENDS, OTHER, compute_tax, take

Lines = list[dict[str, Any]]


def _regime(case: dict[str, Any], rules: RegimeRules) -> tuple[dict[str, Any], int]:
    """One regime's computation; also returns the house-property loss carried forward."""
    lines: Lines = []
    resident = case["residential_status"] == "resident"
    sources = case["other_sources"]
    gains = case["capital_gains"]
    salary = salary_income(case["salary"], rules, lines)
    houses = case["house_property"]
    house = house_property_income(houses, rules, lines) if houses else 0
    other_sources = other_sources_income(sources, case["family_pension"], rules, lines)
    stcg, ltcg, stcg_other = gains["stcg_111a"], gains["ltcg_112a"], gains["stcg_other"]
    if stcg or ltcg or stcg_other:
        capital_gains_lines(gains, lines)
    dividends = sources["dividends"]
    # Resident dividends are slab income (with a capped surcharge); a non-resident's are s.115A.
    parts = [salary + other_sources - dividends + stcg_other, dividends if resident else 0,
             0 if resident else dividends, stcg, ltcg]
    carried = 0
    if house >= 0:
        parts[OTHER] += house
    else:
        # s.71: the loss goes against slab income first, then special-rate income.
        set_off, carried = house_loss_set_off(-house, sum(parts), rules, lines)
        take(parts, set_off)
    gross_total = sum(parts)
    lines.append({"code": "gross_total_income", "label": "Gross total income",
                  "amount": gross_total})
    deductions = chapter_via(case, rules, gross_total, parts[OTHER] + parts[DIVIDENDS], lines)
    if deductions:
        take(parts, deductions)
    exact = gross_total - deductions
    total_income = (exact + 5) // 10 * 10  # s.288A
    if total_income > exact:
        parts[OTHER] += total_income - exact
    elif total_income < exact:
        take(parts, exact - total_income)
    lines.append({"code": "total_income", "label": "Total income (rounded to the nearest ₹10, "
                  "s.288A)", "amount": total_income})
    slabs = rules.slabs_for(case["age"] or 0, resident)
    result: dict[str, Any] = {"gross_total_income": gross_total, "deductions": deductions,
                              "total_income": total_income}
    result.update(compute_tax(rules, slabs, parts, total_income, resident, lines))
    taxes = case["taxes_paid"]
    paid = (taxes["tds_salary"] + taxes["tds_other"] + taxes["advance_tax"]
            + taxes["self_assessment_tax"])
    total_tax = result["total_tax"]
    result["taxes_paid"] = paid
    result["refund"] = refund = paid - total_tax if paid > total_tax else 0
    result["balance_payable"] = payable = total_tax - paid if total_tax > paid else 0
    if paid:
        lines.append({"code": "taxes_paid", "label": "Less: taxes already paid (TDS, advance and "
                      "self-assessment tax)", "amount": paid})
    if refund:
        lines.append({"code": "refund", "label": "Refund due to you", "amount": refund})
    elif payable:
        lines.append({"code": "balance_payable", "label": "Tax still to pay", "amount": payable})
    result["lines"] = lines
    return result, carried


def itr_form_reasons(case: dict[str, Any], total_income: int, carried_loss: int) -> list[str]:
    """Why ITR-1 (Sahaj, rule 12(1)(a) of the Income-tax Rules) cannot be used; empty if it can.

    ITR-1 is for a resident (not an RNOR) with total income up to ₹50 lakh, at most one house
    property with no loss to carry forward, no capital gains other than s.112A gains up to
    ₹1,25,000, and no foreign assets.
    """
    reasons = []
    if case["residential_status"] != "resident":
        reasons.append("You are a non-resident; ITR-1 is only for residents.")
    if total_income > ITR1_INCOME_LIMIT:
        reasons.append(f"Your total income of {inr(total_income)} is above ₹50 lakh.")
    houses = len(case["house_property"])
    if houses > 1:
        reasons.append(f"You have {houses} house properties; ITR-1 allows only one.")
    if carried_loss:
        reasons.append("You have a house-property loss to carry forward.")
    gains = case["capital_gains"]
    if gains["stcg_111a"] or gains["stcg_other"]:
        reasons.append("You have short-term capital gains.")
    if gains["ltcg_112a"] > LTCG_112A_EXEMPT:
        reasons.append(f"Your long-term capital gains u/s 112A of {inr(gains['ltcg_112a'])} are "
                       "above ₹1,25,000.")
    if case["foreign_assets"]:
        reasons.append("You hold assets outside India.")
    return reasons


def compute_validated(case: dict[str, Any]) -> dict[str, Any]:
    """`compute` for a case that `validate` has already normalised."""
    old_rules, new_rules = RULES[case["financial_year"]]
    old, old_carried = _regime(case, old_rules)
    new, new_carried = _regime(case, new_rules)
    # Ties go to the new regime: it is the default (s.115BAC(1A)).
    if old["total_tax"] < new["total_tax"]:
        recommended, chosen, carried = "old", old, old_carried
    else:
        recommended, chosen, carried = "new", new, new_carried
    reasons = itr_form_reasons(case, chosen["total_income"], carried)
    form = "ITR-2" if reasons else "ITR-1"
    label = (f"File ITR-2 (ITR-1 is not open to you): {' '.join(reasons)}" if reasons else
             "File ITR-1 (Sahaj): you meet all its conditions")
    for regime in (old, new):
        regime["lines"].append({"code": "itr_form", "label": label, "amount": 0})
    return {
        "old": old,
        "new": new,
        "recommended_regime": recommended,
        "saving": abs(old["total_tax"] - new["total_tax"]),
        "itr_form": form,
        "itr_form_reasons": reasons,
    }


def compute(case: dict[str, Any]) -> dict[str, Any]:
    """Validate a case and compute its tax under both regimes (Income-tax Act 1961, FY 2024-25
    and FY 2025-26): the old regime and the new one of s.115BAC(1A), the cheaper one
    (ties: the new, default regime), the saving and the ITR form. Raises InputError."""
    return compute_validated(validate(case))
