"""Filings for the ITR-1 tests: taxpayers as the web app would hand them to `build_itr1`.

Each case is computed by the real tax engine (`app.tax.compute`), so the return is checked
against the engine's own numbers.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from app.tax import compute
from app.tax.money import round_to_ten

PERSONAL: dict[str, Any] = {
    "name": "Asha Kumari Rao",
    "pan": "ABCPR1234F",
    "dob": "1990-05-01",
    "aadhaar": "234567890123",
    "mobile": "9876543210",
    "email": "asha.rao@example.com",
    "father_name": "Ramesh Rao",
    "address": {
        "line1": "Flat 12, Lake View Apartments",
        "locality": "Indiranagar",
        "city": "Bengaluru",
        "state_code": "15",
        "pin": "560038",
    },
}

SALARY_TDS = {"tan": "BLRA12345B", "employer_name": "Acme Software Pvt Ltd"}


@dataclass
class Case:
    """One taxpayer: the engine input, the regime filed, and what else the return lists."""

    id: str
    input: dict[str, Any]
    regime: str
    age: int = 35
    salary_tds: list[dict[str, Any]] = field(default_factory=list)
    other_tds: list[dict[str, Any]] = field(default_factory=list)
    challans: list[dict[str, Any]] = field(default_factory=list)
    employer_type: str | None = None
    foreign_assets: bool = False
    personal: dict[str, Any] = field(default_factory=dict)


def dob_for(age: int) -> str:
    """A date of birth that makes the taxpayer `age` on 31 March 2026."""
    return f"{2026 - age - 1}-06-15"


def engine_input(case: Case) -> dict[str, Any]:
    data = {"financial_year": "2025-26", "age": case.age, **copy.deepcopy(case.input)}
    paid = data.setdefault("taxes_paid", {})
    paid.setdefault("tds_salary", sum(row["tds"] for row in case.salary_tds))
    paid.setdefault("tds_other", sum(row["tds"] for row in case.other_tds))
    advance = sum(c["amount"] for c in case.challans if c.get("kind") == "advance")
    self_assessment = sum(c["amount"] for c in case.challans if c.get("kind") != "advance")
    if advance:
        paid["advance_tax"] = advance
    if self_assessment:
        paid["self_assessment_tax"] = self_assessment
    return data


def filing_for(case: Case) -> dict[str, Any]:
    """The `filing` dict build_itr1 takes, computed by the real engine."""
    data = engine_input(case)
    personal = {**copy.deepcopy(PERSONAL), "dob": dob_for(case.age), **case.personal}
    filing: dict[str, Any] = {
        "assessment_year": "2026-27",
        "input": data,
        "computation": compute(copy.deepcopy(data)),
        "regime": case.regime,
        "personal": personal,
        "bank_accounts": [
            {"ifsc": "HDFC0000123", "account_number": "50100123456789",
             "bank_name": "HDFC Bank", "refund": True},
            {"ifsc": "SBIN0001234", "account_number": "30123456789",
             "bank_name": "State Bank of India", "refund": False},
        ],
        "tds": {"salary": case.salary_tds, "other": case.other_tds},
        "taxes_paid_challans": [
            {k: v for k, v in c.items() if k != "kind"} for c in case.challans
        ],
        "verification": {"name": personal["name"], "place": "Bengaluru", "date": "2026-06-20",
                         "capacity": "S"},
        "created_at": "2026-06-20",
        "foreign_assets": case.foreign_assets,
    }
    if case.employer_type:
        filing["employer"] = {"name": "Employer", "tan": "BLRA12345B", "type": case.employer_type}
    return filing


def salary_tds(gross: int, tds: int, **row: Any) -> dict[str, Any]:
    return {**SALARY_TDS, "gross": gross, "tds": tds, **row}


def bank_tds(amount: int, tds: int, section: str = "194A", **row: Any) -> dict[str, Any]:
    return {"tan": "MUMS98765K", "deductor_name": "State Bank of India", "amount": amount,
            "tds": tds, "section": section, **row}


HRA_NON_METRO = {"gross": 1450000, "basic_da": 600000, "hra_received": 240000, "rent_paid": 264000,
                 "metro": False, "professional_tax": 2400}
HRA_METRO = {"gross": 1800000, "basic_da": 720000, "hra_received": 360000, "rent_paid": 420000,
             "metro": True, "professional_tax": 2500}

ELIGIBLE: list[Case] = [
    Case("salaried with HRA, 80C and 80D in the old regime, tax still to pay",
         {"salary": HRA_NON_METRO, "deductions": {"80C": 150000, "80D": 25000}}, "old",
         salary_tds=[salary_tds(1450000, 100000)]),
    Case("the same salaried taxpayer in the new regime, with a refund",
         {"salary": HRA_NON_METRO, "deductions": {"80C": 150000, "80D": 25000}}, "new",
         salary_tds=[salary_tds(1450000, 100000)]),
    Case("metro HRA in the old regime with a refund",
         {"salary": HRA_METRO, "deductions": {"80C": 150000, "80D": 30000}}, "old",
         salary_tds=[salary_tds(1800000, 260000)]),
    Case("salary of 12.75 lakh in the new regime is fully rebated and TDS comes back",
         {"salary": {"gross": 1275000}}, "new", salary_tds=[salary_tds(1275000, 30000)]),
    Case("new regime income just above 12 lakh gets marginal relief under 87A",
         {"salary": {"gross": 1250000}, "other_sources": {"savings_interest": 40000}}, "new",
         salary_tds=[salary_tds(1250000, 20000)]),
    Case("resident senior with deposit interest claims 80TTB in the old regime",
         {"family_pension": 0, "other_sources": {"deposit_interest": 640000, "savings_interest": 20000},
          "deductions": {"80TTB": 50000, "80D": 50000}}, "old", age=66,
         other_tds=[bank_tds(640000, 64000)]),
    Case("resident senior pensioner in the new regime",
         {"salary": {"gross": 900000}, "other_sources": {"deposit_interest": 300000}}, "new", age=68,
         salary_tds=[salary_tds(900000, 0)], other_tds=[bank_tds(300000, 30000)],
         employer_type="PEO"),
    Case("super senior with savings and deposit interest and senior 80D in the old regime",
         {"salary": {"gross": 600000}, "other_sources": {"deposit_interest": 450000, "savings_interest": 15000},
          "deductions": {"80D": 60000, "80TTB": 50000, "80C": 50000}}, "old", age=82,
         salary_tds=[salary_tds(600000, 0)], other_tds=[bank_tds(450000, 45000)],
         employer_type="PESG"),
    Case("a let-out flat and a self-occupied home with loan interest in the old regime",
         {"salary": {"gross": 2000000, "professional_tax": 2500},
          "house_property": [
              {"kind": "let_out", "annual_rent": 240000, "municipal_taxes": 8000, "interest_on_loan": 100000},
              {"kind": "self_occupied", "interest_on_loan": 180000}],
          "deductions": {"80C": 150000}}, "old",
         salary_tds=[salary_tds(2000000, 280000)]),
    Case("self-occupied home loan interest is capped at 2 lakh in the old regime",
         {"salary": {"gross": 1600000}, "house_property": [{"kind": "self_occupied", "interest_on_loan": 260000}],
          "deductions": {"80C": 150000}}, "old", salary_tds=[salary_tds(1600000, 150000)]),
    Case("self-occupied home loan interest counts for nothing in the new regime",
         {"salary": {"gross": 1600000}, "house_property": [{"kind": "self_occupied", "interest_on_loan": 260000}]},
         "new", salary_tds=[salary_tds(1600000, 110000)]),
    Case("rent from a let-out flat in the new regime",
         {"salary": {"gross": 1500000},
          "house_property": [{"kind": "let_out", "annual_rent": 360000, "municipal_taxes": 12000,
                              "interest_on_loan": 100000}]}, "new",
         salary_tds=[salary_tds(1500000, 120000)]),
    Case("family pension and savings interest with 80TTA in the old regime",
         {"family_pension": 300000, "salary": {"gross": 500000},
          "other_sources": {"savings_interest": 25000}, "deductions": {"80TTA": 25000, "80C": 100000}},
         "old", salary_tds=[salary_tds(500000, 5000)]),
    Case("family pension in the new regime takes the 25,000 deduction",
         {"family_pension": 420000, "other_sources": {"deposit_interest": 200000}}, "new",
         other_tds=[bank_tds(200000, 20000)]),
    Case("dividends and long-term gains of 1 lakh under 112A in the new regime",
         {"salary": {"gross": 1400000}, "other_sources": {"dividends": 45000},
          "capital_gains": {"ltcg_112a": 100000}}, "new",
         salary_tds=[salary_tds(1400000, 95000)],
         other_tds=[bank_tds(45000, 4500, section="194", tan="MUMI54321C",
                             deductor_name="Infra Ltd")]),
    Case("long-term gains of exactly 1.25 lakh in the old regime",
         {"salary": {"gross": 1100000}, "capital_gains": {"ltcg_112a": 125000},
          "deductions": {"80C": 150000}}, "old", salary_tds=[salary_tds(1100000, 80000)]),
    Case("NPS under 80CCD(1B) and the employer's 80CCD(2) in the old regime",
         {"salary": {"gross": 2200000, "basic_da": 1000000, "professional_tax": 2400},
          "deductions": {"80C": 150000, "80CCD_1B": 50000, "80CCD_2": 100000}}, "old",
         salary_tds=[salary_tds(2200000, 380000)]),
    Case("the employer's NPS contribution up to 14 percent in the new regime",
         {"salary": {"gross": 2200000, "basic_da": 1000000},
          "deductions": {"80CCD_2": 140000, "80C": 150000}}, "new",
         salary_tds=[salary_tds(2200000, 190000)]),
    Case("education loan interest under 80E in the old regime",
         {"salary": {"gross": 1300000}, "deductions": {"80E": 90000, "80C": 120000, "80D": 18000}},
         "old", salary_tds=[salary_tds(1300000, 110000)]),
    Case("two employers in the year and TDS on deposits and dividends",
         {"salary": {"gross": 1700000, "professional_tax": 2500},
          "other_sources": {"deposit_interest": 80000, "dividends": 20000, "savings_interest": 12000},
          "deductions": {"80C": 150000, "80D": 25000, "80TTA": 12000}}, "old",
         salary_tds=[salary_tds(900000, 60000),
                     salary_tds(800000, 70000, tan="MUMB23456C", employer_name="Beta Analytics LLP")],
         other_tds=[bank_tds(80000, 8000),
                    bank_tds(20000, 2000, section="194", tan="DELR34567D", deductor_name="Reliance Ltd")]),
    Case("advance and self-assessment tax paid by challan",
         {"salary": {"gross": 900000}, "other_sources": {"other": 700000, "deposit_interest": 50000}},
         "new", salary_tds=[salary_tds(900000, 20000)],
         challans=[{"kind": "advance", "bsr_code": "0510308", "date": "2025-12-14", "serial_no": 12345,
                    "amount": 40000},
                   {"kind": "self", "bsr_code": "6390009", "date": "2026-06-10", "serial_no": 501,
                    "amount": 25000}]),
    Case("deposit interest only, no salary, in the new regime",
         {"other_sources": {"deposit_interest": 900000, "savings_interest": 30000}}, "new",
         other_tds=[bank_tds(900000, 90000)]),
    Case("a central government employee in the old regime",
         {"salary": {"gross": 1150000, "basic_da": 700000, "hra_received": 168000, "rent_paid": 180000,
                     "metro": True, "professional_tax": 0},
          "deductions": {"80C": 150000, "80CCD_1B": 50000}}, "old",
         salary_tds=[salary_tds(1150000, 45000, tan="DELC12345E", employer_name="Ministry of Finance")],
         employer_type="CGOV"),
    Case("a small salary below the standard deduction in the new regime",
         {"salary": {"gross": 60000}, "other_sources": {"savings_interest": 8000}}, "new",
         salary_tds=[salary_tds(60000, 0)]),
    Case("savings interest above the 80TTA limit in the old regime",
         {"salary": {"gross": 800000}, "other_sources": {"savings_interest": 25000},
          "deductions": {"80TTA": 25000, "80C": 150000}}, "old",
         salary_tds=[salary_tds(800000, 20000)]),
    Case("a let-out flat with a loss set off in the old regime",
         {"salary": {"gross": 1800000},
          "house_property": [{"kind": "let_out", "annual_rent": 180000, "municipal_taxes": 6000,
                              "interest_on_loan": 250000}],
          "deductions": {"80C": 150000}}, "old", salary_tds=[salary_tds(1800000, 250000)]),
]


def by_id(case_id: str) -> Case:
    return next(c for c in ELIGIBLE if c.id == case_id)


def assert_shows_the_engines_amounts(itr: dict[str, Any], result: dict[str, Any]) -> None:
    """The ITR1 object carries the engine's amounts for the regime; Part B-TTI adds up its tax,
    rebate and cess without rounding, and s.288B rounds only the balance payable or the refund to
    ₹10, so the engine's rounded total tax is the form's total, rounded."""
    income, tax, paid, refund = itr["ITR1_IncomeDeductions"], itr["ITR1_TaxComputation"], itr["TaxPaid"], itr["Refund"]
    assert income["GrossTotIncomeIncLTCG112A"] == result["gross_total_income"]
    assert income["DeductUndChapVIA"]["TotalChapVIADeductions"] == result["deductions"]
    assert income["TotalIncome"] == result["total_income"]
    assert tax["TotalTaxPayable"] == result["tax_on_normal_income"] + result["tax_on_special_income"]
    assert tax["Rebate87A"] == result["rebate_87a"] + result["marginal_relief_87a"]
    assert tax["EducationCess"] == result["cess"]
    total = tax["TaxPayableOnRebate"] + tax["EducationCess"]
    assert tax["GrossTaxLiability"] == tax["NetTaxLiability"] == tax["TotTaxPlusIntrstPay"] == total
    assert round_to_ten(total) == result["total_tax"]
    assert paid["TaxesPaid"]["TotalTaxesPaid"] == result["taxes_paid"]
    assert paid["BalTaxPayable"] == round_to_ten(max(total - result["taxes_paid"], 0))
    assert refund["RefundDue"] == round_to_ten(max(result["taxes_paid"] - total, 0))
    assert abs(paid["BalTaxPayable"] - result["balance_payable"]) <= 10
    assert abs(refund["RefundDue"] - result["refund"]) <= 10
