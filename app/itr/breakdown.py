"""The per-head figures ITR-1 asks for, for one regime of one computed case.

The tax engine returns totals (gross total income, Chapter VI-A deductions, total income, tax)
and explanatory lines. ITR-1 also wants the parts: exempt HRA, standard deduction, professional
tax, each house property, each kind of other-source income, each Chapter VI-A section. They are
worked out here from the engine's input by the same sections of the Income-tax Act, 1961 for
FY 2025-26, and then taken from the engine's lines wherever a line carries the figure, so the
return shows the engine's numbers. `app.itr.build` checks the parts add up to the engine totals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

STD_DEDUCTION = {"old": 50_000, "new": 75_000}  # s.16(ia), s.115BAC(1A)(iii)
FAMILY_PENSION_CAP = {"old": 15_000, "new": 25_000}  # s.57(iia)
SELF_OCCUPIED_INTEREST_CAP = 200_000  # s.24(b) second proviso
HOUSE_LOSS_SET_OFF_CAP = 200_000  # s.71(3A)
CAP_80C = 150_000  # s.80C / s.80CCE
CAP_80CCD_1B = 50_000
EMPLOYER_NPS_SHARE = {"old": Decimal("0.10"), "new": Decimal("0.14")}  # s.80CCD(2)
CAP_80D = {False: 25_000, True: 50_000}  # s.80D, by whether a senior citizen
CAP_80TTA = 10_000
CAP_80TTB = 50_000
SENIOR_AGE = 60


def rupees(value: Any) -> int:
    """Whole rupees, half up, as the return shows every amount (the form has no paise)."""
    return int(Decimal(str(value or 0)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass
class Property:
    """One house property as Schedule HP / PropertyDetails reports it (s.22 to s.24)."""

    kind: str  # "let_out" or "self_occupied"
    annual_value: int = 0  # gross annual value (rent) for a let-out property
    municipal_taxes: int = 0
    thirty_percent: int = 0  # s.24(a)
    interest: int = 0  # s.24(b) as allowed for this property
    income: int = 0

    @property
    def balance(self) -> int:
        return self.annual_value - self.municipal_taxes


@dataclass
class Breakdown:
    regime: str
    senior: bool
    gross_salary: int = 0
    hra_exempt: int = 0
    hra_received: int = 0
    rent_paid: int = 0
    basic_da: int = 0
    metro: bool = False
    std_deduction: int = 0
    professional_tax: int = 0
    salary_income: int = 0
    properties: list[Property] = field(default_factory=list)
    house_property_income: int = 0
    house_property_unabsorbed_loss: int = 0
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

    @property
    def gross_total_income(self) -> int:
        """GTI without s.112A gains, as ITR-1's GrossTotIncome."""
        return self.salary_income + self.house_property_income + self.other_sources_income

    @property
    def total_deductions(self) -> int:
        return sum(self.allowed.values())


# Engine line codes that carry a figure, mapped to Breakdown attributes (or allowed sections).
LINE_CODES = {
    "hra_exempt": "hra_exempt",
    "std_deduction": "std_deduction",
    "professional_tax": "professional_tax",
    "family_pension_deduction": "family_pension_deduction",
}
SECTION_LINE_CODES = {
    "80C": ("deduction_80c", "80c"),
    "80CCD_1B": ("deduction_80ccd_1b", "80ccd_1b"),
    "80CCD_2": ("deduction_80ccd_2", "80ccd_2"),
    "80D": ("deduction_80d", "80d"),
    "80E": ("deduction_80e", "80e"),
    "80TTA": ("deduction_80tta", "80tta"),
    "80TTB": ("deduction_80ttb", "80ttb"),
}
SECTIONS = tuple(SECTION_LINE_CODES)


def _hra_exempt(salary: dict[str, Any]) -> int:
    """s.10(13A) with rule 2A: least of HRA received, rent less 10% of salary, 50%/40% of salary."""
    received = rupees(salary.get("hra_received"))
    rent = rupees(salary.get("rent_paid"))
    basic = rupees(salary.get("basic_da"))
    if not received or not rent:
        return 0
    share = Decimal("0.5") if salary.get("metro") else Decimal("0.4")
    return max(0, min(received, rent - rupees(Decimal(basic) / 10), rupees(basic * share)))


def _salary(b: Breakdown, salary: dict[str, Any]) -> None:
    b.gross_salary = rupees(salary.get("gross"))
    b.hra_received = rupees(salary.get("hra_received"))
    b.rent_paid = rupees(salary.get("rent_paid"))
    b.basic_da = rupees(salary.get("basic_da"))
    b.metro = bool(salary.get("metro"))
    if b.regime == "old":
        b.hra_exempt = min(_hra_exempt(salary), b.gross_salary)
        b.professional_tax = rupees(salary.get("professional_tax"))
    b.std_deduction = min(STD_DEDUCTION[b.regime], b.net_salary)
    b.professional_tax = min(b.professional_tax, max(b.net_salary - b.std_deduction, 0))
    b.salary_income = max(b.net_salary - b.deduction_us16, 0)


