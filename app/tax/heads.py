"""Income under each head: salaries, house property, other sources and capital gains.

Each function appends the lines that explain it and returns whole rupees.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from .money import round_half_up
from .rules import (
    LTCG_112A_EXEMPT,
    PROFESSIONAL_TAX_CAP,
    SELF_OCCUPIED_INTEREST_CAP,
    RegimeRules,
)

Lines = list[dict[str, Any]]


def hra_exemption(salary: dict[str, Any]) -> int:
    """Section 10(13A) with rule 2A: the least of HRA received, rent paid minus 10% of salary
    (basic + DA), and 50% (Mumbai, Kolkata, Delhi, Chennai) or 40% (elsewhere) of that salary.

    Nothing is exempt without rent paid. Computed in tenths of a rupee, then rounded half up.
    """
    rent = salary["rent_paid"]
    hra = salary["hra_received"]
    basic = salary["basic_da"]
    if not rent or not hra or not basic:
        return 0
    least = min(hra * 10, rent * 10 - basic, basic * (5 if salary["metro"] else 4))
    return round_half_up(least, 10) if least > 0 else 0


def salary_income(salary: dict[str, Any], rules: RegimeRules, lines: Lines) -> int:
    """Income under "Salaries": gross salary (s.17) less the HRA exemption (s.10(13A), old
    regime), the standard deduction (s.16(ia), limited to the salary) and professional tax
    (s.16(iii), old regime, at most ₹2,500 under Article 276(2))."""
    gross = salary["gross"]
    hra = hra_exemption(salary)
    prof_tax = salary["professional_tax"]
    if not gross:
        if hra or prof_tax:
            lines.append({"code": "salary_missing", "label": "No gross salary was given, so HRA "
                          "and professional tax cannot be deducted", "amount": 0})
        return 0
    lines.append({"code": "salary_gross", "label": "Gross salary (section 17)", "amount": gross})
    income = gross
    if hra:
        if rules.allows_hra:
            hra = min(hra, income)
            income -= hra
            lines.append({"code": "hra_exemption", "label": "Less: HRA exempt u/s 10(13A), the "
                          "least of HRA received, rent paid minus 10% of basic + DA, and "
                          "50% (metro) / 40% of basic + DA", "amount": hra})
        else:
            lines.append({"code": "hra_not_allowed", "label": "HRA exemption u/s 10(13A) is not "
                          "available in the new regime (s.115BAC(2)); not deducted",
                          "amount": hra})
    std = rules.std_deduction if income > rules.std_deduction else income
    if std:
        income -= std
        lines.append({"code": "std_deduction", "label": rules.labels["std_deduction"],
                      "amount": std})
    if prof_tax:
        if rules.allows_professional_tax:
            allowed = min(prof_tax, PROFESSIONAL_TAX_CAP, income)
            income -= allowed
            label = ("Less: professional tax u/s 16(iii)" if allowed == prof_tax else
                     "Less: professional tax u/s 16(iii) (limited: at most ₹2,500 a year under "
                     "Article 276(2) of the Constitution, and to the salary)")
            lines.append({"code": "professional_tax", "label": label, "amount": allowed})
        else:
            lines.append({"code": "professional_tax_not_allowed", "label": "Professional tax "
                          "u/s 16(iii) is not deductible in the new regime (s.115BAC(2))",
                          "amount": prof_tax})
    lines.append({"code": "income_salary", "label": "Income under the head Salaries",
                  "amount": income})
    return income


_KIND_WORDS = {"let_out": "let out", "deemed_let_out": "deemed let out",
               "self_occupied": "self-occupied"}


@lru_cache(maxsize=64)  # bounded: a case may list any number of houses
def _house_labels(n: int, kind: str) -> dict[str, str]:
    """The fixed lines' labels for house number `n` of `kind`."""
    name = f"House {n} ({_KIND_WORDS[kind]})"
    return {
        "self_occupied": f"{name}: annual value is nil (s.23(2))",
        "interest_not_allowed": f"{name}: interest on the loan is not deductible in the new "
                                "regime (s.115BAC(2))",
        "interest": f"{name}: interest on the loan u/s 24(b)",
        "interest_limited": f"{name}: interest on the loan u/s 24(b) (limited: at most "
                            "₹2,00,000 for all self-occupied houses together)",
        "nav": f"{name}: net annual value (rent less municipal taxes paid, s.23)",
        "std": f"{name}: less 30% of the net annual value u/s 24(a)",
        "let_interest": f"{name}: less interest on the loan u/s 24(b)",
    }


