"""Chapter VI-A deductions: each section's cap, the regime's rules, and the s.80A limit."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from .rules import SECTION_NAMES, RegimeRules

Lines = list[dict[str, Any]]

_CAP_80CCE = 150_000  # 80C + 80CCC + 80CCD(1) together (s.80CCE)
_CAP_80CCD_1B = 50_000
_CAP_80D = 25_000
_CAP_80D_SENIOR = 50_000
_CAP_80TTA = 10_000
_CAP_80TTB = 50_000


_CODES = {key: "deduction_" + key.lower() for key in SECTION_NAMES}
_LABELS = {key: "Deduction u/s " + name for key, name in SECTION_NAMES.items()}
_NEW_REGIME_REFUSAL = "the new regime allows only 80CCD(2) (s.115BAC(2))"


@cache
def _limited(key: str, why: str) -> str:
    return f"{_LABELS[key]} (limited: {why})"


def _allowed(lines: Lines, key: str, claim: int, allowed: int, why: str) -> int:
    label = _limited(key, why) if allowed < claim else _LABELS[key]
    lines.append({"code": _CODES[key], "label": label, "amount": allowed})
    return allowed


@cache
def _refusal(key: str, why: str) -> str:
    return f"Deduction u/s {SECTION_NAMES[key]} not allowed: {why}"


def _refused(lines: Lines, key: str, claim: int, why: str) -> None:
    lines.append({"code": _CODES[key] + "_not_allowed", "label": _refusal(key, why),
                  "amount": claim})


class _Claimant:
    """What the section caps depend on, gathered once per regime."""

    __slots__ = ("basic", "cce_left", "employed", "gross_total_income", "interest", "rules",
                 "savings", "senior")

    def __init__(self, case: dict[str, Any], rules: RegimeRules, gross_total_income: int) -> None:
        sources = case["other_sources"]
        self.rules = rules
        self.basic = case["salary"]["basic_da"]
        self.employed = bool(case["salary"]["gross"])
        self.gross_total_income = gross_total_income
        self.senior = case["residential_status"] == "resident" and (case["age"] or 0) >= 60
        self.savings = sources["savings_interest"]
        self.interest = sources["savings_interest"] + sources["deposit_interest"]
        self.cce_left = _CAP_80CCE  # what s.80CCE still allows to 80C, 80CCC and 80CCD(1)


# Each section: (claimant, claim) -> (amount allowed, or None if refused; why it is limited).
Limit = tuple[int | None, str]


def _80cce(who: _Claimant, claim: int, own_cap: int | None = None) -> Limit:
    allowed = min(claim, who.cce_left if own_cap is None else min(own_cap, who.cce_left))
    who.cce_left -= allowed
    return allowed, "80C, 80CCC and 80CCD(1) together at most ₹1,50,000 (s.80CCE)"


def _80ccd_1(who: _Claimant, claim: int) -> Limit:
    own_cap = who.basic // 10 if who.employed else who.gross_total_income // 5
    allowed, why = _80cce(who, claim, own_cap)
    return allowed, "at most 10% of basic + DA (20% of gross total income if not employed); " + why


def _80d(who: _Claimant, claim: int) -> Limit:
    if who.senior:
        return min(claim, _CAP_80D_SENIOR), "at most ₹50,000 for a senior citizen"
    return min(claim, _CAP_80D), "at most ₹25,000 for self and family"


def _80tta(who: _Claimant, claim: int) -> Limit:
    if who.senior:
        return None, "resident senior citizens claim 80TTB instead (s.80TTA(2))"
    return min(claim, who.savings, _CAP_80TTA), "limited to savings-account interest and ₹10,000"


def _80ttb(who: _Claimant, claim: int) -> Limit:
    if not who.senior:
        return None, "only for resident senior citizens (60 or over)"
    return min(claim, who.interest, _CAP_80TTB), "limited to interest on deposits and ₹50,000"


_SECTIONS: dict[str, Callable[[_Claimant, int], Limit]] = {
    "80C": _80cce,
    "80CCC": _80cce,
    "80CCD_1": _80ccd_1,
    "80CCD_1B": lambda who, claim: (min(claim, _CAP_80CCD_1B), "at most ₹50,000"),
    "80CCD_2": lambda who, claim: (min(claim, who.basic * who.rules.ccd2_percent // 100),
                                   who.rules.labels["80CCD_2"]),
    "80D": _80d,
    "80E": lambda who, claim: (claim, ""),
    "80TTA": _80tta,
    "80TTB": _80ttb,
}


def chapter_via(case: dict[str, Any], rules: RegimeRules, gross_total_income: int,
                eligible: int, lines: Lines) -> int:
    """Total Chapter VI-A deductions for one regime.

    Caps: 80C + 80CCC + 80CCD(1) ₹1,50,000 together (s.80CCE), 80CCD(1) itself 10% of basic + DA
    for an employee (20% of gross total income otherwise); 80CCD(1B) ₹50,000; 80CCD(2) 10% (old)
    or 14% (new, s.80CCD(2)(i) as amended 2024) of basic + DA; 80D ₹25,000, ₹50,000 for a
    resident senior citizen; 80E no cap; 80TTA savings interest up to ₹10,000, not for resident
    seniors (s.80TTA(2)); 80TTB interest up to ₹50,000 for resident seniors only. The new regime
    allows only 80CCD(2) (s.115BAC(2)). The total never exceeds `eligible`, the gross total
    income without s.111A/112A gains (s.80A(2), s.111A(2), s.112A) and, for non-residents,
    without s.115A dividends.
    """
    who: _Claimant | None = None
    total = 0
    for key, claim in case["deductions"].items():
        if not claim:
            continue
        if key not in rules.allowed_deductions:
            _refused(lines, key, claim, _NEW_REGIME_REFUSAL)
            continue
        if who is None:
            who = _Claimant(case, rules, gross_total_income)
        allowed, why = _SECTIONS[key](who, claim)
        if allowed is None:
            _refused(lines, key, claim, why)
        else:
            total += _allowed(lines, key, claim, allowed, why)
    if total > eligible:
        lines.append({"code": "deductions_limited", "label": "Chapter VI-A deductions limited to "
                      "income other than s.111A/112A gains (s.80A(2), s.112A) and a "
                      "non-resident's s.115A dividends", "amount": eligible})
        total = eligible
    if total:
        lines.append({"code": "total_deductions", "label": "Total deductions under Chapter VI-A",
                      "amount": total})
    return total
