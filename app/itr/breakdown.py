"""The per-head figures ITR-1 asks for, for one regime of one computed case.

The tax engine returns totals (gross total income, Chapter VI-A deductions, total income, tax)
and lines with codes. ITR-1 also wants the parts: exempt HRA, standard deduction, professional
tax, each house property, each kind of other-source income, each Chapter VI-A section. They are
read from the engine's lines of the chosen regime (codes such as `hra_exemption`,
`std_deduction`, `deduction_80c`); what no line carries (each house's annual value, 30% and
interest, the HRA schedule's inputs) is worked out from the engine's input by the same sections
of the Income-tax Act, 1961, and `validate_itr1` checks that the parts add up to the totals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.tax.money import round_half_up
from app.tax.rules import SELF_OCCUPIED_INTEREST_CAP

SENIOR_AGE = 60

# Chapter VI-A keys of the engine input, in the engine's order, and their ITR-1 fields.
VIA_FIELDS = {
    "80C": "Section80C",
    "80CCC": "Section80CCC",
    "80CCD_1": "Section80CCDEmployeeOrSE",
    "80CCD_1B": "Section80CCD1B",
    "80CCD_2": "Section80CCDEmployer",
    "80D": "Section80D",
    "80E": "Section80E",
    "80TTA": "Section80TTA",
    "80TTB": "Section80TTB",
}
NEW_REGIME_SECTIONS = frozenset({"80CCD_2"})  # s.115BAC(2)
# Every section field of the schema's Chapter VI-A blocks, in its order.
VIA_SCHEMA_FIELDS = (
    "Section80C", "Section80CCC", "Section80CCDEmployeeOrSE", "Section80CCD1B",
    "Section80CCDEmployer", "Section80D", "Section80DD", "Section80DDB", "Section80E",
    "Section80EE", "Section80EEA", "Section80EEB", "Section80G", "Section80GG", "Section80GGA",
    "Section80GGC", "Section80U", "Section80TTA", "Section80TTB", "AnyOthSec80CCH",
)


def rupees(value: Any) -> int:
    """Whole rupees, halves up, as the engine reads amounts (the form has no paise)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value) if isinstance(value, int) else int(value + 0.5)


@dataclass
class Property:
    """One house property as ITR-1's PropertyDetails reports it (s.22 to s.24)."""

    kind: str  # "let_out", "deemed_let_out" or "self_occupied"
    annual_value: int = 0  # rent, s.23(1)
    municipal_taxes: int = 0
    thirty_percent: int = 0  # s.24(a)
    interest: int = 0  # s.24(b), as allowed
    income: int = 0

    @property
    def net_annual_value(self) -> int:
        return self.annual_value - self.municipal_taxes


@dataclass
class Breakdown:
    regime: str
    senior: bool
    gross_salary: int = 0
    hra_exempt: int = 0
    std_deduction: int = 0
    professional_tax: int = 0
    salary_income: int = 0
    properties: list[Property] = field(default_factory=list)
    house_property_income: int = 0  # the head after set-off rules, as in gross total income
    house_property_loss_carried: int = 0  # s.71B, old regime
    savings_interest: int = 0
    deposit_interest: int = 0
    dividends: int = 0
    other_income: int = 0
    family_pension: int = 0
    family_pension_deduction: int = 0
    other_sources_income: int = 0
    ltcg_112a: int = 0
    claimed: dict[str, int] = field(default_factory=dict)
    allowed: dict[str, int] = field(default_factory=dict)

    @property
    def net_salary(self) -> int:
        return self.gross_salary - self.hra_exempt

    @property
    def deduction_us16(self) -> int:
        return self.std_deduction + self.professional_tax