def house_property_income(houses: list[dict[str, Any]], rules: RegimeRules,
                          lines: Lines) -> int:
    """Income (negative: loss) under "Income from house property", all houses together.

    Let-out and deemed let-out houses: net annual value = rent less municipal taxes (s.23(1)),
    less 30% of it (s.24(a)) and the whole interest on the loan (s.24(b)). Self-occupied houses:
    annual value nil (s.23(2)); interest deductible up to ₹2,00,000 for all of them together
    (s.24(b) second proviso) in the old regime, not at all in the new one (s.115BAC(2)).
    """
    total = 0
    so_cap_left = SELF_OCCUPIED_INTEREST_CAP
    so_count = 0
    for n, house in enumerate(houses, 1):
        kind = house["kind"]
        labels = _house_labels(n, kind)
        interest = house["interest_on_loan"]
        if kind == "self_occupied":
            so_count += 1
            if so_count == 3:
                lines.append({"code": "hp_more_than_two_self_occupied", "label": "Only two houses "
                              "can be treated as self-occupied (s.23(2)); the others are deemed "
                              "let out (s.23(4)): enter them as deemed_let_out with their "
                              "expected rent. Their interest is kept within the ₹2,00,000 limit "
                              "here", "amount": 0})
            if not interest:
                lines.append({"code": "hp_self_occupied", "label": labels["self_occupied"],
                              "amount": 0})
                continue
            if not rules.allows_self_occupied_interest:
                lines.append({"code": "hp_interest_not_allowed",
                              "label": labels["interest_not_allowed"], "amount": interest})
                continue
            allowed = min(interest, so_cap_left)
            so_cap_left -= allowed
            label = labels["interest"] if allowed == interest else labels["interest_limited"]
            lines.append({"code": "hp_interest", "label": label, "amount": allowed})
            total -= allowed
            continue
        nav = house["annual_rent"] - house["municipal_taxes"]
        std = round_half_up(nav * 3, 10) if nav > 0 else 0
        lines.append({"code": "hp_net_annual_value", "label": labels["nav"], "amount": nav})
        if std:
            lines.append({"code": "hp_standard_deduction", "label": labels["std"], "amount": std})
        if interest:
            lines.append({"code": "hp_interest", "label": labels["let_interest"],
                          "amount": interest})
        total += nav - std - interest
    if houses:
        lines.append({"code": "income_house_property", "label": "Income from house property "
                      "(negative: loss)", "amount": total})
    return total


def house_loss_set_off(loss: int, other_income: int, rules: RegimeRules,
                       lines: Lines) -> tuple[int, int]:
    """How much of a house-property loss is set off against other heads this year.

    Old regime: at most ₹2,00,000 (s.71(3A)); the rest is carried forward for eight years
    (s.71B). New regime: none, and it lapses (s.115BAC(2)). Returns (set off, carried forward).
    """
    if rules.hp_loss_set_off_cap:
        set_off = min(loss, rules.hp_loss_set_off_cap, other_income)
        carried = loss - set_off
        lines.append({"code": "hp_loss_set_off", "label": "House-property loss set off against "
                      "other income (at most ₹2,00,000, s.71(3A))", "amount": set_off})
        if carried:
            lines.append({"code": "hp_loss_carried_forward", "label": "House-property loss "
                          "carried forward to later years (s.71B); file ITR-2 to keep it",
                          "amount": carried})
        return set_off, carried
    lines.append({"code": "hp_loss_not_set_off", "label": "In the new regime a house-property "
                  "loss cannot be set off against other income or carried forward "
                  "(s.115BAC(2)); it is ignored", "amount": loss})
    return 0, 0


def family_pension_deduction(pension: int, rules: RegimeRules) -> int:
    """Section 57(iia): one-third of family pension, at most ₹15,000 (old) / ₹25,000 (new)."""
    third = round_half_up(pension, 3)
    return third if third < rules.family_pension_cap else rules.family_pension_cap


def other_sources_income(sources: dict[str, int], pension: int, rules: RegimeRules,
                         lines: Lines) -> int:
    """Income from other sources (s.56): interest, dividends, other income and family pension
    net of the s.57(iia) deduction. Returns the total including dividends."""
    savings = sources["savings_interest"]
    deposits = sources["deposit_interest"]
    dividends = sources["dividends"]
    other = sources["other"]
    total = savings + deposits + dividends + other
    if savings:
        lines.append({"code": "os_savings_interest", "label": "Interest on savings accounts",
                      "amount": savings})
    if deposits:
        lines.append({"code": "os_deposit_interest", "label": "Interest on deposits",
                      "amount": deposits})
    if dividends:
        lines.append({"code": "os_dividends", "label": "Dividends received", "amount": dividends})
    if other:
        lines.append({"code": "os_other", "label": "Other income", "amount": other})
    if pension:
        deduction = family_pension_deduction(pension, rules)
        lines.append({"code": "family_pension", "label": "Family pension", "amount": pension})
        lines.append({"code": "family_pension_deduction",
                      "label": rules.labels["family_pension_deduction"], "amount": deduction})
        total += pension - deduction
    if total:
        lines.append({"code": "income_other_sources", "label": "Income from other sources",
                      "amount": total})
    return total


def capital_gains_lines(gains: dict[str, int], lines: Lines) -> None:
    """Explain capital gains: s.111A and s.112A gains at special rates, the rest at slab rates."""
    stcg = gains["stcg_111a"]
    ltcg = gains["ltcg_112a"]
    other = gains["stcg_other"]
    if stcg:
        lines.append({"code": "cg_stcg_111a", "label": "Short-term capital gains on listed "
                      "equity / equity funds (s.111A, taxed at 20%)", "amount": stcg})
    if ltcg:
        label = ("Long-term capital gains on listed equity / equity funds (s.112A, 12.5% on the "
                 "amount above ₹1,25,000)")
        lines.append({"code": "cg_ltcg_112a", "label": label, "amount": ltcg})
        if ltcg <= LTCG_112A_EXEMPT:
            lines.append({"code": "cg_ltcg_112a_within_exemption", "label": "These long-term "
                          "gains are within ₹1,25,000 and bear no tax (they still count in "
                          "total income)", "amount": ltcg})
    if other:
        lines.append({"code": "cg_stcg_other", "label": "Other short-term capital gains (taxed "
                      "at slab rates)", "amount": other})
    if stcg or ltcg or other:
        lines.append({"code": "income_capital_gains", "label": "Income under the head Capital "
                      "gains", "amount": stcg + ltcg + other})