def _house_property(b: Breakdown, houses: list[dict[str, Any]]) -> None:
    self_occupied_room = SELF_OCCUPIED_INTEREST_CAP if b.regime == "old" else 0
    for house in houses:
        interest = rupees(house.get("interest_on_loan"))
        if house.get("kind") == "let_out":
            p = Property("let_out", rupees(house.get("annual_rent")), rupees(house.get("municipal_taxes")))
            p.thirty_percent = rupees(Decimal(max(p.balance, 0)) * Decimal("0.3"))
            p.interest = interest
            p.income = p.balance - p.thirty_percent - p.interest
        else:
            p = Property("self_occupied")
            p.interest = min(interest, self_occupied_room)
            self_occupied_room -= p.interest
            p.income = -p.interest
        b.properties.append(p)
    total = sum(p.income for p in b.properties)
    floor = -HOUSE_LOSS_SET_OFF_CAP if b.regime == "old" else 0
    b.house_property_income = max(total, floor)
    b.house_property_unabsorbed_loss = b.house_property_income - total


def _other_sources(b: Breakdown, case: dict[str, Any]) -> None:
    other = case.get("other_sources") or {}
    b.savings_interest = rupees(other.get("savings_interest"))
    b.deposit_interest = rupees(other.get("deposit_interest"))
    b.dividends = rupees(other.get("dividends"))
    b.other_income = rupees(other.get("other"))
    b.family_pension = rupees(case.get("family_pension"))
    third = rupees(Decimal(b.family_pension) / 3)
    b.family_pension_deduction = min(third, FAMILY_PENSION_CAP[b.regime])
    b.other_sources_income = (
        b.savings_interest + b.deposit_interest + b.dividends + b.other_income
        + b.family_pension - b.family_pension_deduction
    )


def _chapter_via(b: Breakdown, case: dict[str, Any]) -> None:
    """Chapter VI-A as allowed for the regime (s.80A(7)/s.115BAC(2): only 80CCD(2) in the new)."""
    asked = {s: rupees((case.get("deductions") or {}).get(s)) for s in SECTIONS}
    resident = case.get("residential_status", "resident") == "resident"
    employer_cap = rupees(Decimal(b.basic_da) * EMPLOYER_NPS_SHARE[b.regime])
    allowed = {s: 0 for s in SECTIONS}
    allowed["80CCD_2"] = min(asked["80CCD_2"], employer_cap)
    if b.regime == "old":
        allowed["80C"] = min(asked["80C"], CAP_80C)
        allowed["80CCD_1B"] = min(asked["80CCD_1B"], CAP_80CCD_1B)
        allowed["80D"] = min(asked["80D"], CAP_80D[b.senior])
        allowed["80E"] = asked["80E"]
        if b.senior and resident:
            eligible = b.savings_interest + b.deposit_interest
            allowed["80TTB"] = min(asked["80TTB"], eligible, CAP_80TTB)
        else:
            allowed["80TTA"] = min(asked["80TTA"], b.savings_interest, CAP_80TTA)
    b.claimed = asked if b.regime == "old" else {s: (asked[s] if s == "80CCD_2" else 0) for s in SECTIONS}
    b.allowed = allowed
    _limit_to_income(b)


def _limit_to_income(b: Breakdown) -> None:
    """s.80A(2): Chapter VI-A cannot exceed gross total income (s.112A gains excluded, s.112A(6))."""
    room = max(b.gross_total_income, 0)
    for section in SECTIONS:
        b.allowed[section] = min(b.allowed[section], room)
        room -= b.allowed[section]


def _line_amounts(lines: list[dict[str, Any]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in lines or []:
        code = str(line.get("code", "")).lower()
        if code and isinstance(line.get("amount"), int | float):
            found[code] = found.get(code, 0) + rupees(abs(line["amount"]))
    return found


def _apply_lines(b: Breakdown, lines: list[dict[str, Any]]) -> None:
    amounts = _line_amounts(lines)
    for code, attribute in LINE_CODES.items():
        if code in amounts:
            setattr(b, attribute, amounts[code])
    for section, codes in SECTION_LINE_CODES.items():
        for code in codes:
            if code in amounts:
                b.allowed[section] = amounts[code]


def breakdown(case: dict[str, Any], computation: dict[str, Any], regime: str) -> Breakdown:
    """Per-head figures of `case` under `regime` ("old" or "new"), FY 2025-26 rules."""
    age = case.get("age") or 0
    b = Breakdown(regime=regime, senior=age >= SENIOR_AGE)
    lines = (computation.get(regime) or {}).get("lines") or []
    _salary(b, case.get("salary") or {})
    _house_property(b, case.get("house_property") or [])
    _other_sources(b, case)
    b.ltcg_112a = rupees((case.get("capital_gains") or {}).get("ltcg_112a"))
    _chapter_via(b, case)
    _apply_lines(b, lines)
    b.salary_income = max(b.net_salary - b.deduction_us16, 0)
    b.other_sources_income = (
        b.savings_interest + b.deposit_interest + b.dividends + b.other_income
        + b.family_pension - b.family_pension_deduction
    )
    return b