def _amounts_by_code(lines: list[dict[str, Any]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in lines:
        code = line.get("code")
        if isinstance(code, str):
            found[code] = found.get(code, 0) + rupees(line.get("amount"))
    return found


def _properties(houses: list[dict[str, Any]], regime: str) -> list[Property]:
    """Each house as the engine computes it: let-out and deemed let-out at net annual value less
    30% (s.24(a)) and interest (s.24(b)); self-occupied at nil, interest up to ₹2,00,000 for all
    together in the old regime and none in the new (s.115BAC(2))."""
    room = SELF_OCCUPIED_INTEREST_CAP if regime == "old" else 0
    found = []
    for house in houses:
        kind = house.get("kind", "let_out")
        interest = rupees(house.get("interest_on_loan"))
        if kind == "self_occupied":
            p = Property(kind, interest=min(interest, room))
            room -= p.interest
            p.income = -p.interest
        else:
            p = Property(kind, rupees(house.get("annual_rent")), rupees(house.get("municipal_taxes")))
            nav = p.net_annual_value
            p.thirty_percent = round_half_up(nav * 3, 10) if nav > 0 else 0
            p.interest = interest
            p.income = nav - p.thirty_percent - interest
        found.append(p)
    return found


def _house_property(b: Breakdown, houses: list[dict[str, Any]], amounts: dict[str, int]) -> None:
    b.properties = _properties(houses, b.regime)
    total = sum(p.income for p in b.properties)
    if total >= 0:
        b.house_property_income = total
    else:
        # s.71(3A): old regime sets off at most ₹2,00,000; the new regime none (s.115BAC(2)).
        b.house_property_income = -amounts.get("hp_loss_set_off", 0)
        b.house_property_loss_carried = amounts.get("hp_loss_carried_forward", 0)


def _chapter_via(b: Breakdown, case: dict[str, Any], amounts: dict[str, int], total: int) -> None:
    asked = {key: rupees((case.get("deductions") or {}).get(key)) for key in VIA_FIELDS}
    usable = VIA_FIELDS.keys() if b.regime == "old" else NEW_REGIME_SECTIONS
    b.claimed = {key: (asked[key] if key in usable else 0) for key in VIA_FIELDS}
    allowed = {key: amounts.get("deduction_" + key.lower(), 0) for key in VIA_FIELDS}
    # s.80A(2): when the engine limited the total to gross total income, trim the last sections.
    excess = sum(allowed.values()) - total
    for key in reversed(list(VIA_FIELDS)):
        if excess <= 0:
            break
        cut = min(allowed[key], excess)
        allowed[key] -= cut
        excess -= cut
    b.allowed = allowed


def breakdown(case: dict[str, Any], computation: dict[str, Any], regime: str) -> Breakdown:
    """Per-head figures of `case` under `regime` ("old" or "new") from the engine's result."""
    result = computation.get(regime) or {}
    amounts = _amounts_by_code(result.get("lines") or [])
    b = Breakdown(regime=regime, senior=rupees(case.get("age")) >= SENIOR_AGE)
    salary = case.get("salary") or {}
    b.gross_salary = rupees(salary.get("gross"))
    b.hra_exempt = amounts.get("hra_exemption", 0)
    b.std_deduction = amounts.get("std_deduction", 0)
    b.professional_tax = amounts.get("professional_tax", 0)
    b.salary_income = amounts.get("income_salary", 0)
    _house_property(b, case.get("house_property") or [], amounts)
    other = case.get("other_sources") or {}
    b.savings_interest = rupees(other.get("savings_interest"))
    b.deposit_interest = rupees(other.get("deposit_interest"))
    b.dividends = rupees(other.get("dividends"))
    b.other_income = rupees(other.get("other"))
    b.family_pension = rupees(case.get("family_pension"))
    b.family_pension_deduction = amounts.get("family_pension_deduction", 0)
    b.other_sources_income = amounts.get("income_other_sources", 0)
    b.ltcg_112a = rupees((case.get("capital_gains") or {}).get("ltcg_112a"))
    _chapter_via(b, case, amounts, rupees(result.get("deductions")))
    return b
